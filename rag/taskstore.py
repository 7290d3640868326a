"""The task registry: task records of an index version and queries over them.

The rows live in the version's ``tasks.sqlite`` or, with ``DA06_DATABASE_URL``, in the
version's PostgreSQL schema (``rag/registry_db.py``); the queries are SQLAlchemy Core and
the same on both. Counts, lists and deadline filters over tables are answered here with
SQL, not by passage retrieval.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import Connection, Engine, case, func, inspect, literal_column, select

from rag.database import sqlite_engine
from rag.index import TASKS_FILE
from rag.registry_db import (
    metadata,
    task_groups_table,
    task_links_table,
    task_units_table,
    tasks_table,
    version_bind,
    writing,
)
from rag.schemas import Deadline, TaskRecord
from rag.settings import Settings
from rag.text import fold

DONE = "hoàn thành"
STATUSES = ("hoàn thành", "chưa hoàn thành", "đang triển khai", "thường xuyên", "unknown")

_COLUMNS = [c.name for c in tasks_table.columns]


def write_tasks(target: Path | Connection, tasks: Sequence[TaskRecord]) -> None:
    """Write the registry's task rows: a new SQLite file at ``target``, or into an open
    transaction (the version's PostgreSQL schema)."""
    if isinstance(target, Path):
        target.unlink(missing_ok=True)
    with writing(target) as db:
        metadata.create_all(db, tables=[tasks_table, task_units_table])
        if tasks:
            db.execute(
                tasks_table.insert(),
                [dict(zip(_COLUMNS, (*_task_row(t), n), strict=True)) for n, t in enumerate(tasks)],
            )
        units = [(t.id, u, "lead") for t in tasks for u in t.lead_units] + [
            (t.id, u, "coordinating") for t in tasks for u in t.coordinating_units
        ]
        if units:
            db.execute(
                task_units_table.insert(),
                [{"task_id": i, "unit": u, "role": r} for i, u, r in units],
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


def _from_row(row) -> TaskRecord:
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


class RegistryClosed(RuntimeError):
    """A query on a store after ``close`` (a programming error, like a closed sqlite3 file)."""


class TaskStore:
    """Read-only queries over one version's registry.

    ``TaskStore(path)`` opens a ``tasks.sqlite`` file; ``TaskStore.for_version`` opens
    whichever the settings say (the file, or the version's PostgreSQL schema)."""

    def __init__(self, path: Path | None = None, bind: Engine | None = None) -> None:
        self.path = path
        self._owned = bind is None
        self._bind = bind if bind is not None else sqlite_engine(path, read_only=True)
        self._closed = False
        self._order = {
            table.name: self._position_or_rowid(table)
            for table in (tasks_table, task_groups_table, task_links_table)
        }
        # The registry is read-only: the task at a chunk's position never changes, and
        # answers ask for the same few hundred row chunks again and again.
        self._at: dict[tuple[str, int | None, int], TaskRecord | None] = {}
        # A file written before the position column cannot be asked for it.
        self._task_columns = [
            c
            for c in tasks_table.columns
            if c.name != "position" or self._order["tasks"] is tasks_table.c.position
        ]

    @classmethod
    def for_version(cls, settings: Settings, version_dir: Path) -> TaskStore:
        if settings.database_url:
            return cls(bind=version_bind(settings, version_dir.name))
        return cls(version_dir / TASKS_FILE)

    def _position_or_rowid(self, table):
        """Build order: files written before the position column kept it in SQLite's rowid."""
        if not self._owned:
            return table.c.position
        with self._connect() as db:
            columns = {row[1] for row in db.exec_driver_sql(f"PRAGMA table_info({table.name})")}
        return table.c.position if "position" in columns or not columns else literal_column("rowid")

    def close(self) -> None:
        self._closed = True
        if self._owned:
            self._bind.dispose()

    def _connect(self) -> Connection:
        # A disposed engine would silently reconnect: a retired version must stay closed.
        if self._closed:
            raise RegistryClosed("task registry is closed (its index version was retired)")
        return self._bind.connect()

    def _rows(self, statement) -> list[TaskRecord]:
        with self._connect() as db:
            return [_from_row(r) for r in db.execute(statement).mappings()]

    def _one(self, statement) -> TaskRecord | None:
        found = self._rows(statement)
        return found[0] if found else None

    def _scalar(self, statement):
        with self._connect() as db:
            return db.execute(statement).scalar_one()

    def all(self) -> list[TaskRecord]:
        return self._rows(select(*self._task_columns).order_by(self._order["tasks"]))

    def get(self, task_id: str) -> TaskRecord | None:
        return self._one(select(*self._task_columns).where(tasks_table.c.id == task_id))

    def at(self, source: str, page: int | None, line_start: int) -> TaskRecord | None:
        key = (source, page, line_start)
        if key not in self._at:
            self._at[key] = self._task_at(source, page, line_start)
        return self._at[key]

    def _task_at(self, source: str, page: int | None, line_start: int) -> TaskRecord | None:
        t = tasks_table.c
        return self._one(
            select(*self._task_columns)
            .where(
                t.source == source,
                t.line_start <= line_start,
                t.line_end >= line_start,
                t.page.is_not_distinct_from(page),
            )
            .order_by(t.line_start.desc())
            .limit(1)
        )

    def find(self, spec: TaskFilter) -> list[TaskRecord]:
        t, u = tasks_table.c, task_units_table.c
        clauses = []
        if spec.unit:
            units = select(u.task_id).where(u.unit == spec.unit)
            if spec.role:
                units = units.where(u.role == spec.role)
            clauses.append(t.id.in_(units))
        if spec.source:
            clauses.append(t.source == spec.source)
        if spec.status:
            clauses.append(t.status == spec.status)
        if spec.open_only:
            clauses.append(t.status != DONE)
        if spec.due_from:
            clauses.append(t.deadline_end >= spec.due_from.isoformat())
        if spec.due_to:
            clauses.append(t.deadline_end.is_not(None))
            clauses.append(t.deadline_start <= spec.due_to.isoformat())
        if spec.text:
            clauses.extend(t.folded.like(f"%{word}%") for word in fold(spec.text).split())
        statement = (
            select(*self._task_columns)
            .where(*clauses)
            .order_by(t.deadline_end.is_(None), t.deadline_end, t.source, self._order["tasks"])
        )
        if spec.limit:
            statement = statement.limit(int(spec.limit))
        return self._rows(statement)

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
        u = task_units_table.c
        statement = (
            select(
                u.unit,
                func.sum(case((u.role == "lead", 1), else_=0)),
                func.sum(case((u.role == "coordinating", 1), else_=0)),
            )
            .group_by(u.unit)
            .order_by(func.count().desc(), u.unit)
        )
        with self._connect() as db:
            rows = db.execute(statement).all()
        return [(unit, int(lead), int(coord)) for unit, lead, coord in rows]

    def count(self, source: str | None = None) -> int:
        statement = select(func.count()).select_from(tasks_table)
        if source:
            statement = statement.where(tasks_table.c.source == source)
        return int(self._scalar(statement))

    def groups_rows(self) -> list[tuple]:
        """``task_groups`` rows in build order (empty for an index built before groups)."""
        return self._table_rows(task_groups_table)

    def links_rows(self) -> list[tuple]:
        """``task_links`` rows in build order (empty for an index built before links)."""
        return self._table_rows(task_links_table)

    def _table_rows(self, table) -> list[tuple]:
        with self._connect() as db:
            # Every PostgreSQL registry has all tables (it was written by this code).
            if self._owned and not inspect(db).has_table(table.name):
                return []
            columns = [c for c in table.columns if c.name != "position"]
            statement = select(*columns).order_by(self._order[table.name])
            return [tuple(r) for r in db.execute(statement)]
