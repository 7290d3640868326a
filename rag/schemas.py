"""Records that cross module boundaries: loaded documents, structure, chunks, tasks, answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel, ConfigDict


@dataclass(frozen=True)
class Page:
    """Lines of one page (PDF) or of a whole file (txt, docx); ``lines[0]`` is line 1."""

    lines: tuple[str, ...]
    number: int | None = None
    # Set when the text was read by OCR: mean word confidence (0-1) of the page.
    ocr_confidence: float | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableRow:
    """One row of a table as issued: its cells in column order and where it is printed.

    ``group`` marks a row spanning the table ("I. VỀ CÔNG TÁC CHỈ ĐẠO"): a section title.
    A row continued across a page break is one row, cited by its first page's lines.
    """

    cells: tuple[str, ...]
    page: int | None
    line_start: int
    line_end: int
    group: bool = False


@dataclass(frozen=True)
class Table:
    """A table read from a PDF or DOCX: the identified header and the rows under it
    (repeated headers dropped, page-split rows joined); see ``ingest/tables.py``."""

    header: tuple[str, ...]
    rows: tuple[TableRow, ...]
    page: int | None
    line_start: int
    line_end: int
    # (page, line) of every line the table covers, header included: the text parser skips them.
    lines: frozenset[tuple[int | None, int]] = frozenset()


@dataclass(frozen=True)
class LoadedDocument:
    source: str
    pages: tuple[Page, ...]
    content_hash: str
    warnings: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join("\n".join(p.lines) for p in self.pages)


@dataclass(frozen=True)
class Block:
    """A unit of structure: a table row or a piece of prose under a section heading.

    ``cells`` is filled when the export kept column boundaries (tab-delimited or DOCX
    tables); PDF exports lose them and only ``text`` is reliable.
    """

    source: str
    kind: str  # "row" or "prose"
    section: str
    text: str
    line_start: int
    line_end: int
    page: int | None = None
    row: str | None = None
    table: str | None = None
    cells: tuple[str, ...] = ()
    section_path: tuple[str, ...] = ()
    # Set on the first paragraph under a heading that directly precedes it: its citation
    # then covers the heading too ("3.1 Bộ Tư Pháp:" and the items listed under it).
    heading_line: int | None = None
    # Cells of a table row by column role ("text", "lead", "deadline" ...), when the
    # header named them (tables read from PDF/DOCX files).
    fields: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Chunk:
    id: str
    source: str
    title: str
    doc_kind: str
    kind: str
    section: str
    text: str
    dense_text: str
    line_start: int
    line_end: int
    content_hash: str
    page: int | None = None
    row: str | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)
    # A row chunk's values by field, in the order its text shows them ("task", "lead",
    # "coordinating", "deadline", "directives", "product", "status", "result"): readers
    # take these instead of splitting the text.
    fields: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def ocr_confidence(self) -> float | None:
        """Set on chunks of OCR'd pages (see ``ingest.ocr.mark_ocr_chunks``)."""
        return self.extra.get("ocr_confidence")

    def metadata(self) -> dict[str, str | int]:
        """Flat metadata for Chroma (no None values allowed there)."""
        meta: dict[str, str | int] = {
            "source": self.source,
            "title": self.title,
            "doc_kind": self.doc_kind,
            "kind": self.kind,
            "section": self.section,
            "line_start": self.line_start,
            "line_end": self.line_end,
            "content_hash": self.content_hash,
        }
        if self.page is not None:
            meta["page"] = self.page
        if self.row is not None:
            meta["row"] = self.row
        return meta


class Deadline(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    start: date | None = None
    end: date | None = None
    kind: str = "unspecified"  # date, range, recurring, unspecified
    ranges: list[tuple[date, date]] = []


class Directive(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    number: str | None = None
    type: str | None = None
    date: str | None = None


class TaskRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    source: str
    title: str = ""
    section: str
    row: str
    text: str
    lead_units: list[str] = []
    coordinating_units: list[str] = []
    directives: list[str] = []
    deadline: Deadline
    product: str | None = None
    status: str = "unknown"
    result: str | None = None
    page: int | None = None
    line_start: int
    line_end: int


class Citation(BaseModel):
    id: int
    source: str
    title: str
    section: str | None = None
    page: int | None = None
    line_start: int
    line_end: int
    quote: str
    # The cited text was read by OCR from a scan (it may hold misread characters).
    ocr: bool = False
    ocr_confidence: float | None = None


class Answer(BaseModel):
    answer: str
    abstained: bool
    citations: list[Citation] = []
    tasks: list[TaskRecord] = []
    conversation_id: str | None = None
    timing_ms: dict[str, float] = {}
    note: str | None = None
