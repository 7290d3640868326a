"""Tables of a DOCX file as :class:`Table` models, cited by the lines the loader gives them.

The DOCX loader writes one line per paragraph line and one line per table row, in body
order; this walk counts lines the same way so that a row's citation is its own line.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import docx
from docx.table import Table as DocxTable

from ingest.columns import column_vocabulary
from ingest.tables import RawRow, assemble_table, clean_cell
from rag.schemas import Page, Table


def _grid_cells(row) -> tuple[str, ...]:
    """One text per grid column; a horizontally merged cell keeps its text in its first
    column (python-docx returns the same cell once per spanned column)."""
    cells: list[str] = []
    previous = None
    for cell in row.cells:
        cells.append("" if cell._tc is previous else clean_cell(cell.text))
        previous = cell._tc
    return tuple(cells)


def _raw_rows(table: DocxTable, first_line: int) -> list[RawRow]:
    return [
        RawRow(_grid_cells(row), None, line, line, frozenset({(None, line)}))
        for line, row in enumerate(table.rows, start=first_line)
    ]


def _walk(data: bytes) -> Iterator[list[RawRow]]:
    line = 1
    for block in docx.Document(io.BytesIO(data)).iter_inner_content():
        if isinstance(block, DocxTable):
            yield _raw_rows(block, line)
            line += len(block.rows)
        else:
            line += len(block.text.split("\n"))


def read_docx_tables(
    data: bytes, source: str, pages: tuple[Page, ...]
) -> tuple[tuple[Page, ...], tuple[Table, ...]]:
    """The loader's pages unchanged, and the tables of the file."""
    vocabulary = column_vocabulary()
    tables = [assemble_table(rows, vocabulary) for rows in _walk(data)]
    return pages, tuple(t for t in tables if t is not None and t.rows)
