"""The same task across documents over HTTP: one task with its linked rows, and the list of
linked rows that disagree on deadline, lead unit or status.

Registered after the ``tasks`` router, so ``/v1/tasks/upcoming`` and ``/v1/tasks/overdue``
keep their routes and only other ids reach ``/v1/tasks/{task_id}``.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends

from api.deps import current_assistant
from rag.assistant import Assistant
from rag.errors import TaskNotFound
from rag.links import Conflict, disagreements
from rag.schemas import TaskRecord

router = APIRouter(prefix="/v1", tags=["tasks"])


def task_json(task: TaskRecord) -> dict:
    return task.model_dump(mode="json", exclude={"deadline": {"ranges"}})


def conflict_json(conflict: Conflict) -> dict:
    return {
        "field": conflict.field,
        "task": task_json(conflict.task),
        "other": task_json(conflict.other),
    }


@router.get("/tasks/{task_id}")
def task_with_links(task_id: str, assistant: Assistant = Depends(current_assistant)) -> dict:
    """One task row, the rows of other documents linked to it, and where they disagree."""
    task = assistant.tasks.get(task_id)
    if task is None:
        raise TaskNotFound(f"Không có nhiệm vụ {task_id} / no task with id {task_id}")
    linked = assistant.registry.linked(task_id)
    return {
        "task": task_json(task),
        "linked": [task_json(t) for t in linked],
        "conflicts": [
            {"field": field, "other_id": other.id}
            for other in linked
            for field in disagreements(task, other)
        ],
    }


@router.get("/conflicts")
def task_conflicts(assistant: Assistant = Depends(current_assistant)) -> dict:
    """Linked rows that disagree, each pair and field once."""
    found = assistant.registry.conflicts()
    return {"conflicts": [conflict_json(c) for c in found], "count": len(found)}
