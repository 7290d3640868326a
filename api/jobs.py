"""Document jobs (add or delete a document) in a SQLite file shared by every API worker.

A job is a row: the API inserts it ``queued``; a runner claims it (``running``) and its
worker process reports stage and progress; it ends ``done`` or ``failed`` with a reason.
Several uvicorn workers share the file, so claiming is one conditional UPDATE.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
ADD, DELETE = "add", "delete"
FINISHED_STATES = (DONE, FAILED)
# Finished jobs are kept this long for status polling, then swept.
KEEP_FINISHED_S = 7 * 24 * 3600

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    state TEXT NOT NULL,
    stage TEXT NOT NULL,
    progress REAL NOT NULL DEFAULT 0,
    error TEXT,
    document TEXT,
    entry TEXT,
    owner TEXT,
    pid INTEGER,
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_state ON jobs (state, created);
"""


@dataclass(frozen=True)
class Job:
    id: str
    kind: str  # ADD or DELETE
    source: str  # the corpus file name the job adds or deletes
    state: str
    stage: str
    progress: float
    error: str | None
    document: dict | None
    entry: dict  # manifest fields of an added document (title, number, date, issuer)
    owner: str | None
    pid: int | None

    def public(self) -> dict:
        """The ``GET /v1/jobs/{id}`` body (contract in ARCHITECTURE.md)."""
        return {
            "job_id": self.id,
            "kind": self.kind,
            "source": self.source,
            "state": self.state,
            "stage": self.stage,
            "progress": round(self.progress, 3),
            "error": self.error,
            "document": self.document,
        }


def _job(row: sqlite3.Row) -> Job:
    return Job(
        id=row["id"],
        kind=row["kind"],
        source=row["source"],
        state=row["state"],
        stage=row["stage"],
        progress=row["progress"],
        error=row["error"],
        document=json.loads(row["document"]) if row["document"] else None,
        entry=json.loads(row["entry"]) if row["entry"] else {},
        owner=row["owner"],
        pid=row["pid"],
    )


class JobStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=30, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    @staticmethod
    def new_id() -> str:
        return uuid.uuid4().hex

    def create(
        self,
        kind: str,
        source: str,
        entry: dict | None = None,
        owner: str | None = None,
        job_id: str | None = None,
    ) -> Job:
        now = time.time()
        job_id = job_id or self.new_id()
        self._db.execute(
            "INSERT INTO jobs (id, kind, source, state, stage, entry, owner, created, updated) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (job_id, kind, source, QUEUED, QUEUED, json.dumps(entry or {}, ensure_ascii=False),
             owner, now, now),
        )  # fmt: skip
        return self.get(job_id)  # type: ignore[return-value]

    def get(self, job_id: str) -> Job | None:
        row = self._db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return _job(row) if row else None

    def recent(self, limit: int = 20) -> list[Job]:
        rows = self._db.execute(
            "SELECT * FROM jobs ORDER BY created DESC LIMIT ?", (limit,)
        ).fetchall()
        return [_job(r) for r in rows]

    def unfinished(self) -> list[Job]:
        rows = self._db.execute(
            "SELECT * FROM jobs WHERE state IN (?, ?) ORDER BY created", (QUEUED, RUNNING)
        ).fetchall()
        return [_job(r) for r in rows]

    def pending_source(self, source: str) -> Job | None:
        """An unfinished job on the same file: a second upload or delete of it must wait."""
        row = self._db.execute(
            "SELECT * FROM jobs WHERE source = ? AND state IN (?, ?) LIMIT 1",
            (source, QUEUED, RUNNING),
        ).fetchone()
        return _job(row) if row else None

    def claim_next(self) -> Job | None:
        """The oldest queued job, now ``running``; None when another worker took it first."""
        row = self._db.execute(
            "SELECT id FROM jobs WHERE state = ? ORDER BY created LIMIT 1", (QUEUED,)
        ).fetchone()
        if row is None:
            return None
        claimed = self._db.execute(
            "UPDATE jobs SET state = ?, stage = 'starting', updated = ? WHERE id = ? AND state = ?",
            (RUNNING, time.time(), row["id"], QUEUED),
        ).rowcount
        return self.get(row["id"]) if claimed else None

    def progress(self, job_id: str, stage: str, progress: float, pid: int | None = None) -> None:
        self._db.execute(
            "UPDATE jobs SET stage = ?, progress = ?, pid = COALESCE(?, pid), updated = ? "
            "WHERE id = ? AND state = ?",
            (stage, max(0.0, min(progress, 1.0)), pid, time.time(), job_id, RUNNING),
        )

    def finish(self, job_id: str, document: dict | None) -> None:
        self._end(job_id, DONE, "done", None, document)

    def fail(self, job_id: str, error: str) -> None:
        self._end(job_id, FAILED, "failed", error, None)

    def _end(
        self, job_id: str, state: str, stage: str, error: str | None, document: dict | None
    ) -> None:
        # Only an unfinished job ends: the first of worker and watchdog to decide wins.
        self._db.execute(
            "UPDATE jobs SET state = ?, stage = ?, error = ?, document = ?, progress = "
            "CASE WHEN ? = 'done' THEN 1 ELSE progress END, updated = ? "
            "WHERE id = ? AND state IN (?, ?)",
            (state, stage, error, json.dumps(document, ensure_ascii=False) if document else None,
             state, time.time(), job_id, QUEUED, RUNNING),
        )  # fmt: skip

    def sweep(self, now: float | None = None) -> int:
        cutoff = (now or time.time()) - KEEP_FINISHED_S
        return self._db.execute(
            "DELETE FROM jobs WHERE state IN (?, ?) AND updated < ?", (DONE, FAILED, cutoff)
        ).rowcount
