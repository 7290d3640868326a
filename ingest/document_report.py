"""What ingest tells the user about one document: its tables, task rows and metadata.

``da06 ingest`` prints it and the upload endpoint returns it, so a table that did not
become tasks (its header names too few task columns) is named instead of silently
missing from the registry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingest.columns import column_vocabulary
from ingest.table_blocks import table_name
from rag.index import read_manifest as read_index_manifest
from rag.schemas import LoadedDocument, TaskRecord


@dataclass(frozen=True)
class DocumentReport:
    source: str
    title: str | None
    number: str | None
    date: str | None
    tables: int  # tables read from the file's layout (PDF/DOCX)
    task_tables: int
    tasks: int  # task rows, from layout tables and from text-export tables alike
    kept_as_text: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def document_report(
    doc: LoadedDocument, entry: dict, tasks: Sequence[TaskRecord]
) -> DocumentReport:
    vocabulary = column_vocabulary()
    as_text = [
        table_name(table, index)
        for index, table in enumerate(doc.tables, start=1)
        if not vocabulary.is_task_table(vocabulary.roles_of(table.header))
    ]
    return DocumentReport(
        source=doc.source,
        title=entry.get("title"),
        number=entry.get("number"),
        date=entry.get("date"),
        tables=len(doc.tables),
        task_tables=len(doc.tables) - len(as_text),
        tasks=len(tasks),
        kept_as_text=as_text,
    )


def report_lines(reports: Sequence[dict]) -> list[str]:
    """One line per document for the command line, plus one per table kept as text."""
    lines = []
    for report in reports:
        lines.append(
            f"{report['source']}: {report['tables']} bảng / tables, "
            f"{report['task_tables']} thành nhiệm vụ / as tasks, {report['tasks']} nhiệm vụ / task rows"
        )
        lines += [f"  giữ dạng văn bản / kept as text: {name}" for name in report["kept_as_text"]]
    return lines


def report_for(version_dir: Path, source: str) -> dict | None:
    """The stored report of ``source`` in a built index version (None if absent)."""
    reports = read_index_manifest(version_dir).get("document_reports", [])
    return next((r for r in reports if r.get("source") == source), None)
