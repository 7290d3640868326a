"""The task registry in PostgreSQL answers exactly as ``tasks.sqlite`` does, on the shipped
corpus, and an index version's registry is built, switched and pruned with its folder."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

import ingest.build
from api.state import ServingState
from ingest.build import ingest_corpus
from rag.database import shared_engine
from rag.index import TASKS_FILE, current_version
from rag.registry_db import registry_versions, schema_name
from rag.settings import Settings
from rag.taskstore import STATUSES, TaskFilter, TaskStore
from tests.conftest import make_settings

AS_OF = date(2024, 7, 1)


@pytest.fixture(scope="module")
def stores(corpus_settings: Settings, pg_corpus_settings: Settings):
    version_dir = corpus_settings.index_dir / current_version(corpus_settings.index_dir)
    embedded = TaskStore(version_dir / TASKS_FILE)
    shared = TaskStore.for_version(pg_corpus_settings, version_dir)
    yield embedded, shared
    embedded.close()
    shared.close()


def _filters(store: TaskStore) -> list[TaskFilter]:
    units = [unit for unit, _, _ in store.unit_counts()[:12]]
    sources = sorted({t.source for t in store.all()})
    filters = [TaskFilter(unit=u, role=r) for u in units for r in (None, "lead", "coordinating")]
    filters += [TaskFilter(source=s) for s in sources]
    filters += [TaskFilter(status=s) for s in STATUSES]
    filters += [TaskFilter(open_only=True), TaskFilter(limit=7)]
    filters += [
        TaskFilter(due_from=date(2024, 1, 1), due_to=date(2024, 6, 30)),
        TaskFilter(due_to=date(2023, 12, 31), open_only=True),
        TaskFilter(unit=units[0], due_from=date(2024, 4, 1)),
    ]
    filters += [
        TaskFilter(text=q)
        for q in ("định danh điện tử", "CSDLQG dan cu", "VNeID", "lý lịch tư pháp")
    ]
    return filters


def test_every_query_gives_the_same_rows(stores) -> None:
    embedded, shared = stores
    tasks = embedded.all()
    assert len(tasks) > 800 and shared.all() == tasks  # same rows, same (build) order
    assert shared.count() == embedded.count()
    assert shared.unit_counts() == embedded.unit_counts()  # byte order of names, both
    for source in sorted({t.source for t in tasks}):
        assert shared.count(source) == embedded.count(source)
    for spec in _filters(embedded):
        assert [t.id for t in shared.find(spec)] == [t.id for t in embedded.find(spec)], spec
    for task in tasks[::25]:
        assert shared.get(task.id) == task
        assert shared.at(task.source, task.page, task.line_start) == embedded.at(
            task.source, task.page, task.line_start
        )
    assert shared.upcoming(AS_OF, 90) == embedded.upcoming(AS_OF, 90)
    assert shared.overdue(AS_OF) == embedded.overdue(AS_OF)
    assert shared.groups_rows() == embedded.groups_rows()
    assert shared.links_rows() == embedded.links_rows() and embedded.links_rows()


def test_registry_questions_answer_alike(corpus_settings: Settings, pg_corpus_settings) -> None:
    from rag.registry import TaskQuery, query_tasks

    found = 0
    for query in (
        TaskQuery(unit="catp", role="lead"),
        TaskQuery(unit="so tt&tt", due_to=date(2024, 6, 30)),
        TaskQuery(document="Kế hoạch 2024", status="hoàn thành"),
        TaskQuery(unit="khong co don vi nay"),
    ):
        embedded = query_tasks(corpus_settings, query)
        shared = query_tasks(pg_corpus_settings, query)
        assert shared.to_dict() == embedded.to_dict(), query
        found += len(embedded.tasks)
    assert found > 0


def _schemas(settings: Settings) -> set[str]:
    with shared_engine(settings.database_url).connect() as db:
        rows = db.execute(text("SELECT schema_name FROM information_schema.schemata"))
        return {name for (name,) in rows if name.startswith(settings.collection_prefix)}


def test_versions_built_switched_and_pruned_in_postgres(
    tmp_path: Path, small_corpus: Path, database_url: str, monkeypatch
) -> None:
    settings = make_settings(tmp_path, small_corpus, database_url=database_url)
    first = ingest_corpus(settings)
    assert not (settings.index_dir / first.version / TASKS_FILE).exists()  # rows live in PG
    assert registry_versions(settings) == {first.version: first.tasks}
    serving = ServingState(settings, dense=False)
    with serving.lease() as assistant:
        assert assistant.tasks.count() == first.tasks > 0

    # Another document: a new version, switched by the shared CURRENT pointer.
    shutil.copy(
        Path(__file__).parents[2] / "corpus" / "phu-luc-03-ket-qua-nhiem-vu-de-an-06.txt",
        small_corpus,
    )
    monkeypatch.setattr(ingest.build, "KEEP_VERSIONS", 1)
    second = ingest_corpus(settings)
    assert second.version > first.version and second.tasks > first.tasks
    serving.refresh()
    with serving.lease() as assistant:
        assert assistant.version == second.version
        assert assistant.tasks.count() == second.tasks
    # The pruned version's schema went with its folder.
    assert registry_versions(settings) == {second.version: second.tasks}
    assert _schemas(settings) == {schema_name(settings, second.version)}
    serving.close()
