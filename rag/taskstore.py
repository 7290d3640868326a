"""The task registry: task records in SQLite (``tasks.sqlite`` of an index version) and queries.

Counts, lists and deadline filters over tables are answered here with SQL, not by
passage retrieval.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from rag.schemas import Deadline, TaskRecord
from rag.text import fold

DONE = "hoàn thành"
STATUSES = ("hoàn thành", "chưa hoàn thành", "đang triển khai", "thường xuyên", "unknown")

_SCHEMA = """
CREATE TABLE tasks (
    id TEXT PRIMARY KEY, source TEXT, title TEXT, section TEXT, row TEXT, text TEXT,
    lead_units TEXT, coordinating_units TEXT, directives TEXT,
    deadline_text TEXT, deadline_start TEXT, deadline_end TEXT, deadline_kind TEXT,
    deadline_ranges TEXT, product TEXT, status TEXT, result TEXT, page INTEGER,
    line_start INTEGER, line_end INTEGER, folded TEXT
);
CREATE TABLE task_units (task_id TEXT, unit TEXT, role TEXT);
CREATE INDEX task_units_unit ON task_units (unit);
CREATE INDEX tasks_end ON tasks (deadline_end);
"""


def write_tasks(path: Path, tasks: list[TaskRecord]) -> None:
    path.unlink(missing_ok=True)
    with sqlite3.connect(path) as db:
        db.executescript(_SCHEMA)
        db.executemany(
            "INSERT INTO tasks VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [_task_row(t) for t in tasks],
        )
        db.executemany(
            "INSERT INTO task_units VALUES (?,?,?)",
            [(t.id, u, "lead") for t in tasks for u in t.lead_units]
            + [(t.id, u, "coordinating") for t in tasks for u in t.coordinating_units],
        )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _task_row(t: TaskRecord) -> tuple:
    return (
        t.id, t.source, t.title, t.section, t.row, t.text,
        json.dumps(t.lead_units, ensure_ascii=False),
        json.dumps(t.coordinating_units, ensure_ascii=False),
        json.dumps(t.directives, ensure_ascii=False),
        t.deadline.text, _iso(t.deadline.start), _iso(t.deadline.end), t.deadline.kind,
        json.dumps([[a.isoformat(), b.isoformat()] for a, b in t.deadline.ranges]),
        t.product, t.status, t.result, t.page, t.line_start, t.line_end,
        fold(" ".join([t.text, t.product or "", t.result or "", *t.directives])),
    )  # fmt: skip


def _from_row(row: sqlite3.Row) -> TaskRecord:
    ranges = [
        (date.fromisoformat(a), date.fromisoformat(b))
        for a, b in json.loads(row["deadline_ranges"])
    ]
    return TaskRecord(
        id=row["id"], source=row["source"], title=row["title"], section=row["section"],
        row=row["row"], text=row["text"],
        lead_units=json.loads(row["lead_units"]),
        coordinating_units=json.loads(row["coordinating_units"]),
        directives=json.loads(row["directives"]),
        deadline=Deadline(
            text=row["deadline_text"],
            start=date.fromisoformat(row["deadline_start"]) if row["deadline_start"] else None,
            end=date.fromisoformat(row["deadline_end"]) if row["deadline_end"] else None,
            kind=row["deadline_kind"], ranges=ranges,
        ),
        product=row["product"], status=row["status"], result=row["result"], page=row["page"],
        line_start=row["line_start"], line_end=row["line_end"],
    )  # fmt: skip


@dataclass(frozen=True)
class TaskFilter:
    unit: str | None = None  # canonical unit name
    role: str | None = None  # "lead" or "coordinating"
    source: str | None = None
    status: str | None = None
    due_from: date | None = None
    due_to: date | None = None
    text: str | None = None
    open_only: bool = False
    limit: int | None = None


class TaskStore:
    """Read-only queries over one version's ``tasks.sqlite``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        # The file is read-only: the task at a chunk's position never changes, and answers
        # ask for the same few hundred row chunks again and again (a table scan each).
        self._at: dict[tuple[str, int | None, int], TaskRecord | None] = {}

    def close(self) -> None:
        self._db.close()

    def all(self) -> list[TaskRecord]:
        return [_from_row(r) for r in self._db.execute("SELECT * FROM tasks ORDER BY rowid")]

    def get(self, task_id: str) -> TaskRecord | None:
        row = self._db.execute("SELECT * FROM tasks WHERE id = ?", (task_id,)).fetchone()
        return _from_row(row) if row else None

    def at(self, source: str, page: int | None, line_start: int) -> TaskRecord | None:
        key = (source, page, line_start)
        if key not in self._at:
            self._at[key] = self._task_at(source, page, line_start)
        return self._at[key]

    def _task_at(self, source: str, page: int | None, line_start: int) -> TaskRecord | None:
        row = self._db.execute(
            "SELECT * FROM tasks WHERE source = ? AND line_start <= ? AND line_end >= ? "
            "AND (page IS ? OR page = ?) ORDER BY line_start DESC LIMIT 1",
            (source, line_start, line_start, page, page),
        ).fetchone()
        return _from_row(row) if row else None

    def find(self, spec: TaskFilter) -> list[TaskRecord]:
        clauses: list[str] = []
        params: list[object] = []
        if spec.unit:
            role_clause = " AND role = ?" if spec.role else ""
            clauses.append(f"id IN (SELECT task_id FROM task_units WHERE unit = ?{role_clause})")
            params.extend([spec.unit, spec.role] if spec.role else [spec.unit])
        if spec.source:
            clauses.append("source = ?")
            params.append(spec.source)
        if spec.status:
            clauses.append("status = ?")
            params.append(spec.status)
        if spec.open_only:
            clauses.append("status != ?")
            params.append(DONE)
        if spec.due_from:
            clauses.append("deadline_end >= ?")
            params.append(spec.due_from.isoformat())
        if spec.due_to:
            clauses.append("deadline_end IS NOT NULL AND deadline_start <= ?")
            params.append(spec.due_to.isoformat())
        if spec.text:
            for word in fold(spec.text).split():
                clauses.append("folded LIKE ?")
                params.append(f"%{word}%")
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        order = "ORDER BY deadline_end IS NULL, deadline_end, source, rowid"
        limit = f"LIMIT {int(spec.limit)}" if spec.limit else ""
        rows = self._db.execute(f"SELECT * FROM tasks {where} {order} {limit}", params)
        return [_from_row(r) for r in rows]

    def upcoming(self, as_of: date, days: int, unit: str | None = None) -> list[TaskRecord]:
        """Open tasks whose deadline ends within ``days`` after ``as_of``."""
        spec = TaskFilter(unit=unit, open_only=True)
        until = as_of + timedelta(days=days)
        return [t for t in self.find(spec) if t.deadline.end and as_of <= t.deadline.end <= until]

    def overdue(self, as_of: date, unit: str | None = None) -> list[TaskRecord]:
        """Not completed and past the end of the deadline range (recurring tasks never are)."""
        spec = TaskFilter(unit=unit, open_only=True)
        return [
            t
            for t in self.find(spec)
            if t.deadline.kind in ("date", "range") and t.deadline.end and t.deadline.end < as_of
        ]

    def unit_counts(self) -> list[tuple[str, int, int]]:
        rows = self._db.execute(
            "SELECT unit, SUM(role = 'lead'), SUM(role = 'coordinating') FROM task_units "
            "GROUP BY unit ORDER BY COUNT(*) DESC, unit"
        )
        return [(unit, int(lead), int(coord)) for unit, lead, coord in rows]

    def count(self, source: str | None = None) -> int:
        if source:
            return self._db.execute(
                "SELECT COUNT(*) FROM tasks WHERE source = ?", (source,)
            ).fetchone()[0]
        return self._db.execute("SELECT COUNT(*) FROM tasks").fetchone()[0]
