"""FastAPI dependencies: the serving state and the loaded assistant."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request

from api.state import ServingState
from rag.assistant import Assistant


def serving_state(request: Request) -> ServingState:
    return request.app.state.serving


def current_assistant(request: Request) -> Iterator[Assistant]:
    # A lease: an index swap during this request closes the old version only afterwards.
    with request.app.state.serving.lease() as assistant:
        yield assistant
