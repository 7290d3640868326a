"""OpenAI-compatible surface: ``POST /v1/chat/completions`` and ``GET /v1/models``.

Any OpenAI client (or tool that speaks the API) can use the assistant as model
``da06-assistant``. The last user message is the question. The API is stateless, so a
follow-up ("còn thời hạn thì sao?") is resolved from the earlier user messages the client
resends: they are replayed through the retrieval/composition step (no generation) to find
the task the conversation is about, exactly as ``conversation_id`` does for ``/v1/ask``.
Citations come twice: as a "Nguồn:" list in the message text (for plain chat clients) and
as a structured ``citations`` field on the message and the response.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.deps import current_assistant
from api.routes.ask import answer_pieces, answer_with_model
from api.text_input import valid_unicode
from rag.assistant import Assistant, PreviousTurn, validate_question
from rag.errors import InvalidQuestion
from rag.followup import next_turn
from rag.schemas import Answer, Citation
from rag.tokens import count_tokens

MODEL_ID = "da06-assistant"
MODEL_CREATED = 1_717_200_000  # fixed: the model list must not change between calls

router = APIRouter(prefix="/v1", tags=["openai"])


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: str
    content: str | list[dict] | None = None

    @model_validator(mode="after")
    def _unicode(self) -> ChatMessage:
        valid_unicode(self.role)
        valid_unicode(self.text())
        return self

    def text(self) -> str:
        if isinstance(self.content, str):
            return self.content
        parts = self.content or []
        return "\n".join(str(p.get("text", "")) for p in parts if p.get("type") == "text")


class ChatRequest(BaseModel):
    # Sampling options (temperature, top_p, max_tokens ...) are accepted and ignored.
    model_config = ConfigDict(extra="allow")

    model: str = MODEL_ID
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False


def _lines(citation: Citation) -> str:
    if citation.line_start == citation.line_end:
        return f"dòng {citation.line_start}"
    return f"dòng {citation.line_start}–{citation.line_end}"


def citation_line(citation: Citation) -> str:
    """``[1] Kế hoạch … — I. VỀ CÔNG TÁC … (ke-hoach….txt, dòng 221–226)``."""
    section = f" — {citation.section}" if citation.section else ""
    page = f"trang {citation.page}, " if citation.page is not None else ""
    return (
        f"[{citation.id}] {citation.title}{section} ({citation.source}, {page}{_lines(citation)})"
    )


def message_text(answer: Answer) -> str:
    text = answer.answer
    if answer.note:
        text = f"{text}\n\n({answer.note})"
    if answer.citations:
        text += "\n\nNguồn:\n" + "\n".join(citation_line(c) for c in answer.citations)
    return text


def split_messages(messages: list[ChatMessage]) -> tuple[str, list[str]]:
    """The question (last user message) and the user messages before it."""
    users = [m.text() for m in messages if m.role == "user"]
    if not users:
        raise InvalidQuestion(
            "Cần ít nhất một tin nhắn của người dùng (role=user) / "
            "at least one message with role 'user' is required"
        )
    return users[-1], users[:-1]


def replay(assistant: Assistant, questions: list[str], max_turns: int) -> PreviousTurn | None:
    """The conversation state after the earlier questions (retrieval and composition only)."""
    previous: PreviousTurn | None = None
    for question in questions[-max_turns:]:
        try:
            question = validate_question(question, assistant.settings.max_question_chars)
        except InvalidQuestion:
            continue
        _, composition, _ = assistant.compose(question, previous)
        answered = Answer(
            answer=composition.text,
            abstained=composition.abstained,
            tasks=composition.tasks,
            citations=composition.citations,
        )
        previous = next_turn(question, answered, previous)
    return previous


def _citations_json(answer: Answer) -> list[dict]:
    return [c.model_dump(mode="json") for c in answer.citations]


def completion(answer: Answer, question: str, content: str) -> dict:
    prompt_tokens = count_tokens(question)
    completion_tokens = count_tokens(content)
    citations = _citations_json(answer)
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": MODEL_ID,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "citations": citations},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
        "citations": citations,
        "abstained": answer.abstained,
        "note": answer.note,
    }


def completion_chunks(answer: Answer, content: str) -> Iterator[str]:
    """``chat.completion.chunk`` SSE lines: role, content pieces, stop (+ citations), [DONE]."""
    base = {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": MODEL_ID,
    }

    def line(delta: dict, finish: str | None = None, **extra: object) -> str:
        choice = {"index": 0, "delta": delta, "finish_reason": finish}
        payload = {**base, "choices": [choice], **extra}
        return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"

    yield line({"role": "assistant", "content": ""})
    for piece in answer_pieces(content):
        yield line({"content": piece})
    yield line({}, "stop", citations=_citations_json(answer), abstained=answer.abstained)
    yield "data: [DONE]\n\n"


@router.post("/chat/completions", response_model=None)
def chat_completions(
    body: ChatRequest, request: Request, assistant: Assistant = Depends(current_assistant)
) -> dict | StreamingResponse:
    question, earlier = split_messages(body.messages)
    question = validate_question(question, assistant.settings.max_question_chars)
    previous = replay(assistant, earlier, assistant.settings.conversation_max_turns)
    answer = answer_with_model(request, assistant, question, previous)
    content = message_text(answer)
    if body.stream:
        return StreamingResponse(
            completion_chunks(answer, content),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    return completion(answer, question, content)


def _model_card() -> dict:
    return {"id": MODEL_ID, "object": "model", "created": MODEL_CREATED, "owned_by": "da06"}


@router.get("/models")
def list_models() -> dict:
    return {"object": "list", "data": [_model_card()]}


@router.get("/models/{model_id}")
def get_model(model_id: str) -> dict:
    if model_id != MODEL_ID:
        raise HTTPException(
            404, detail=f"Không có mô hình {model_id} / unknown model {model_id}; use {MODEL_ID}"
        )
    return _model_card()
