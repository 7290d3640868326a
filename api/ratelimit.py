"""Request counting shared by every API worker process: a SQLite file of per-minute counters.

Each uvicorn worker would otherwise keep its own counts and multiply the effective limit.
The estimate is the usual two-window approximation of a sliding window: this window's
count plus the previous window's count weighted by how much of it still overlaps.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

# Old windows are deleted now and then, not on every request.
SWEEP_EVERY_S = 60.0


class SharedLimiter:
    """At most ``limit`` requests per bucket in any ``window_s`` (approximately)."""

    def __init__(
        self,
        path: Path,
        window_s: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.window_s = window_s
        self.clock = clock
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=10, isolation_level=None)
        self._lock = threading.Lock()
        self._swept = 0.0
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS hits (bucket TEXT, window INTEGER, n INTEGER, "
            "PRIMARY KEY (bucket, window)) WITHOUT ROWID"
        )

    def close(self) -> None:
        self._db.close()

    def _over(self, bucket: str, limit: int, now: float) -> float | None:
        window = int(now // self.window_s)
        into = (now - window * self.window_s) / self.window_s
        rows = dict(
            self._db.execute(
                "SELECT window, n FROM hits WHERE bucket = ? AND window >= ?",
                (bucket, window - 1),
            ).fetchall()
        )
        estimate = rows.get(window - 1, 0) * (1.0 - into) + rows.get(window, 0)
        return max((1.0 - into) * self.window_s, 1.0) if estimate >= limit else None

    def peek(self, bucket: str, limit: int) -> float | None:
        """Like ``hit`` without counting: is ``bucket`` over ``limit`` already?"""
        if limit <= 0:
            return None
        with self._lock:
            return self._over(bucket, limit, self.clock())

    def hit(self, bucket: str, limit: int) -> float | None:
        """Count one request; returns the seconds to wait when over ``limit``, else None."""
        if limit <= 0:
            return None
        now = self.clock()
        window = int(now // self.window_s)
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                wait = self._over(bucket, limit, now)
                if wait is not None:
                    self._db.execute("COMMIT")
                    return wait
                self._db.execute(
                    "INSERT INTO hits VALUES (?, ?, 1) "
                    "ON CONFLICT (bucket, window) DO UPDATE SET n = n + 1",
                    (bucket, window),
                )
                if now - self._swept > SWEEP_EVERY_S:
                    self._swept = now
                    self._db.execute("DELETE FROM hits WHERE window < ?", (window - 1,))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return None
