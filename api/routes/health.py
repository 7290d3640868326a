"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from api.deps import serving_state
from api.state import ServingState
from rag.errors import IndexNotFound

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(state: ServingState = Depends(serving_state)) -> JSONResponse:
    try:
        version = state.assistant.version
    except IndexNotFound as exc:
        return JSONResponse({"status": "no-index", "detail": str(exc)}, status_code=503)
    return JSONResponse({"status": "ok", "index_version": version})


@router.get("/readyz")
def readyz(state: ServingState = Depends(serving_state)) -> JSONResponse:
    try:
        assistant = state.assistant
        # Ready means warmed up: the model is loaded and the warm-up questions were answered.
        state.warm_up()
    except IndexNotFound as exc:
        return JSONResponse({"status": "not-ready", "detail": str(exc)}, status_code=503)
    return JSONResponse(
        {
            "status": "ready",
            "index_version": assistant.version,
            "documents": len(assistant.files.documents),
            "chunks": len(assistant.files.chunks),
            "tasks": assistant.tasks.count(),
            "warm_up_ms": round(state.warm_up_ms or 0.0, 1),
        }
    )
