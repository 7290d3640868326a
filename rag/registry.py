"""Task registry queries as users phrase them: unit names in any spelling, dates as ISO strings.

Shared by ``GET /v1/tasks`` and ``da06 tasks``; resolves the unit through the gazetteer and
answers an unknown unit with the closest known names instead of an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from rag.errors import InvalidQuestion
from rag.schemas import TaskRecord
from rag.taskstore import STATUSES, TaskFilter, TaskStore
from rag.text import fold
from rag.units import Gazetteer

ROLES = ("lead", "coordinating")


@dataclass(frozen=True)
class TaskQuery:
    unit: str | None = None
    role: str | None = None
    document: str | None = None
    status: str | None = None
    due_from: date | None = None
    due_to: date | None = None
    text: str | None = None
    limit: int | None = None


@dataclass
class TaskQueryResult:
    tasks: list[TaskRecord]
    suggestions: list[str] = field(default_factory=list)
    unknown_unit: bool = False

    def to_dict(self) -> dict:
        return {
            "tasks": [
                t.model_dump(mode="json", exclude={"deadline": {"ranges"}}) for t in self.tasks
            ],
            "count": len(self.tasks),
            "suggestions": self.suggestions,
        }


def resolve_status(value: str | None) -> str | None:
    if not value:
        return None
    wanted = fold(value)
    for status in STATUSES:
        if fold(status) == wanted:
            return status
    raise InvalidQuestion(
        f"Tình trạng không hợp lệ: {value}; dùng một trong {', '.join(STATUSES)} / invalid status"
    )


def resolve_role(value: str | None) -> str | None:
    if value and value not in ROLES:
        raise InvalidQuestion(
            f"Vai trò không hợp lệ: {value}; dùng lead hoặc coordinating / invalid role"
        )
    return value


def resolve_document(
    value: str | None, sources: list[str], aliases: dict[str, list[str]]
) -> str | None:
    if not value:
        return None
    wanted = fold(value)
    for source in sources:
        if wanted in (fold(source), fold(source.rsplit(".", 1)[0])):
            return source
        if any(wanted == fold(a) for a in aliases.get(source, [])):
            return source
    return value  # an unknown document simply matches nothing


def run_task_query(
    store: TaskStore, gazetteer: Gazetteer, query: TaskQuery, source: str | None
) -> TaskQueryResult:
    unit = None
    if query.unit:
        unit = gazetteer.canonical(query.unit)
        if unit is None:
            known = {name for name, _, _ in store.unit_counts()}
            unit = next((name for name in known if fold(name) == fold(query.unit)), None)
        if unit is None:
            return TaskQueryResult(
                tasks=[], suggestions=gazetteer.suggest(query.unit), unknown_unit=True
            )
    spec = TaskFilter(
        unit=unit,
        role=resolve_role(query.role),
        source=source,
        status=resolve_status(query.status),
        due_from=query.due_from,
        due_to=query.due_to,
        text=query.text,
        limit=query.limit,
    )
    return TaskQueryResult(tasks=store.find(spec))


def query_tasks(settings, query: TaskQuery) -> TaskQueryResult:
    """Open the current index's registry and run one query (for the CLI)."""
    from rag.index import IndexFiles
    from rag.units import default_gazetteer

    files = IndexFiles.load(settings.index_dir)
    store = TaskStore.for_version(settings, files.path)
    try:
        source = resolve_document(query.document, list(files.documents), files.aliases)
        return run_task_query(store, default_gazetteer(), query, source)
    finally:
        store.close()
