"""Report drafts over HTTP: ``GET /v1/reports/{template}?unit=&as_of=&format=docx|csv`` fills
one of the 4709 letter's task-table templates from the registry for a unit and a date."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from api.deps import current_assistant
from rag.assistant import Assistant
from rag.deadlines import parse_iso_date
from rag.errors import InvalidQuestion
from rag.report_drafts import fill, template_named
from rag.report_files import draft_csv, draft_docx

router = APIRouter(prefix="/v1", tags=["reports"])

FORMATS = {
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        draft_docx,
    ),
    "csv": ("text/csv; charset=utf-8", draft_csv),
}


def _as_of(value: str | None) -> date:
    if not value:
        return date.today()
    try:
        return parse_iso_date(value)
    except ValueError as exc:
        raise InvalidQuestion(f"as_of: {exc}") from exc


def _unit(assistant: Assistant, unit: str | None) -> str | None:
    if not unit:
        return None
    canonical = assistant.gazetteer.canonical(unit)
    if canonical is None:
        suggestions = ", ".join(assistant.gazetteer.suggest(unit)) or "—"
        raise InvalidQuestion(
            f"Không nhận ra đơn vị “{unit}” (gợi ý: {suggestions}) / unknown unit {unit!r}"
        )
    return canonical


@router.get("/reports/{template}")
def report_draft(
    template: str,
    unit: str | None = Query(None, description="Đơn vị: tên, viết tắt, có hoặc không dấu"),
    as_of: str | None = Query(None, description="YYYY-MM-DD (mặc định: hôm nay)"),
    format: str = Query("docx", description="docx | csv"),
    assistant: Assistant = Depends(current_assistant),
) -> Response:
    if format not in FORMATS:
        raise InvalidQuestion("format: dùng docx hoặc csv / format must be docx or csv")
    chosen = template_named(template)
    draft = fill(chosen, assistant.registry.rows, _unit(assistant, unit), _as_of(as_of))
    media_type, render = FORMATS[format]
    name = f"phu-luc-{chosen.key}-{(draft.unit or 'tat-ca')}-{draft.as_of.isoformat()}.{format}"
    return Response(
        content=render(draft),
        media_type=media_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
            "X-Report-Rows": str(draft.row_count),
        },
    )
