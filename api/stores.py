"""Opening a store that several API processes share: a SQLite file or the shared database.

A ``Path`` is one machine's SQLite file (WAL, writers queue on ``BEGIN IMMEDIATE``); a
string is a database URL (``DA06_DATABASE_URL``), whose one connection pool per process
every store shares.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from rag.database import shared_engine, sqlite_engine


def open_store(location: Path | str) -> tuple[Engine, Engine, bool]:
    """(engine for writes, engine for reads, whether the store owns and closes them)."""
    if isinstance(location, Path):
        engine = sqlite_engine(location)
        # Reads need no write lock: plain BEGIN (see rag.database.sqlite_engine).
        return engine, engine.execution_options(sqlite_read=True), True
    engine = shared_engine(location)
    return engine, engine, False
