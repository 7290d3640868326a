"""The FastAPI application factory: ``create_app(settings)``."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from api.conversations import ConversationStore
from api.routes import ask, health, tasks
from api.state import ServingState
from rag.errors import Da06Error
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
    app.state.conversations = ConversationStore(
        settings.conversations_path, settings.conversation_ttl_s, settings.conversation_max_turns
    )

    @app.exception_handler(Da06Error)
    async def _domain_error(_: Request, exc: Da06Error) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=exc.http_status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _validation_message(exc)}, status_code=422)

    app.include_router(health.router)
    app.include_router(ask.router)
    app.include_router(tasks.router)
    return app
