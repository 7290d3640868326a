"""Table readers keyed by file suffix, run after a loader has read a file's pages.

A reader returns the pages (a PDF reader may re-read a table page so that each table
row has lines of its own) and the tables as :class:`rag.schemas.Table` models.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ingest.docx_tables import read_docx_tables
from ingest.pdf_tables import read_pdf_tables
from rag.schemas import LoadedDocument, Page, Table

TableReader = Callable[[bytes, str, tuple[Page, ...]], tuple[tuple[Page, ...], tuple[Table, ...]]]

TABLE_READERS: dict[str, TableReader] = {
    ".docx": read_docx_tables,
    ".pdf": read_pdf_tables,
}


def with_tables(doc: LoadedDocument, data: bytes, suffix: str) -> LoadedDocument:
    """``doc`` with the tables its file holds (unchanged for suffixes without a reader)."""
    reader = TABLE_READERS.get(suffix)
    if reader is None:
        return doc
    pages, tables = reader(data, doc.source, doc.pages)
    return replace(doc, pages=pages, tables=tables)
