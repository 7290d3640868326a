"""What the chat widget needs besides ``/v1/ask``: short-lived tokens and suggested questions."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from api.security import principal_of
from api.text_input import UnicodeText

# Token minting (integration role) and what any reader may fetch, included with their roles.
router = APIRouter(prefix="/v1", tags=["widget"])
read_router = APIRouter(prefix="/v1", tags=["widget"])


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ttl_s: int | None = Field(
        None, ge=1, description="Thời hạn (giây), tối đa DA06_WIDGET_TOKEN_TTL_S"
    )
    subject: UnicodeText | None = Field(
        None,
        min_length=1,
        max_length=200,
        description="Người dùng cổng thông tin (giới hạn tần suất và hội thoại theo người này)",
    )


@router.post("/widget-tokens")
def issue_widget_token(request: Request, body: TokenRequest | None = None) -> dict:
    """A signed read-only token for one browser session; the portal calls this server-side."""
    token, expires_at = request.app.state.security.tokens.issue(
        body.ttl_s if body else None, body.subject if body else None
    )
    principal = principal_of(request)
    request.app.state.audit.record(principal.subject, "widget-token.issue", None, "ok")
    return {"token": token, "expires_at": expires_at.isoformat(timespec="seconds")}


@lru_cache(maxsize=1)
def suggested_questions() -> tuple[str, ...]:
    text = resources.files("prompts").joinpath("suggested_questions.txt").read_text("utf-8")
    lines = (line.strip() for line in text.splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


@read_router.get("/suggestions")
def suggestions() -> dict:
    return {"questions": list(suggested_questions())}
