"""What the chat widget needs besides ``/v1/ask``: short-lived tokens and suggested questions."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from api.security import require_integration, require_read

router = APIRouter(prefix="/v1", tags=["widget"])


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ttl_s: int | None = Field(
        None, ge=1, description="Thời hạn (giây), tối đa DA06_WIDGET_TOKEN_TTL_S"
    )


@router.post("/widget-tokens", dependencies=[Depends(require_integration)])
def issue_widget_token(request: Request, body: TokenRequest | None = None) -> dict:
    """A signed read-only token for one browser session; the portal calls this server-side."""
    token, expires_at = request.app.state.security.tokens.issue(body.ttl_s if body else None)
    return {"token": token, "expires_at": expires_at.isoformat(timespec="seconds")}


@lru_cache(maxsize=1)
def suggested_questions() -> tuple[str, ...]:
    text = resources.files("prompts").joinpath("suggested_questions.txt").read_text("utf-8")
    lines = (line.strip() for line in text.splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


@router.get("/suggestions", dependencies=[Depends(require_read)])
def suggestions() -> dict:
    return {"questions": list(suggested_questions())}
