"""Security headers on every answer: CSP (no inline script), nosniff, frame-ancestors.

The pages load their scripts from ``/static`` and ``/widget.js`` only, so ``script-src
'self'`` costs nothing; the widget builds its styles at run time, hence inline styles stay
allowed. Pages may be framed only by the origins CORS already trusts (the portals).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def content_security_policy(frame_origins: list[str]) -> str:
    ancestors = " ".join(["'self'", *frame_origins])
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        f"form-action 'self'; frame-ancestors {ancestors}"
    )


class SecurityHeaders:
    def __init__(self, app: ASGIApp, frame_origins: list[str]) -> None:
        self.app = app
        self.headers = [
            (b"x-content-type-options", b"nosniff"),
            (b"content-security-policy", content_security_policy(frame_origins).encode()),
            (b"referrer-policy", b"same-origin"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in self.headers if n not in present]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, with_headers)
