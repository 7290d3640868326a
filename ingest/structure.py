"""Document structure: section headings, prose paragraphs and table rows (:class:`Block`).

Chunking wants one unit per table row and section-aligned prose; task extraction wants
rows with their columns. The corpus delivers tables in three export shapes, each with
its own parser here:

* cell-per-line (DOCX export of the 2024 plan): every cell is a line starting with a TAB,
  a line without the TAB continues the previous cell, a row starts at a cell holding only
  its number;
* tab-delimited (the 4709 letter's appendices): one row per line, cells split by TAB;
* fragments (PDF exports of the results appendices): one text fragment per line, columns
  lost; a row starts at a line holding only its number, recognised by the numbering
  sequence because years, counts and page numbers also stand alone on lines.

Everything else is prose, split into paragraphs under a stack of headings (``PHỤ LỤC``,
upper-case titles, ``I.``, ``1.``, ``1.1``). A heading that owns no content is emitted as
a one-line prose block so that its words stay searchable (outline documents are mostly
headings). Line numbers are 1-based lines of the page a block starts on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from ingest.columns import column_vocabulary
from ingest.table_blocks import table_blocks, table_name
from rag.schemas import Block, LoadedDocument, Table
from rag.text import fold, normalize

# Heading levels: a heading closes every open heading of the same or a deeper level.
LABEL, TITLE, GROUP, NUMBERED = 0, 1, 2, 3

_LABEL = re.compile(r"^phu luc(?: so)?(?: (?:\d{1,2}|[ivx]{1,4}))?\s*[:.]?$")
_ROMAN_NUMBER = r"(?:I{1,3}|IV|VI{0,3}|IX|XI{0,3})"
_ROMAN = re.compile(rf"^{_ROMAN_NUMBER}\.\s*\S")
_NUMBERED = re.compile(r"^(\d{1,2}\.(?:\d{1,2}\.?)*)\s+\S")
_ITEM_START = re.compile(
    r"^(?:[-+•*]|\(\d{1,2}\)|\d{1,2}\.(?:\d{1,2}\.?)*\s|[IVX]{1,4}\.\s|[a-zđ]\)\s)"
)
# Sentence end: a period, semicolon or similar, possibly inside closing quotes/brackets.
# A colon does not end a paragraph for headings ("3.1 Bộ Tư Pháp:") but does for joining.
_ENDS_PARAGRAPH = re.compile(r"[.;!?…][\"”’)\]]*$")
_ENDS_SENTENCE = re.compile(r"[.;:!?…][\"”’)\]]*$")
_ARTIFACTS = re.compile(r"\[(?:footnoteRef:\d+|bookmark:[^\]]*)\]")

_ROW_NUMBER = re.compile(r"^\d{1,3}$")
_TAB_ROW_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,2})*\.?$")
_GROUP_CELL = re.compile(rf"^(?:[A-ZĐ](?:\.|\s|$)|{_ROMAN_NUMBER}\.\s*\S)")
_HEADER_FIRST_CELLS = {"stt", "tt", "so tt"}

# PDF fragments.
_NUMBER_ONLY = re.compile(r"^\s*(\d{1,3})\s*$")
_INLINE_NUMBER = re.compile(r"^\s*(\d{1,3})\s+(?=[^\W\d_])")
_GROUP_LETTER = re.compile(r"^\s*([A-ZĐ])\.?(?:\s+(.*?))?\s*$")
_GROUP_TITLE = re.compile(r"^nhiem vu (?:chung|cu the|cua)\b")
_DATE_START = re.compile(r"^ngay \d")
# " Hoàn thiện ứng dụng VNeID ..." or " (2022) Chỉ đạo các nhà mạng ...": the lost number's space.
_UNNUMBERED_START = re.compile(r"^ +(?:\([^)]{1,12}\)\s*)?(-\s*)?([^\W\d_])")
# Words of the column header that the results appendices repeat on page breaks.
_HEADER_WORDS = frozenset(
    fold(
        "STT Số TT Nội dung, nhiệm vụ Văn bản chỉ đạo Đơn vị thực hiện Thời gian hoàn thành "
        "Kết quả Hoàn thành, sản phẩm Chưa hoàn thành Đang triển khai Thực hiện thường xuyên"
    )
    .replace(",", " ")
    .split()
)
# A row number more than this far ahead of the previous one is a count or a year.
MAX_ROW_GAP = 25
_LOOKAHEAD = 3
_MIN_FRAGMENT_DOC_NUMBERS = 5
_MIN_UNNUMBERED_ROW_CHARS = 30
# The plan's DOCX export wraps lines at up to ~300 characters; the report keeps one
# paragraph per line, so a longer line with a trailing space is not a wrapped one.
MAX_WRAPPED_LINE_CHARS = 400
# The plan's columns: number, task, lead unit(s), coordinating units, deadline, product.
PLAN_CELL_COUNT = 6


@dataclass(frozen=True)
class _Line:
    position: int  # index in the flattened document
    page_index: int
    page: int | None
    number: int  # 1-based within its page
    raw: str
    text: str  # normalized

    @property
    def blank(self) -> bool:
        return not self.text

    @cached_property
    def folded(self) -> str:
        return fold(self.text)


@dataclass
class _Heading:
    level: int
    text: str
    lines: list[_Line]
    path: tuple[str, ...] = ()
    used: bool = False


@dataclass
class _Outline:
    """The open headings at the current point of the document."""

    stack: list[_Heading] = field(default_factory=list)
    all: list[_Heading] = field(default_factory=list)

    @property
    def table(self) -> str | None:
        labels = [h.text for h in self.stack if h.level == LABEL]
        return labels[-1] if labels else None

    def path(self) -> tuple[str, ...]:
        return tuple(h.text for h in self.stack)

    def section(self) -> str:
        return self.stack[-1].text if self.stack else ""

    def push(self, level: int, lines: list[_Line]) -> None:
        text = _join(lines)
        heading = _Heading(level, text, list(lines))
        title = self.stack[-1] if self.stack else None
        self.pop_from(level)
        # A title printed just above its "PHỤ LỤC 05" label belongs to that appendix.
        if (
            level == LABEL
            and title is not None
            and title.level == TITLE
            and not title.used
            and lines[0].position - title.lines[-1].position <= 3
        ):
            self.stack = [heading, title]
            heading.path = (heading.text,)
            title.path = (heading.text, title.text)
        else:
            self.stack.append(heading)
            heading.path = self.path()
        self.all.append(heading)

    def pop_from(self, level: int) -> None:
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()

    def mark_used(self) -> None:
        for heading in self.stack:
            heading.used = True


@dataclass
class _Context:
    source: str
    outline: _Outline = field(default_factory=_Outline)
    blocks: list[tuple[int, Block]] = field(default_factory=list)

    def emit(
        self,
        kind: str,
        lines: Sequence[_Line],
        text: str,
        *,
        section: str | None = None,
        path: tuple[str, ...] | None = None,
        row: str | None = None,
        table: str | None = None,
        cells: tuple[str, ...] = (),
        marks_headings: bool = True,
    ) -> None:
        content = [ln for ln in lines if not ln.blank]
        if not content or not text:
            return
        first = content[0]
        # A citation names one page: a row running onto the next page is cited by the
        # lines of its first page (its text keeps everything).
        last = [ln for ln in content if ln.page_index == first.page_index][-1]
        heading = self.outline.stack[-1] if self.outline.stack else None
        heading_line = None
        if (
            kind == "prose"
            and marks_headings
            and heading is not None
            and not heading.used
            and heading.lines
            and heading.lines[0].page_index == first.page_index
            and 0 < first.position - heading.lines[-1].position <= 2
        ):
            heading_line = heading.lines[0].number
        block = Block(
            source=self.source,
            kind=kind,
            section=self.outline.section() if section is None else section,
            text=text,
            line_start=first.number,
            line_end=last.number,
            page=first.page,
            row=row,
            table=table,
            cells=cells,
            section_path=self.outline.path() if path is None else path,
            heading_line=heading_line,
        )
        if marks_headings:
            self.outline.mark_used()
        self.blocks.append((first.position, block))


def parse_blocks(doc: LoadedDocument) -> list[Block]:
    """Sections, paragraphs and table rows of a document, in document order."""
    lines = _without_table_lines(_flatten(doc), doc.tables)
    ctx = _Context(source=doc.source)
    for kind, start, end in _regions(lines):
        if kind == "cells":
            _parse_cell_table(ctx, lines[start:end])
        elif kind == "fragments":
            _parse_fragment_table(ctx, lines[start:end])
        else:
            _parse_flow(ctx, lines[start:end])
    for heading in ctx.outline.all:
        if not heading.used:
            ctx.emit(
                "prose",
                heading.lines,
                heading.text,
                section=heading.text,
                path=heading.path,
                marks_headings=False,
            )
    _emit_tables(ctx, lines, doc.tables)
    ctx.blocks.sort(key=lambda item: item[0])
    return [block for _, block in ctx.blocks]


def _without_table_lines(lines: list[_Line], tables: Sequence[Table]) -> list[_Line]:
    """Lines inside a table read by a PDF/DOCX reader are blank to the text parsers:
    the table model already holds them (see ``ingest/table_blocks.py``)."""
    covered = {key for table in tables for key in table.lines}
    if not covered:
        return lines
    return [replace(ln, raw="", text="") if (ln.page, ln.number) in covered else ln for ln in lines]


def _emit_tables(ctx: _Context, lines: Sequence[_Line], tables: Sequence[Table]) -> None:
    position_of = {(ln.page, ln.number): ln.position for ln in lines}
    vocabulary = column_vocabulary()
    for index, table in enumerate(tables, start=1):
        start = position_of.get((table.page, table.line_start), 0)
        above = [h for h in ctx.outline.all if h.lines and h.lines[0].position < start]
        base = above[-1].path if above else ()
        name = table_name(table, index)
        for block in table_blocks(ctx.source, table, base, vocabulary, name):
            ctx.blocks.append((position_of.get((block.page, block.line_start), start), block))


def rows(blocks: Iterable[Block]) -> list[Block]:
    """Only the table rows."""
    return [block for block in blocks if block.kind == "row"]


def _join(lines: Iterable[_Line]) -> str:
    return " ".join(ln.text for ln in lines if ln.text)


def _flatten(doc: LoadedDocument) -> list[_Line]:
    lines: list[_Line] = []
    for page_index, page in enumerate(doc.pages):
        for number, raw in enumerate(page.lines, start=1):
            lines.append(_Line(len(lines), page_index, page.number, number, raw, normalize(raw)))
    return lines


# --- regions ---------------------------------------------------------------------------


def _regions(lines: Sequence[_Line]) -> list[tuple[str, int, int]]:
    """Split the document into flow, cell-per-line table and fragment table regions."""
    spans = [("cells", start, end) for start, end in _cell_table_spans(lines)]
    fragment_start = _fragment_start(lines)
    if fragment_start is not None:
        spans = [s for s in spans if s[2] <= fragment_start]
        spans.append(("fragments", fragment_start, len(lines)))
    regions: list[tuple[str, int, int]] = []
    cursor = 0
    for kind, start, end in sorted(spans, key=lambda s: s[1]):
        if start > cursor:
            regions.append(("flow", cursor, start))
        regions.append((kind, start, end))
        cursor = end
    if cursor < len(lines):
        regions.append(("flow", cursor, len(lines)))
    return regions


def _single_cell(line: _Line) -> bool:
    return line.raw.startswith("\t") and line.raw.count("\t") == 1


def _cell_table_spans(lines: Sequence[_Line]) -> list[tuple[int, int]]:
    """Cell-per-line tables start at a lone ``TT``/``STT`` cell and end at the first
    untabbed line that follows a blank line (a continuation line follows its cell directly)."""
    spans = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not (_single_cell(line) and line.folded in _HEADER_FIRST_CELLS):
            index += 1
            continue
        end = index + 1
        while end < len(lines):
            current = lines[end]
            if not current.blank and not current.raw.startswith("\t") and lines[end - 1].blank:
                break
            end += 1
        spans.append((index, end))
        index = end
    return spans


def _fragment_start(lines: Sequence[_Line]) -> int | None:
    """PDF fragment tables: enough lines holding only a number, outside any tab layout."""
    numbers = [ln for ln in lines if "\t" not in ln.raw and _NUMBER_ONLY.match(ln.raw)]
    if len(numbers) < _MIN_FRAGMENT_DOC_NUMBERS:
        return None
    for line in lines:
        if line.blank or "\t" in line.raw:
            continue
        if (
            _header_words_only(line.text)
            or _NUMBER_ONLY.match(line.raw)
            or _GROUP_LETTER.match(line.raw)
            and _group_of(line) is not None
        ):
            return line.position - lines[0].position
    return None


# --- prose and tab-delimited rows ----------------------------------------------------------


@dataclass
class _TabRow:
    lines: list[_Line]
    cells: list[str]
    row: str | None


def _parse_flow(ctx: _Context, lines: Sequence[_Line]) -> None:
    paragraph: list[_Line] = []
    depth = 0  # open footnote brackets "[1:  ... ]"
    blanks = 0
    tab_row: _TabRow | None = None
    previous_tab_kind = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        if paragraph and line.page_index != paragraph[-1].page_index:
            _emit_paragraph(ctx, paragraph)
            paragraph, depth = [], 0
        if line.raw.count("\t") >= 2:
            _emit_paragraph(ctx, paragraph)
            paragraph, depth = [], 0
            tab_row, previous_tab_kind = _flow_tab_line(ctx, line, tab_row, previous_tab_kind)
            index += 1
            continue
        if line.blank:
            blanks += 1
            if depth > 0 and paragraph:
                depth = max(0, depth + _bracket_delta(line.raw))
            index += 1
            continue
        _emit_tab_row(ctx, tab_row)
        tab_row, previous_tab_kind = None, ""
        if paragraph and _continues(paragraph[-1], line, blanks, depth):
            paragraph.append(line)
            depth = max(0, depth + _bracket_delta(line.raw))
            blanks = 0
            index += 1
            continue
        _emit_paragraph(ctx, paragraph)
        paragraph, depth, blanks = [], 0, 0
        heading = _heading_at(lines, index)
        if heading is not None:
            level, end = heading
            ctx.outline.push(level, list(lines[index:end]))
            index = end
            continue
        numbered = _NUMBERED.match(line.text)
        if numbered:
            # "3.3 Bảo hiểm xã hội ..." is a numbered paragraph: it closes heading "3.2 ...".
            ctx.outline.pop_from(NUMBERED + numbered.group(1).rstrip(".").count("."))
        paragraph = [line]
        depth = max(0, _bracket_delta(line.raw))
        index += 1
    _emit_paragraph(ctx, paragraph)
    _emit_tab_row(ctx, tab_row)


def _emit_paragraph(ctx: _Context, paragraph: Sequence[_Line]) -> None:
    text = _join(paragraph)
    ctx.emit("prose", paragraph, text)


def _bracket_delta(raw: str) -> int:
    cleaned = _ARTIFACTS.sub("", raw)
    return cleaned.count("[") - cleaned.count("]")


def _starts_lower(text: str) -> bool:
    for char in text:
        if char.isalpha():
            return char.islower()
        if not char.isspace() and char not in "“\"'(":
            return False
    return False


def _continues(previous: _Line, line: _Line, blanks: int, depth: int) -> bool:
    """Does ``line`` continue the paragraph ending with ``previous``?

    Hard-wrapped exports break sentences across lines: a line that does not end a
    sentence continues into a next line starting in lower case, or, with no blank line
    between, into any line when it ends with the exporter's trailing space.
    """
    if depth > 0:
        return blanks <= 2
    if blanks > 1 or _ENDS_SENTENCE.search(previous.text):
        return False
    if _ITEM_START.match(line.text) or _LABEL.match(line.folded) or _is_upper_title(line.text):
        return False
    if _starts_lower(line.text):
        return True
    return (
        blanks == 0
        and previous.raw != previous.raw.rstrip()
        and len(previous.text) <= MAX_WRAPPED_LINE_CHARS
    )


def _is_upper_title(text: str) -> bool:
    # Document numbers keep their lower case inside titles ("422/QĐ-TTg").
    words = [word for word in text.split() if not re.search(r"[\d/-]", word)]
    letters = [char for word in words for char in word if char.isalpha()]
    return (
        len(letters) >= 2
        and not any(char.islower() for char in letters)
        and len(text) <= 200
        and not text.startswith(("-", "+"))
    )


def _next_nonblank(lines: Sequence[_Line], index: int) -> tuple[_Line | None, int]:
    blanks = 0
    for line in lines[index + 1 :]:
        if not line.blank:
            return line, blanks
        blanks += 1
    return None, blanks


def _heading_at(lines: Sequence[_Line], index: int) -> tuple[int, int] | None:
    """(level, end index) when ``lines[index]`` starts a heading."""
    line = lines[index]
    text = line.text
    if _LABEL.match(line.folded):
        return LABEL, index + 1
    following, blanks = _next_nonblank(lines, index)
    if _ROMAN.match(text):
        if len(text) <= 200 and not _ENDS_PARAGRAPH.search(text):
            return GROUP, index + 1
        return None
    numbered = _NUMBERED.match(text)
    if numbered:
        if _is_numbered_heading(line, following, blanks):
            return NUMBERED + numbered.group(1).rstrip(".").count("."), index + 1
        return None
    if _is_upper_title(text):
        end = index + 1
        while (
            end < len(lines) and _is_upper_title(lines[end].text) and not _starts_item(lines[end])
        ):
            end += 1
        return TITLE, end
    return None


def _starts_item(line: _Line) -> bool:
    return bool(_ITEM_START.match(line.text) or _LABEL.match(line.folded))


def _is_numbered_heading(line: _Line, following: _Line | None, blanks: int) -> bool:
    """Short numbered lines are headings; "1. Là trung tâm kinh tế, ..." is a paragraph."""
    text = line.text
    if len(text) > 200 or _ENDS_PARAGRAPH.search(text):
        return False
    if following is None:
        return True
    if blanks <= 1 and _starts_lower(following.text) and not _ENDS_SENTENCE.search(text):
        return False
    if len(text) <= 120:
        return True
    return not _continues(line, following, blanks, 0)


def _split_cells(raw: str) -> list[str]:
    return [normalize(cell) for cell in raw.split("\t")]


def _tab_line_kind(cells: Sequence[str], previous_kind: str) -> str:
    first = cells[0]
    rest = cells[1:]
    has_letters = any(any(ch.isalpha() for ch in cell) for cell in rest)
    if fold(first) in _HEADER_FIRST_CELLS:
        return "header"
    if _GROUP_CELL.match(first) and (len(first) > 2 or any(rest)):
        return "group"
    if _TAB_ROW_NUMBER.match(first):
        return "row" if has_letters else "empty"
    if not any(any(ch.isalpha() for ch in cell) for cell in cells):
        return "empty"
    if _is_upper_title(" ".join(c for c in cells if c)):
        return "header"  # column groups ("ĐƯỢC HƯỞNG LỢI") and totals ("TỔNG SỐ TIỀN")
    if not first and len(cells) > 1 and not cells[1] and previous_kind == "header":
        return "header"  # second header line: sub-columns under a merged cell
    if not first:
        return "continuation"
    return "other"


def _flow_tab_line(
    ctx: _Context, line: _Line, open_row: _TabRow | None, previous_kind: str
) -> tuple[_TabRow | None, str]:
    cells = _split_cells(line.raw)
    kind = _tab_line_kind(cells, previous_kind)
    if kind == "continuation" and open_row is not None:
        # A vertically merged number cell: the line is more of the same row.
        open_row.lines.append(line)
        open_row.cells = _merge_cells(open_row.cells, cells)
        return open_row, "row"
    _emit_tab_row(ctx, open_row)
    if kind == "row":
        return _TabRow([line], cells, cells[0]), kind
    if kind == "continuation":
        return _TabRow([line], cells, None), "row"
    if kind == "group":
        ctx.outline.push(GROUP, [replace(line, text=" ".join(c for c in cells if c))])
    elif kind == "other":
        ctx.emit("prose", [line], " | ".join(c for c in cells if c))
    return None, kind


def _merge_cells(cells: list[str], more: Sequence[str]) -> list[str]:
    merged = list(cells) + [""] * max(0, len(more) - len(cells))
    for index, cell in enumerate(more):
        if cell:
            merged[index] = f"{merged[index]} {cell}".strip()
    return merged


def _emit_tab_row(ctx: _Context, tab_row: _TabRow | None) -> None:
    if tab_row is None:
        return
    text = " | ".join(cell for cell in tab_row.cells if cell)
    ctx.emit(
        "row",
        tab_row.lines,
        text,
        row=tab_row.row,
        table=ctx.outline.table,
        cells=tuple(tab_row.cells),
    )


# --- cell-per-line tables (DOCX export) ------------------------------------------------------


def _parse_cell_table(ctx: _Context, lines: Sequence[_Line]) -> None:
    row_cells: list[list[_Line]] = []
    heading: list[_Line] = []
    started = False
    for line in lines:
        if not line.raw.startswith("\t"):
            # Untabbed text directly under a cell continues it ("Thời gian \nhoàn thành");
            # the region ends before any untabbed line that follows a blank one.
            if line.blank:
                continue
            if heading:
                heading.append(line)
            elif row_cells:
                row_cells[-1].append(line)
            continue
        cell = line.text
        if _ROW_NUMBER.match(cell):
            heading = _flush_heading(ctx, heading)
            _emit_cell_row(ctx, row_cells)
            row_cells = [[line]]
            started = True
        elif _GROUP_CELL.match(cell) and len(cell) > 2:
            heading = _flush_heading(ctx, heading)
            _emit_cell_row(ctx, row_cells)
            row_cells = []
            heading = [line]
            started = True
        elif heading:
            # The group heading row's empty cells close it.
            heading = _flush_heading(ctx, heading)
        elif started and row_cells:
            row_cells.append([line])
    _flush_heading(ctx, heading)
    _emit_cell_row(ctx, row_cells)


def _flush_heading(ctx: _Context, heading: list[_Line]) -> list[_Line]:
    if heading:
        ctx.outline.push(GROUP, heading)
    return []


def _emit_cell_row(ctx: _Context, row_cells: list[list[_Line]]) -> None:
    if not row_cells:
        return
    cells = tuple(_join(cell) for cell in row_cells)
    lines = [ln for cell in row_cells for ln in cell]
    text = " | ".join(cell for cell in cells if cell)
    ctx.emit(
        "row",
        lines,
        text,
        row=cells[0],
        table=ctx.outline.table,
        cells=cells if len(cells) == PLAN_CELL_COUNT else (),
    )


# --- fragment tables (PDF export) ------------------------------------------------------------


def _header_words_only(text: str, minimum: int = 2) -> bool:
    words = re.findall(r"[a-z]+", fold(text))
    return len(words) >= minimum and all(word in _HEADER_WORDS for word in words)


def _group_of(line: _Line) -> tuple[str, str] | None:
    """("C", "Nhiệm vụ của các địa phương") for a group line, None otherwise."""
    match = _GROUP_LETTER.match(line.raw)
    if not match:
        return None
    letter, title = match.group(1), normalize(match.group(2) or "")
    if title and not _GROUP_TITLE.match(fold(title)):
        return None
    return letter, title


@dataclass
class _Group:
    letter: str | None
    title: str
    start: int  # index of the group line (or of the first row when implicit)


@dataclass
class _FragmentRow:
    start: int
    row: str


def _parse_fragment_table(ctx: _Context, lines: Sequence[_Line]) -> None:
    kinds = _fragment_kinds(lines)
    groups, accepted = _row_sequence(lines, kinds)
    starts = [_FragmentRow(i, lines[i].raw.split()[0]) for i in accepted]
    starts += _unnumbered_rows(lines, kinds, groups, accepted)
    starts.sort(key=lambda r: r.start)
    labels = [
        (i, lines[i].text, _title_after(lines, kinds, i))
        for i, k in enumerate(kinds)
        if k == "label"
    ]
    base = ctx.outline.path()
    boundary = {
        i for i, k in enumerate(kinds) if k in ("label", "title", "header", "group", "gtitle")
    }
    used: set[int] = set()
    for position, start in enumerate(starts):
        stop = starts[position + 1].start if position + 1 < len(starts) else len(lines)
        end = next((i for i in range(start.start + 1, stop) if i in boundary), stop)
        row_lines = [lines[i] for i in range(start.start, end) if kinds[i] != "footer"]
        used.update(range(start.start, end))
        group = _group_at(groups, start.start)
        label, title = _label_at(labels, start.start)
        table = label or ctx.outline.table
        path = tuple(p for p in (label, title) if p) if label else base
        section = _group_section(group) or (path[-1] if path else "")
        if group and _group_section(group):
            path = (*path, section)
        text = _join(row_lines)
        ctx.emit("row", row_lines, text, section=section, path=path, row=start.row, table=table)
    _emit_fragment_leftovers(ctx, lines, kinds, used)


def _fragment_kinds(lines: Sequence[_Line]) -> list[str]:
    kinds: list[str] = []
    in_header = False
    seen_row = False
    next_letter = "A"
    for index, line in enumerate(lines):
        text = line.text
        kind = "text"
        if line.blank:
            kinds.append("blank")
            continue
        number = _NUMBER_ONLY.match(line.raw)
        group = _group_of(line)
        if number and index + 1 < len(lines) and lines[index + 1].raw and lines[index + 1].blank:
            kind = "footer"  # page number: followed by a line of spaces, not an empty one
        elif number:
            kind = "number"
        elif _LABEL.match(line.folded):
            kind = "label"
        elif line.folded.startswith("stt"):
            kind = "header"
            in_header = True
        elif group is not None and group[0] == next_letter:
            kind = "group"
            next_letter = chr(ord(next_letter) + 1)
        elif len(text) <= 80 and _GROUP_TITLE.match(line.folded) and not _after_number(kinds):
            kind = "gtitle"
        elif in_header and _header_words_only(text, 1) or not seen_row and _header_words_only(text):
            kind = "header"
        elif _is_upper_title(text) and len(text.split()) >= 3:
            kind = "title"
        elif (
            _INLINE_NUMBER.match(line.raw)
            and line.text[len(line.raw.split()[0]) :].strip()[:1].isupper()
        ):
            kind = "inline"
        if kind not in ("header", "gtitle", "blank"):
            in_header = False
        if kind in ("number", "inline"):
            seen_row = True
        kinds.append(kind)
    return kinds


def _after_number(kinds: Sequence[str], index: int | None = None) -> bool:
    """Is the nearest non-blank line above ``index`` (default: the end) a row number?"""
    position = len(kinds) if index is None else index
    for kind in reversed(kinds[max(0, position - 50) : position]):
        if kind != "blank":
            return kind in ("number", "inline")
    return False


def _row_sequence(lines: Sequence[_Line], kinds: Sequence[str]) -> tuple[list[_Group], list[int]]:
    """Accept the number lines that continue the numbering; the rest are cell content.

    Numbering rises by one, sometimes skips rows that were left out of the report, and
    restarts at 1 in a new group (after a letter line, or unannounced when a 2 follows).
    """
    groups: list[_Group] = []
    accepted: list[int] = []
    candidates = [i for i, k in enumerate(kinds) if k in ("number", "inline", "group")]
    previous = 0
    for position, index in enumerate(candidates):
        if kinds[index] == "group":
            letter, title = _group_of(lines[index]) or ("", "")
            groups.append(_Group(letter, title, index))
            previous = 0
            continue
        value = int(lines[index].raw.split()[0])
        ahead = [
            int(lines[i].raw.split()[0])
            for i in _until_group(candidates[position + 1 :], kinds)[:_LOOKAHEAD]
        ]
        if value == previous + 1:
            pass
        elif value == 1 and ahead[:1] == [2]:
            groups.append(_Group(None, "", index))
        elif previous + 1 < value <= previous + MAX_ROW_GAP and not any(
            previous < other < value for other in ahead
        ):
            pass
        else:
            continue
        if not groups:
            groups.append(_Group(None, "", index))
        accepted.append(index)
        previous = value
    _attach_group_titles(lines, kinds, groups)
    return groups, accepted


def _until_group(indices: Sequence[int], kinds: Sequence[str]) -> list[int]:
    out = []
    for index in indices:
        if kinds[index] == "group":
            break
        out.append(index)
    return out


def _attach_group_titles(
    lines: Sequence[_Line], kinds: Sequence[str], groups: list[_Group]
) -> None:
    """Group titles float away from their letter in the PDF layout; give each group the
    first title line found inside its range."""
    for position, group in enumerate(groups):
        if group.title or group.letter is None:
            continue
        end = groups[position + 1].start if position + 1 < len(groups) else len(lines)
        for index in range(group.start, end):
            if kinds[index] == "gtitle":
                group.title = lines[index].text
                break


def _unnumbered_rows(
    lines: Sequence[_Line], kinds: Sequence[str], groups: Sequence[_Group], accepted: Sequence[int]
) -> list[_FragmentRow]:
    """Rows whose number was lost in the export start with a space where the number was.

    Inside the numbering they are trusted only where it leaves exactly as many gaps as
    there are such lines (trying capitalised starts first, then any start). After a group's
    last numbered row nothing counts them, so only undashed starts are taken there, in
    either case: the export cut some rows' first words off (" chỉ đạo công an tỉnh ...").
    """
    found: list[_FragmentRow] = []
    for position, group in enumerate(groups):
        end = groups[position + 1].start if position + 1 < len(groups) else len(lines)
        numbered = [(i, int(lines[i].raw.split()[0])) for i in accepted if group.start <= i < end]
        bounds = [(group.start, 0), *numbered]
        for (left, low), (right, high) in zip(bounds, bounds[1:], strict=False):
            missing = high - low - 1
            if missing <= 0:
                continue
            for any_case, dashed in ((False, False), (True, True)):
                candidates = [
                    i
                    for i in range(left, right)
                    if _unnumbered_start(lines, kinds, i, any_case=any_case, dashed=dashed)
                ]
                if len(candidates) == missing:
                    found += [_FragmentRow(i, str(low + k + 1)) for k, i in enumerate(candidates)]
                    break
        if numbered:
            last, value = numbered[-1]
            tail = [
                i
                for i in range(last, end)
                if _unnumbered_start(lines, kinds, i, any_case=True, dashed=False)
            ]
            found += [_FragmentRow(i, str(value + k + 1)) for k, i in enumerate(tail)]
    return found


def _unnumbered_start(
    lines: Sequence[_Line], kinds: Sequence[str], index: int, *, any_case: bool, dashed: bool
) -> bool:
    if kinds[index] != "text":
        return False
    line = lines[index]
    start = _UNNUMBERED_START.match(line.raw)
    if not start or start.group(1) and not dashed:
        return False
    if not any_case and not start.group(2).isupper():
        return False
    if len(line.text) < _MIN_UNNUMBERED_ROW_CHARS or _DATE_START.match(line.folded):
        return False
    # The export writes a row's first line straight under the previous row's last line;
    # a space-led line after a blank line is a wrapped cell (" quy trình", " - Đã ban hành").
    if index == 0 or lines[index - 1].blank:
        return False
    return not _after_number(kinds, index)


def _group_at(groups: Sequence[_Group], index: int) -> _Group | None:
    current = None
    for group in groups:
        if group.start <= index:
            current = group
    return current


def _group_section(group: _Group | None) -> str:
    if group is None or group.letter is None:
        return ""
    return f"{group.letter} {group.title}".strip()


def _title_after(lines: Sequence[_Line], kinds: Sequence[str], index: int) -> str:
    for position in range(index + 1, len(lines)):
        if kinds[position] == "blank":
            continue
        return lines[position].text if kinds[position] == "title" else ""
    return ""


def _label_at(labels: Sequence[tuple[int, str, str]], index: int) -> tuple[str, str]:
    """Nearest appendix label above the row; rows printed above the first label (the PDF
    put the first page's body before its heading) belong to that first label."""
    before = [(label, title) for position, label, title in labels if position <= index]
    if before:
        return before[-1]
    if labels:
        return labels[0][1], labels[0][2]
    return "", ""


def _emit_fragment_leftovers(
    ctx: _Context, lines: Sequence[_Line], kinds: Sequence[str], used: set[int]
) -> None:
    """Text outside every row (a trailing signature block) stays searchable as prose."""
    run: list[_Line] = []
    for index, kind in enumerate(kinds):
        if index in used or kind in ("blank", "footer", "label", "header", "group", "gtitle"):
            if kind != "blank" and run:
                ctx.emit("prose", run, _join(run))
                run = []
            continue
        if kind == "title" and _title_is_table_title(kinds, index):
            continue
        run.append(lines[index])
    if run:
        ctx.emit("prose", run, _join(run))


def _title_is_table_title(kinds: Sequence[str], index: int) -> bool:
    for position in range(index - 1, -1, -1):
        if kinds[position] != "blank":
            return kinds[position] == "label"
    return False
