"""Raw table rows (as a PDF or DOCX reader finds them) -> one :class:`Table` model.

Readers only cut a page into rows of cells; what makes those rows a table is the same
for every source and lives here: the header is the row naming column roles, a header
repeated on a later page is dropped, so is a row of column numbers ("(1) (2) (3)"), a
row printed across a page break is joined to its first part, and a row spanning the
whole table ("I. VỀ CÔNG TÁC CHỈ ĐẠO") is a group row (a section).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.columns import ColumnVocabulary, header_key
from rag.schemas import Table, TableRow

# A header sits in the first rows; further down, a row naming roles is data.
HEADER_SEARCH_ROWS = 4
# A header row names at least this many roles ("TT", "Nội dung", "Đơn vị chủ trì" ...).
MIN_HEADER_ROLES = 2
# A row-number cell is short ("01", "1.2", "12a"); a longer text there is a group title.
MAX_ROW_LABEL_CHARS = 6
# A header cell is a few words; a first row with longer cells is data.
MAX_HEADER_CELL_CHARS = 60

_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")

LineKey = tuple[int | None, int]


@dataclass(frozen=True)
class RawRow:
    """Cells of one printed row, before header and page-break handling."""

    cells: tuple[str, ...]
    page: int | None
    line_start: int
    line_end: int
    lines: frozenset[LineKey] = frozenset()


def clean_cell(text: str | None) -> str:
    """Cell text on one line: wrapped lines and runs of spaces joined by single spaces."""
    return " ".join((text or "").split())


def is_header_row(cells: Sequence[str], vocabulary: ColumnVocabulary) -> bool:
    """Short cells naming several column roles; a data row's long cells may name roles too
    ("… nhiệm vụ …", "… phối hợp Bộ Công an")."""
    return vocabulary.header_score(cells) >= MIN_HEADER_ROLES and all(
        len(cell) <= MAX_HEADER_CELL_CHARS for cell in cells
    )


def _same_header(cells: Sequence[str], header: Sequence[str]) -> bool:
    return [header_key(c) for c in cells] == [header_key(c) for c in header]


def _is_column_numbers(cells: Sequence[str]) -> bool:
    filled = [c for c in cells if c]
    return len(filled) >= 3 and all(_COLUMN_NUMBER.match(c) for c in filled)


def _header_rows(rows: Sequence[RawRow], vocabulary: ColumnVocabulary) -> tuple[int, int]:
    """(first, end) of the header rows; (0, 0) when no row names column roles.

    A header may take two rows: "Kết quả" above "Hoàn thành, sản phẩm | Chưa hoàn thành".
    """
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if is_header_row(row.cells, vocabulary):
            end = index + 1
            if end < len(rows) and _continues_header(rows[end], vocabulary):
                end += 1
            return index, end
    if rows and _looks_like_header(rows[0].cells):
        return 0, 1  # a statistics table: its first row names columns no role knows
    return 0, 0


def _looks_like_header(cells: Sequence[str]) -> bool:
    return (
        len(cells) >= 2
        and all(cells)
        and all(len(cell) <= MAX_HEADER_CELL_CHARS for cell in cells)
        and not any(cell[:1].isdigit() for cell in cells)
    )


def _continues_header(row: RawRow, vocabulary: ColumnVocabulary) -> bool:
    # Sub-headers split a spanning header cell, so there are two at least; a single cell
    # under the header is a group row ("I. VỀ CÔNG TÁC ... (09 NHIỆM VỤ)").
    if _is_column_numbers(row.cells) or len([c for c in row.cells if c]) < 2:
        return False
    return vocabulary.header_score(row.cells) >= 1 and all(
        not cell or vocabulary.role_of(cell) for cell in row.cells
    )


def _merged_header(rows: Sequence[RawRow], width: int) -> tuple[str, ...]:
    cells = ["" for _ in range(width)]
    for row in rows:
        for index, cell in enumerate(row.cells[:width]):
            if cell and cell not in cells[index]:
                cells[index] = f"{cells[index]} {cell}".strip()
    return tuple(cells)


def _is_group(cells: Sequence[str], row_column: int | None) -> bool:
    filled = [c for c in dict.fromkeys(cells) if c]
    if len(filled) != 1:
        return False
    label = cells[row_column] if row_column is not None else ""
    # "I. VỀ CÔNG TÁC ..." written in the number column (or spanning the table).
    return not label or len(label) > MAX_ROW_LABEL_CHARS or not label[:1].isdigit()


def _joined(first: TableRow, more: RawRow) -> TableRow:
    width = max(len(first.cells), len(more.cells))
    cells = [
        " ".join(
            part
            for part in (
                first.cells[i] if i < len(first.cells) else "",
                more.cells[i] if i < len(more.cells) else "",
            )
            if part
        )
        for i in range(width)
    ]
    return TableRow(tuple(cells), first.page, first.line_start, first.line_end, first.group)


def assemble_table(rows: Sequence[RawRow], vocabulary: ColumnVocabulary) -> Table | None:
    """One table from its raw rows (possibly from several pages); None when empty."""
    if not rows:
        return None
    width = max(len(row.cells) for row in rows)
    start, end = _header_rows(rows, vocabulary)
    header = _merged_header(rows[start:end], width) if end else ()
    roles = vocabulary.roles_of(header)
    row_column = roles.index("row") if "row" in roles else None
    body: list[TableRow] = []
    last_page = rows[0].page
    for raw in rows[end:]:
        cells = tuple(raw.cells) + ("",) * (width - len(raw.cells))
        if not any(cells) or _is_column_numbers(cells) or header and _same_header(cells, header):
            continue
        new_page, last_page = raw.page != last_page, raw.page
        cut_by_break = new_page and body and not body[-1].group
        if cut_by_break and row_column is not None and not cells[row_column]:
            # The rest of a row cut by the page break: same row, its cells go on.
            body[-1] = _joined(body[-1], raw)
            continue
        group = _is_group(cells, row_column)
        body.append(TableRow(cells, raw.page, raw.line_start, raw.line_end, group))
    anchor = rows[start] if end else rows[0]
    return Table(
        header=header,
        rows=tuple(body),
        page=anchor.page,
        line_start=anchor.line_start,
        line_end=max(r.line_end for r in rows if r.page == rows[-1].page),
        lines=frozenset(key for row in rows for key in row.lines),
    )


def group_title(row: TableRow) -> str:
    return next((cell for cell in row.cells if cell), "")


def row_label(row: TableRow, roles: Sequence[str | None]) -> str:
    if "row" not in roles:
        return ""
    return row.cells[roles.index("row")].rstrip(".")
