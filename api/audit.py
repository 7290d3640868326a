"""Append-only record of every write: who (key role and fingerprint), what, when, outcome.

SQLite triggers refuse UPDATE and DELETE on the table, so the API cannot rewrite history;
admins read it at ``GET /v1/audit``. Shared by API worker processes.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    who TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    outcome TEXT NOT NULL,
    detail TEXT
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
"""


class AuditLog:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=30, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)

    def record(
        self, who: str, action: str, target: str | None, outcome: str, detail: dict | None = None
    ) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO audit (at, who, action, target, outcome, detail) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (time.time(), who, action, target, outcome,
                 json.dumps(detail, ensure_ascii=False) if detail else None),
            )  # fmt: skip

    def entries(self, limit: int = 100, before: int | None = None) -> list[dict]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, at, who, action, target, outcome, detail FROM audit "
                "WHERE id < ? ORDER BY id DESC LIMIT ?",
                (before or 2**62, limit),
            ).fetchall()
        return [
            {
                "id": row[0],
                "at": datetime.fromtimestamp(row[1], UTC).isoformat(timespec="seconds"),
                "who": row[2],
                "action": row[3],
                "target": row[4],
                "outcome": row[5],
                "detail": json.loads(row[6]) if row[6] else None,
            }
            for row in rows
        ]

    def close(self) -> None:
        self._db.close()
