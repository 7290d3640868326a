"""The FastAPI application factory: ``create_app(settings)``."""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from api.conversations import ConversationStore
from api.routes import (
    ask,
    chat,
    documents,
    health,
    pages,
    reports,
    search,
    task_links,
    tasks,
    widget,
)
from api.security import BodySizeLimit, Security, require_read
from api.state import ServingState
from rag.errors import Da06Error
from rag.llm import LlmAnswerer
from rag.settings import Settings, get_settings

STATIC_DIR = Path(__file__).parent / "static"


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "Yêu cầu không hợp lệ / invalid request — " + "; ".join(parts)


def create_app(settings: Settings | None = None, dense: bool = True) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="Trợ lý Đề án 06",
        description="Hỏi đáp có trích dẫn trên văn bản chỉ đạo, kế hoạch và báo cáo Đề án 06.",
        version="0.1.0",
    )
    app.state.settings = settings
    app.state.serving = ServingState(settings, dense=dense)
    # Warm start: model, index and caches load before the first request (see rag/warmup.py).
    # Looked up at startup: tests and deployments may swap ``app.state.serving`` before it.
    app.router.add_event_handler("startup", lambda: app.state.serving.warm_up())
    app.state.conversations = ConversationStore(
        settings.conversations_path, settings.conversation_ttl_s, settings.conversation_max_turns
    )

    @app.exception_handler(Da06Error)
    async def _domain_error(_: Request, exc: Da06Error) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=exc.http_status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _validation_message(exc)}, status_code=422)

    app.state.security = Security(settings)
    app.state.llm = LlmAnswerer.from_settings(settings)

    read = [Depends(require_read)]
    app.include_router(health.router)
    app.include_router(ask.router, dependencies=read)
    app.include_router(tasks.router, dependencies=read)
    # After ``tasks``: /v1/tasks/upcoming and /v1/tasks/overdue must match before /v1/tasks/{id}.
    app.include_router(task_links.router, dependencies=read)
    app.include_router(reports.router, dependencies=read)
    app.include_router(tasks.calendar_router)
    app.include_router(search.router)
    app.include_router(documents.router)
    app.include_router(chat.router)
    app.include_router(widget.router)
    app.include_router(pages.router)

    app.add_middleware(
        BodySizeLimit, json_limit=settings.max_json_bytes, upload_limit=settings.max_upload_bytes
    )
    origins = [o.strip().rstrip("/") for o in settings.cors_origins.split(",") if o.strip()]
    if origins:
        # Added last so it is outermost: 413/429/401 answers carry CORS headers too,
        # and the browser can show the real error instead of a CORS failure.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "X-API-Key", "Content-Type"],
            expose_headers=["Retry-After"],
            max_age=600,
        )
    return app
