"""Where an index version's task registry lives, and its tables (one definition, two databases).

Embedded (the default): ``tasks.sqlite`` inside the version folder. With
``DA06_DATABASE_URL``: a PostgreSQL schema per version (``da06_<version>``), written by
the build in one transaction together with its row in ``registry_versions``, so a reader
never sees a half-written registry. The version folder's ``CURRENT`` pointer stays the one
switch: a machine that follows it to a new version reads that version's schema. Old
schemas are dropped when their version folders are pruned.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.schema import CreateSchema

from rag.database import scratch_sqlite_engine, shared_engine
from rag.errors import Da06Error, DatabaseUnavailable
from rag.index import TASKS_FILE
from rag.settings import Settings

# PostgreSQL compares text by the database's locale unless told otherwise; "C" compares
# bytes like SQLite, so ``ORDER BY unit`` and ISO-date comparisons agree on both.
TEXT = Text().with_variant(Text(collation="C"), "postgresql")

metadata = MetaData()
tasks_table = Table(
    "tasks", metadata,
    Column("id", TEXT, primary_key=True), Column("source", TEXT), Column("title", TEXT),
    Column("section", TEXT), Column("row", TEXT), Column("text", TEXT),
    Column("lead_units", TEXT), Column("coordinating_units", TEXT), Column("directives", TEXT),
    Column("deadline_text", TEXT), Column("deadline_start", TEXT), Column("deadline_end", TEXT),
    Column("deadline_kind", TEXT), Column("deadline_ranges", TEXT), Column("product", TEXT),
    Column("status", TEXT), Column("result", TEXT), Column("page", Integer),
    Column("line_start", Integer), Column("line_end", Integer), Column("folded", TEXT),
    # Build order (SQLite's rowid did this before; PostgreSQL has none).
    Column("position", Integer),
    Index("tasks_end", "deadline_end"),
)  # fmt: skip
task_units_table = Table(
    "task_units", metadata,
    Column("task_id", TEXT), Column("unit", TEXT), Column("role", TEXT),
    Index("task_units_unit", "unit"),
)  # fmt: skip
task_groups_table = Table(
    "task_groups", metadata,
    Column("task_id", TEXT, primary_key=True), Column("group_key", TEXT),
    Column("group_title", TEXT), Column("part", TEXT), Column("part_number", TEXT),
    Column("position", Integer),
)  # fmt: skip
task_links_table = Table(
    "task_links", metadata,
    Column("task_id", TEXT), Column("other_id", TEXT), Column("score", Float),
    Column("position", Integer),
    Index("task_links_task", "task_id"),
)  # fmt: skip

# Which registry versions PostgreSQL holds (outside the per-version schemas).
catalog = MetaData()
versions_table = Table(
    "registry_versions", catalog,
    Column("version", TEXT, primary_key=True), Column("schema_name", TEXT),
    Column("task_count", Integer), Column("created", Float),
)  # fmt: skip


class RegistryMissing(Da06Error):
    http_status = 503


def schema_name(settings: Settings, version: str) -> str:
    """A lower-case identifier PostgreSQL takes unquoted (version names are [0-9A-Za-z_-])."""
    return re.sub(r"[^0-9a-z_]", "_", f"{settings.collection_prefix}_{version}".lower())[:63]


def version_bind(settings: Settings, version: str) -> Engine:
    """The shared engine with unqualified table names mapped to ``version``'s schema."""
    engine = shared_engine(settings.database_url or "")
    return engine.execution_options(schema_translate_map={None: schema_name(settings, version)})


@contextmanager
def writing(target: Path | Connection) -> Iterator[Connection]:
    """A connection inside a transaction: ``target`` itself, or a new SQLite file's."""
    if isinstance(target, Connection):
        yield target
        return
    engine = scratch_sqlite_engine(target)
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


@contextmanager
def registry_writer(
    settings: Settings, version: str, version_dir: Path
) -> Iterator[Path | Connection]:
    """Where the build writes ``version``'s registry: the version folder's ``tasks.sqlite``,
    or a connection into the version's new PostgreSQL schema (committed on exit, with the
    version's catalog row; nothing is left on failure)."""
    if not settings.database_url:
        yield version_dir / TASKS_FILE
        return
    schema = schema_name(settings, version)
    engine = shared_engine(settings.database_url)
    with engine.begin() as connection:
        catalog.create_all(connection, checkfirst=True)
        connection.execute(CreateSchema(schema))
        # Connection.execution_options changes the connection itself (SQLAlchemy 2).
        connection.execution_options(schema_translate_map={None: schema})
        yield connection
        count = connection.execute(select(func.count()).select_from(tasks_table)).scalar_one()
        connection.execution_options(schema_translate_map=None)
        connection.execute(
            versions_table.insert().values(
                version=version, schema_name=schema, task_count=count, created=time.time()
            )
        )


def registry_versions(settings: Settings) -> dict[str, int]:
    """Versions PostgreSQL holds a registry for, with their task counts."""
    engine = shared_engine(settings.database_url or "")
    with engine.connect() as connection:
        if not inspect(connection).has_table(versions_table.name):
            return {}
        rows = connection.execute(select(versions_table.c.version, versions_table.c.task_count))
        return {version: count for version, count in rows}


def check_registry(settings: Settings, version: str, task_count: int | None) -> None:
    """Raise unless the database holds ``version``'s whole registry (PostgreSQL only)."""
    if not settings.database_url:
        return
    try:
        found = registry_versions(settings).get(version)
    except SQLAlchemyError as exc:
        # Not a damaged version: the version is tried again once the database answers.
        raise DatabaseUnavailable(
            "Không kết nối được cơ sở dữ liệu / the database cannot be reached: "
            f"{type(exc).__name__}"
        ) from exc
    if found is None or (task_count is not None and found != task_count):
        raise RegistryMissing(
            f"Cơ sở dữ liệu thiếu sổ nhiệm vụ của chỉ mục {version} / the database holds no "
            f"complete task registry for index version {version} "
            f"(found {found}, expected {task_count})"
        )


def drop_registry(settings: Settings, version: str) -> None:
    """Remove ``version``'s schema and catalog row (no-op for SQLite: the file goes with the
    folder)."""
    if not settings.database_url:
        return
    schema = schema_name(settings, version)
    with shared_engine(settings.database_url).begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        if inspect(connection).has_table(versions_table.name):
            connection.execute(versions_table.delete().where(versions_table.c.version == version))


def prune_registries(settings: Settings, keep: set[str], newest: str) -> list[str]:
    """Drop registries of versions not kept and older than ``newest`` (a newer one may be a
    build in progress on another machine); returns the versions dropped."""
    if not settings.database_url:
        return []
    dropped = [v for v in registry_versions(settings) if v not in keep and v < newest]
    for version in dropped:
        drop_registry(settings, version)
    return dropped
