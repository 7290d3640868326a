"""The task registry over HTTP: filters, upcoming/overdue views, units, calendar feed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from api.deps import current_assistant
from api.security import principal_of
from api.text_input import bounded_date, single_line
from rag.assistant import Assistant
from rag.calendar import tasks_calendar
from rag.deadlines import parse_iso_date
from rag.errors import InvalidQuestion
from rag.registry import TaskQuery, TaskQueryResult, resolve_document, run_task_query
from rag.schemas import TaskRecord

router = APIRouter(prefix="/v1", tags=["tasks"])
# The calendar feed has its own access rule (a token in the URL), so it is not under the
# read dependency the app puts on ``router``.
calendar_router = APIRouter(prefix="/v1", tags=["tasks"])
token_router = APIRouter(prefix="/v1", tags=["tasks"])


def _date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return bounded_date(parse_iso_date(value))
    except ValueError as exc:
        raise InvalidQuestion(f"Ngày {name} không hợp lệ / {name}: {exc}") from exc


def _run(assistant: Assistant, query: TaskQuery) -> TaskQueryResult:
    source = resolve_document(query.document, list(assistant.files.documents), assistant.aliases)
    return run_task_query(assistant.tasks, assistant.gazetteer, query, source)


@router.get("/tasks")
def list_tasks(
    unit: str | None = Query(None, description="Đơn vị: tên, viết tắt, có hoặc không dấu"),
    role: str | None = Query(None, description="lead | coordinating"),
    document: str | None = Query(None, description="Tệp nguồn hoặc tên gọi tắt của tài liệu"),
    status: str | None = Query(
        None, description="hoàn thành | chưa hoàn thành | đang triển khai | thường xuyên | unknown"
    ),
    due_from: str | None = Query(None, description="YYYY-MM-DD"),
    due_to: str | None = Query(None, description="YYYY-MM-DD"),
    q: str | None = Query(None, description="Tìm trong nội dung nhiệm vụ"),
    limit: int | None = Query(None, ge=1, le=1000),
    assistant: Assistant = Depends(current_assistant),
) -> dict:
    query = TaskQuery(
        unit=unit, role=role, document=document, status=status,
        due_from=_date(due_from, "due_from"), due_to=_date(due_to, "due_to"), text=q, limit=limit,
    )  # fmt: skip
    return _run(assistant, query).to_dict()


def _unit_filtered(assistant: Assistant, unit: str | None) -> tuple[str | None, list[str]]:
    if not unit:
        return None, []
    canonical = assistant.gazetteer.canonical(unit)
    return (canonical, []) if canonical else (None, assistant.gazetteer.suggest(unit))


def _view(tasks: list, suggestions: list[str]) -> dict:
    return TaskQueryResult(tasks=tasks, suggestions=suggestions).to_dict()


def _deadline_view(
    assistant: Assistant, unit: str | None, view: Callable[[str | None], list[TaskRecord]]
) -> dict:
    """A deadline view for one unit (any spelling); an unknown unit gets suggestions."""
    canonical, suggestions = _unit_filtered(assistant, unit)
    if unit and canonical is None:
        return _view([], suggestions)
    return _view(view(canonical), [])


@router.get("/tasks/upcoming")
def upcoming_tasks(
    days: int = Query(30, ge=0, le=3660),
    as_of: str | None = Query(None, description="YYYY-MM-DD (mặc định: hôm nay)"),
    unit: str | None = None,
    assistant: Assistant = Depends(current_assistant),
) -> dict:
    reference = _date(as_of, "as_of") or date.today()
    return _deadline_view(assistant, unit, lambda u: assistant.tasks.upcoming(reference, days, u))


@router.get("/tasks/overdue")
def overdue_tasks(
    as_of: str | None = Query(None, description="YYYY-MM-DD (mặc định: hôm nay)"),
    unit: str | None = None,
    assistant: Assistant = Depends(current_assistant),
) -> dict:
    reference = _date(as_of, "as_of") or date.today()
    return _deadline_view(assistant, unit, lambda u: assistant.tasks.overdue(reference, u))


@calendar_router.get("/tasks.ics", response_class=Response)
def tasks_ics(
    unit: str | None = None,
    role: str | None = None,
    document: str | None = None,
    token: str | None = Query(None, description="Mã lịch (POST /v1/calendar-tokens)"),
    assistant: Assistant = Depends(current_assistant),
) -> Response:
    result = _run(assistant, TaskQuery(unit=unit, role=role, document=document))
    # The unit is echoed into X-WR-CALNAME: a CR/LF in it would start a property of its own.
    unit_name = single_line(unit or "")
    name = f"Hạn nhiệm vụ Đề án 06 — {unit_name}" if unit_name else "Hạn nhiệm vụ Đề án 06"
    return Response(
        content=tasks_calendar(result.tasks, name),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'inline; filename="da06-tasks.ics"'},
    )


class CalendarTokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ttl_s: int | None = Field(
        None, ge=1, description="Thời hạn (giây), tối đa DA06_CALENDAR_TOKEN_TTL_S"
    )


@token_router.post("/calendar-tokens")
def issue_calendar_token(request: Request, body: CalendarTokenRequest | None = None) -> dict:
    """A long-lived token that opens only the calendar feed, for subscription URLs."""
    token, expires_at = request.app.state.security.calendar_tokens.issue(
        body.ttl_s if body else None
    )
    principal = principal_of(request)
    request.app.state.audit.record(principal.subject, "calendar-token.issue", None, "ok")
    return {
        "token": token,
        "expires_at": expires_at.isoformat(timespec="seconds"),
        "url": f"/v1/tasks.ics?token={token}",
    }


@router.get("/units")
def units(assistant: Assistant = Depends(current_assistant)) -> dict:
    rows = []
    for name, lead, coordinating in assistant.tasks.unit_counts():
        rows.append(
            {
                "name": name,
                "kind": assistant.gazetteer.kind(name),
                "lead": lead,
                "coordinating": coordinating,
                "total": lead + coordinating,
            }
        )
    return {"units": rows}
