"""``POST /v1/ask`` (JSON) and ``POST /v1/ask/stream`` (Server-Sent Events)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator
from sse_starlette.sse import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from api.conversations import ask_in_conversation
from api.deps import serving_state
from api.security import principal_of
from api.text_input import valid_unicode
from rag.assistant import Assistant
from rag.followup import PreviousTurn
from rag.llm import ask_with_llm
from rag.schemas import Answer

router = APIRouter(prefix="/v1", tags=["ask"])


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    question: StrictStr = Field(description="Câu hỏi tiếng Việt (có hoặc không dấu)")
    conversation_id: StrictStr | None = Field(None, max_length=100)

    @field_validator("question")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        # The length limit is the app's own setting, checked by the assistant (same 422 message).
        if not value.strip():
            raise ValueError("Câu hỏi không được để trống / the question must not be empty")
        return valid_unicode(value.strip())

    @field_validator("conversation_id")
    @classmethod
    def _unicode_id(cls, value: str | None) -> str | None:
        return value if value is None else valid_unicode(value)


def answer_with_model(
    request: Request, assistant: Assistant, question: str, previous: PreviousTurn | None
) -> Answer:
    """The extractive answer, rewritten by the configured LLM (``app.state.llm``) if any."""
    return ask_with_llm(assistant, question, previous, getattr(request.app.state, "llm", None))


def answer_question(request: Request, assistant: Assistant, body: AskRequest) -> Answer:
    return ask_in_conversation(
        request.app.state.conversations,
        body.conversation_id,
        principal_of(request).subject,
        body.question,
        lambda question, previous: answer_with_model(request, assistant, question, previous),
    )


def leased_answer(request: Request, body: AskRequest) -> Answer:
    with serving_state(request).lease() as assistant:
        return answer_question(request, assistant, body)


async def answer_in_thread(request: Request, body: AskRequest) -> Answer:
    """The answer, its lease and conversation writes in one thread-pool call. A sync endpoint
    with the lease as a dependency took five hand-offs between the event loop and the pool
    (lease enter and exit, endpoint, response check), each a GIL round trip under load."""
    return await run_in_threadpool(leased_answer, request, body)


@router.post(
    "/ask",
    response_model=Answer,
    response_model_exclude={"tasks": {"__all__": {"deadline": {"ranges"}}}},
)
async def ask(body: AskRequest, request: Request) -> Answer:
    return await answer_in_thread(request, body)


def answer_pieces(text: str) -> Iterator[str]:
    """Word groups of the answer, so the widget can render it progressively."""
    words = re.findall(r"\S+\s*", text)
    for start in range(0, len(words), 4):
        yield "".join(words[start : start + 4])


@router.post("/ask/stream")
async def ask_stream(body: AskRequest, request: Request) -> EventSourceResponse:
    answer = await answer_in_thread(request, body)

    def events() -> Iterator[dict]:
        yield {"event": "meta", "data": json.dumps({"conversation_id": answer.conversation_id})}
        for piece in answer_pieces(answer.answer):
            yield {"event": "token", "data": json.dumps({"text": piece}, ensure_ascii=False)}
        payload = answer.model_dump(
            mode="json", include={"citations", "tasks", "abstained", "note"}
        )
        yield {"event": "citations", "data": json.dumps(payload, ensure_ascii=False)}
        yield {"event": "done", "data": json.dumps({"timing_ms": answer.timing_ms})}

    return EventSourceResponse(events())
