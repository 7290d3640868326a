"""FastAPI dependencies: the serving state and the loaded assistant."""

from __future__ import annotations

from fastapi import Request

from api.state import ServingState
from rag.assistant import Assistant


def serving_state(request: Request) -> ServingState:
    return request.app.state.serving


def current_assistant(request: Request) -> Assistant:
    return request.app.state.serving.assistant
