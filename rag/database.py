"""Database engines: SQLite files by default, PostgreSQL when ``DA06_DATABASE_URL`` is set.

Everything that several API machines must see alike (conversations, rate-limit counters,
each index version's task registry) goes through SQLAlchemy Core, so one set of queries
runs on both. SQLite stays the embedded default: one file per store, shared by the worker
processes of one machine. PostgreSQL is for several machines: SQLite's locking does not
hold across hosts (and WAL needs shared memory on one host), so its files cannot simply
be put on a network share.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.pool import NullPool, QueuePool

_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def database_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3 (SQLAlchemy would pick psycopg2)."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url.removeprefix(plain)
    return url


def shared_engine(url: str) -> Engine:
    """One engine (one connection pool) per database URL per process."""
    url = database_url(url)
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
            _engines[url] = engine
        return engine


def _forget_engines_in_child() -> None:
    # A forked child must not reuse its parent's sockets (SQLAlchemy's advice for pools).
    for engine in _engines.values():
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_engines_in_child)


def is_postgres(bind: Engine | Connection) -> bool:
    return bind.dialect.name == "postgresql"


def sqlite_engine(path: Path, read_only: bool = False, timeout: float = 30.0) -> Engine:
    """An engine on one SQLite file. Writes run in ``BEGIN IMMEDIATE`` transactions: the
    write lock is taken up front, so two writers queue (busy timeout) instead of one of them
    failing when it upgrades a read lock. Connections with the execution option
    ``sqlite_read=True`` begin plain read transactions."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)

    def connect() -> sqlite3.Connection:
        if read_only:
            return sqlite3.connect(
                f"file:{path}?mode=ro", uri=True, check_same_thread=False, timeout=timeout
            )
        return sqlite3.connect(path, check_same_thread=False, timeout=timeout)

    engine = create_engine("sqlite://", creator=connect, poolclass=QueuePool, pool_size=2)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # pysqlite's own implicit BEGIN is turned off; the "begin" hook below emits ours.
        dbapi_connection.isolation_level = None
        if not read_only:
            dbapi_connection.execute("PRAGMA journal_mode=WAL")
            dbapi_connection.execute("PRAGMA synchronous=NORMAL")

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        reading = read_only or connection.get_execution_options().get("sqlite_read", False)
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")

    return engine


def scratch_sqlite_engine(path: Path) -> Engine:
    """A plain engine for writing a new file once (an index version's ``tasks.sqlite``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return create_engine(
        "sqlite://", creator=lambda: sqlite3.connect(path, check_same_thread=False),
        poolclass=NullPool,
    )  # fmt: skip


def lock_key(bind: Connection, name: str) -> None:
    """Serialise transactions on ``name`` across machines (PostgreSQL advisory lock, released
    at commit). On SQLite ``BEGIN IMMEDIATE`` already serialises every writer."""
    if is_postgres(bind):
        bind.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:name, 0))"), {"name": name}
        )


def forget_engine(url: str) -> None:
    """Close the process's pool for ``url`` (before the database is dropped, in tests)."""
    with _engines_lock:
        engine = _engines.pop(database_url(url), None)
    if engine is not None:
        engine.dispose()
