"""Liveness and readiness. ``/readyz`` counts (documents, chunks, tasks, skipped versions)
only for callers with an API key: anonymous probes learn ready or not, nothing more."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from api.deps import serving_state
from api.security import has_valid_key
from api.state import ServingState
from rag.errors import Da06Error

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(state: ServingState = Depends(serving_state)) -> JSONResponse:
    try:
        version = state.assistant.version
    except Da06Error as exc:
        return JSONResponse({"status": "no-index", "detail": str(exc)}, status_code=503)
    return JSONResponse({"status": "ok", "index_version": version})


@router.get("/readyz")
def readyz(request: Request, state: ServingState = Depends(serving_state)) -> JSONResponse:
    detailed = has_valid_key(request)
    try:
        # Ready means warmed up: the model is loaded and the warm-up questions were answered.
        state.warm_up()
        with state.lease() as assistant:
            body: dict = {"status": "ready", "index_version": assistant.version}
            if detailed:
                body |= {
                    "documents": len(assistant.files.documents),
                    "chunks": len(assistant.files.chunks),
                    "tasks": assistant.tasks.count(),
                    "skipped_versions": state.rejected,
                    "warm_up_ms": round(state.warm_up_ms or 0.0, 1),
                }
    except Da06Error as exc:
        body = {"status": "not-ready"}
        if detailed:
            body["detail"] = str(exc)
        return JSONResponse(body, status_code=503)
    return JSONResponse(body)
