"""The FastAPI application factory: ``create_app(settings)``.

Serving state (the loaded index, conversation, job and audit stores, the job runner) is
built and closed by the lifespan handler, so every worker process owns its own and
releases it on shutdown. Auth is attached one way: each router is included with the
dependency of its role (``ROUTER_ROLES``); ``tests/api/test_routes.py`` lists every route
and the role it requires, so a new route cannot become public by accident.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.concurrency import run_in_threadpool

from api.audit import AuditLog
from api.conversations import ConversationStore
from api.headers import SecurityHeaders
from api.job_runner import JobRunner
from api.jobs import Job, JobStore
from api.recovery import RecoveryReport, recover
from api.routes import (
    ask,
    audit,
    chat,
    documents,
    health,
    jobs,
    pages,
    reports,
    search,
    task_links,
    tasks,
    widget,
)
from api.security import (
    BodySizeLimit,
    Security,
    require_admin,
    require_calendar_read,
    require_integration,
    require_read,
)
from api.staging import jobs_dir
from api.state import ServingState
from api.text_input import INVALID_UNICODE
from rag.errors import Da06Error
from rag.llm import LlmAnswerer
from rag.settings import Settings, get_settings

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
DATABASE_DOWN = (
    "Cơ sở dữ liệu tạm thời không truy cập được / the database is unavailable, try again"
)
PUBLIC = "public"
# Every router and the role its routes require; "public" routes carry no credentials.
ROUTER_ROLES: list[tuple[APIRouter, str]] = [
    (health.router, PUBLIC),
    (pages.router, PUBLIC),
    (ask.router, "read"),
    (tasks.router, "read"),
    # After ``tasks``: /v1/tasks/upcoming and /v1/tasks/overdue must match before /v1/tasks/{id}.
    (task_links.router, "read"),
    (reports.router, "read"),
    (search.router, "read"),
    (documents.read_router, "read"),
    (chat.router, "read"),
    (widget.read_router, "read"),
    (tasks.calendar_router, "calendar"),
    (widget.router, "integration"),
    (tasks.token_router, "integration"),
    (documents.router, "admin"),
    (jobs.router, "admin"),
    (audit.router, "admin"),
]
ROLE_DEPENDENCIES = {
    PUBLIC: [],
    "read": [Depends(require_read)],
    "calendar": [Depends(require_calendar_read)],
    "integration": [Depends(require_integration)],
    "admin": [Depends(require_admin)],
}


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "Yêu cầu không hợp lệ / invalid request — " + "; ".join(parts)


# Every error body is ``{"detail": "<tiếng Việt> / <English>"}``, 422 included (the handler
# below replaces FastAPI's list of validation errors): the published schema says so.
ERROR_SCHEMA = {
    "title": "HTTPValidationError",
    "type": "object",
    "properties": {"detail": {"type": "string", "title": "Detail"}},
    "required": ["detail"],
}


def _openapi_with_error_schema(app: FastAPI):
    generate = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = generate()
            schemas = schema.setdefault("components", {}).setdefault("schemas", {})
            schemas["HTTPValidationError"] = ERROR_SCHEMA
            app.openapi_schema = schema
        return app.openapi_schema

    return openapi


def _lifespan(settings: Settings, dense: bool, serving: ServingState | None):
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = app.state
        state.serving = serving or ServingState(settings, dense=dense)
        state.security = Security(settings)
        state.conversations = ConversationStore(
            settings.conversation_store,
            settings.conversation_ttl_s,
            settings.conversation_max_turns,
        )
        state.jobs = JobStore(jobs_dir(settings) / "jobs.sqlite")
        state.audit = AuditLog(settings.index_dir.parent / "audit.sqlite")
        try:
            state.recovery = await run_in_threadpool(recover, settings, state.jobs)
        except Exception:  # a damaged index or corpus must not stop the server: it answers 503
            log.exception("start-up recovery")
            state.recovery = RecoveryReport()
        # Load (and verify) the index and warm it up now (model, caches, warm-up questions):
        # the first request must not pay for it.
        await run_in_threadpool(state.serving.ready)
        await run_in_threadpool(state.serving.warm_up)

        def audit_outcome(job: Job) -> None:
            detail = {"job_id": job.id, "error": job.error}
            state.audit.record(
                job.owner or "?", f"document.{job.kind}", job.source, job.state, detail
            )

        state.job_runner = JobRunner(settings, state.jobs, state.serving.refresh, audit_outcome)
        state.job_runner.start()
        try:
            yield
        finally:
            await run_in_threadpool(state.job_runner.stop)
            if serving is None:
                state.serving.close()
            for store in (state.conversations, state.jobs, state.audit, state.security):
                store.close()

    return lifespan


def create_app(
    settings: Settings | None = None, dense: bool = True, serving: ServingState | None = None
) -> FastAPI:
    """``serving``: an already loaded state to share (tests); the app then does not close it."""
    settings = settings or get_settings()
    app = FastAPI(
        title="Trợ lý Đề án 06",
        description="Hỏi đáp có trích dẫn trên văn bản chỉ đạo, kế hoạch và báo cáo Đề án 06.",
        version="0.1.0",
        lifespan=_lifespan(settings, dense, serving),
    )
    app.state.settings = settings
    app.state.llm = LlmAnswerer.from_settings(settings)

    @app.exception_handler(Da06Error)
    async def _domain_error(_: Request, exc: Da06Error) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=exc.http_status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _validation_message(exc)}, status_code=422)

    @app.exception_handler(OperationalError)
    async def _database_down(_: Request, exc: OperationalError) -> JSONResponse:
        log.error("database: %s", exc)
        return JSONResponse({"detail": DATABASE_DOWN}, status_code=503)

    @app.exception_handler(UnicodeError)
    async def _not_text(_: Request, exc: UnicodeError) -> JSONResponse:
        # Last line of defence: text that is not valid Unicode got past the request models.
        return JSONResponse({"detail": INVALID_UNICODE}, status_code=422)

    for router, role in ROUTER_ROLES:
        app.include_router(router, dependencies=ROLE_DEPENDENCIES[role])
    app.openapi = _openapi_with_error_schema(app)

    app.add_middleware(
        BodySizeLimit, json_limit=settings.max_json_bytes, upload_limit=settings.max_upload_bytes
    )
    origins = [o.strip().rstrip("/") for o in settings.cors_origins.split(",") if o.strip()]
    app.add_middleware(SecurityHeaders, frame_origins=origins)
    if origins:
        # Added last so it is outermost: 413/429/401 answers carry CORS headers too,
        # and the browser can show the real error instead of a CORS failure.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "X-API-Key", "Content-Type"],
            expose_headers=["Retry-After", "Location"],
            max_age=600,
        )
    return app
