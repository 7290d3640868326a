"""``GET /v1/audit`` (admin): the append-only log of writes, newest first."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

router = APIRouter(prefix="/v1", tags=["audit"])


@router.get("/audit")
def audit_log(
    request: Request,
    limit: int = Query(100, ge=1, le=1000),
    before: int | None = Query(None, ge=1, description="Chỉ các mục có id nhỏ hơn"),
) -> dict:
    return {"entries": request.app.state.audit.entries(limit, before)}
