"""Tables of a PDF as :class:`Table` models, with pdfplumber.

pypdf's text keeps no cell boundaries (layout mode prints a ruled row as one line of
space-separated columns), so pages holding a table are re-read here from word positions:
ruled tables through pdfplumber's table finder (cell boxes), unruled ones from the header
line's role words and the vertical rivers of white space between columns
(``ingest/unruled.py``). Those pages' lines become the words grouped by baseline, so each
row is cited by its own lines on its own page. Pages without a table keep pypdf's text.
Page numbers and running heads are dropped from every page (``ingest/page_furniture.py``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, replace

import pdfplumber

from ingest.columns import ColumnVocabulary, column_vocabulary
from ingest.page_furniture import furniture_lines, is_page_number, running_keys
from ingest.pdf_lines import TextLine, text_lines
from ingest.tables import RawRow, assemble_table, clean_cell, is_header_row
from ingest.unruled import UnruledRead, continued_rows, unruled_rows
from rag.schemas import Page, Table

# A ruled table needs a header and a row at least, and two columns.
MIN_RULED_ROWS = 2
MIN_RULED_COLUMNS = 2


@dataclass
class _PageRead:
    number: int
    lines: list[TextLine]
    tables: list[list[tuple[tuple[str, ...], float, float]]]  # rows: cells, top, bottom
    table_lines: set[int]
    bounds: tuple[float, ...] = ()  # columns of an unruled table, for the next page


def _ruled_tables(page) -> list[list[tuple[tuple[str, ...], float, float]]]:
    found = []
    for table in page.find_tables():
        texts = table.extract()
        if len(texts) < MIN_RULED_ROWS or max(len(r) for r in texts) < MIN_RULED_COLUMNS:
            continue
        rows = [
            (tuple(clean_cell(cell) for cell in cells), row.bbox[1], row.bbox[3])
            for cells, row in zip(texts, table.rows, strict=False)
        ]
        found.append(rows)
    return found


def _lines_in(lines: Sequence[TextLine], top: float, bottom: float) -> list[int]:
    return [i for i, line in enumerate(lines) if top - 1 <= line.middle <= bottom + 1]


def _read_page(
    page, number: int, vocabulary: ColumnVocabulary, carried: tuple[float, ...]
) -> _PageRead:
    lines = text_lines(page.extract_words(keep_blank_chars=False, use_text_flow=False))
    # A page number is furniture, and inside a table it would read as a row number.
    while lines and is_page_number(lines[-1].text):
        lines = lines[:-1]
    while lines and is_page_number(lines[0].text):
        lines = lines[1:]
    ruled = _ruled_tables(page)
    unruled = UnruledRead([])
    if not ruled:
        unruled = unruled_rows(lines, vocabulary)
        if not unruled.tables:
            unruled = continued_rows(lines, carried)
    tables = ruled or unruled.tables
    covered = {
        index
        for rows in tables
        for _, top, bottom in rows
        for index in _lines_in(lines, top, bottom)
    }
    return _PageRead(number, lines, tables, covered, unruled.bounds)


def _raw_rows(read: _PageRead, kept: list[int], rows) -> list[RawRow]:
    line_number = {index: position for position, index in enumerate(kept, start=1)}
    out = []
    for cells, top, bottom in rows:
        numbers = [line_number[i] for i in _lines_in(read.lines, top, bottom) if i in line_number]
        if not numbers:
            continue
        keys = frozenset((read.number, n) for n in numbers)
        out.append(RawRow(cells, read.number, min(numbers), max(numbers), keys))
    return out


def _continues(previous: list[RawRow], rows: list[RawRow], vocabulary: ColumnVocabulary) -> bool:
    """A table at the top of a page goes on from the previous page's last table when it
    has as many columns and either repeats that header or has none of its own."""
    if not previous or not rows or rows[0].page == previous[-1].page:
        return False
    if len(rows[0].cells) != len(previous[0].cells):
        return False
    first = rows[0].cells
    return first == previous[0].cells or not is_header_row(first, vocabulary)


def read_pdf_tables(
    data: bytes, source: str, pages: tuple[Page, ...]
) -> tuple[tuple[Page, ...], tuple[Table, ...]]:
    """Pages with table pages re-read by word positions, and the tables found."""
    vocabulary = column_vocabulary()
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            reads: list[_PageRead] = []
            for number, page in enumerate(pdf.pages, start=1):
                carried = reads[-1].bounds if reads else ()
                reads.append(_read_page(page, number, vocabulary, carried))
    except Exception:  # pdfplumber fails where pypdf coped: keep pypdf's text, no tables
        return pages, ()
    running = running_keys(
        [[ln.text for i, ln in enumerate(r.lines) if i not in r.table_lines] for r in reads]
    )
    out_pages: list[Page] = []
    groups: list[list[RawRow]] = []
    for read, page in zip(reads, pages, strict=False):
        if not read.tables:
            drop = furniture_lines(page.lines, running)
            # ``replace`` keeps what the loader knew of the page (OCR confidence, warnings).
            lines = tuple(ln for i, ln in enumerate(page.lines) if i not in drop)
            out_pages.append(replace(page, lines=lines))
            continue
        texts = [ln.text for ln in read.lines]
        drop = furniture_lines(texts, running) - read.table_lines
        kept = [i for i in range(len(read.lines)) if i not in drop]
        out_pages.append(replace(page, lines=tuple(texts[i] for i in kept)))
        for rows in read.tables:
            raw = _raw_rows(read, kept, rows)
            if groups and _continues(groups[-1], raw, vocabulary):
                groups[-1].extend(raw)
            else:
                groups.append(raw)
    tables = [assemble_table(rows, vocabulary) for rows in groups]
    return tuple(out_pages), tuple(t for t in tables if t is not None and t.rows)
