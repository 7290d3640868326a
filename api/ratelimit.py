"""Request counting shared by every API worker process: per-minute counters in a SQLite file
(one machine) or, with ``DA06_DATABASE_URL``, in PostgreSQL (every machine).

Each uvicorn worker (and each machine) would otherwise keep its own counts and multiply the effective limit.
The estimate is the usual two-window approximation of a sliding window: this window's
count plus the previous window's count weighted by how much of it still overlaps.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Column, Connection, Integer, MetaData, Table, Text, select
from sqlalchemy.dialects import postgresql, sqlite

from api.stores import open_store
from rag.database import is_postgres, lock_key

# Old windows are deleted now and then, not on every request.
SWEEP_EVERY_S = 60.0

metadata = MetaData()
hits = Table(
    "hits", metadata,
    Column("bucket", Text, primary_key=True), Column("window", Integer, primary_key=True),
    Column("n", Integer),
    sqlite_with_rowid=False,
)  # fmt: skip


class SharedLimiter:
    """At most ``limit`` requests per bucket in any ``window_s`` (approximately)."""

    def __init__(
        self,
        location: Path | str,
        window_s: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``location``: a SQLite file, or a database URL (``DA06_DATABASE_URL``)."""
        self.window_s = window_s
        self.clock = clock
        self.engine, self._reader, self._owned = open_store(location)
        self._swept = 0.0
        with self.engine.begin() as db:
            metadata.create_all(db, checkfirst=True)

    def close(self) -> None:
        if self._owned:
            self.engine.dispose()

    def _over(self, db: Connection, bucket: str, limit: int, now: float) -> float | None:
        window = int(now // self.window_s)
        into = (now - window * self.window_s) / self.window_s
        rows = dict(
            db.execute(
                select(hits.c.window, hits.c.n).where(
                    hits.c.bucket == bucket, hits.c.window >= window - 1
                )
            ).all()
        )
        estimate = rows.get(window - 1, 0) * (1.0 - into) + rows.get(window, 0)
        return max((1.0 - into) * self.window_s, 1.0) if estimate >= limit else None

    def peek(self, bucket: str, limit: int) -> float | None:
        """Like ``hit`` without counting: is ``bucket`` over ``limit`` already?"""
        if limit <= 0:
            return None
        with self._reader.connect() as db:
            return self._over(db, bucket, limit, self.clock())

    def hit(self, bucket: str, limit: int) -> float | None:
        """Count one request; returns the seconds to wait when over ``limit``, else None."""
        if limit <= 0:
            return None
        now = self.clock()
        window = int(now // self.window_s)
        with self.engine.begin() as db:
            # Check-then-count must not interleave between machines for one bucket.
            lock_key(db, f"hits:{bucket}")
            wait = self._over(db, bucket, limit, now)
            if wait is not None:
                return wait
            dialect = postgresql if is_postgres(db) else sqlite
            insert = dialect.insert(hits).values(bucket=bucket, window=window, n=1)
            db.execute(
                insert.on_conflict_do_update(
                    index_elements=[hits.c.bucket, hits.c.window], set_={"n": hits.c.n + 1}
                )
            )
            if now - self._swept > SWEEP_EVERY_S:
                self._swept = now
                db.execute(hits.delete().where(hits.c.window < window - 1))
        return None
