"""Who may call what: API keys with roles, signed widget tokens, rate limits, body-size limits.

Roles: ``read`` (ask, search, tasks, documents), ``integration`` (read + mint widget tokens),
``admin`` (everything, including adding and deleting documents). Keys come from
``DA06_API_KEYS`` ("key1:admin,key2:read,key3:integration"; a bare key is read-only) and are
sent as ``X-API-Key: <key>`` or ``Authorization: Bearer <key>``. Widget tokens are short-lived,
signed and read-only, for browsers that must never see a long-lived key.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import HTTPException, Request
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.ratelimit import SharedLimiter
from rag.errors import Da06Error
from rag.settings import Settings

log = logging.getLogger(__name__)

READ, INTEGRATION, ADMIN = "read", "integration", "admin"
ROLES = (READ, INTEGRATION, ADMIN)
# Multipart framing (boundaries, part headers) on top of the file itself.
MULTIPART_OVERHEAD = 64 * 1024
UPLOAD_PATH = "/v1/documents"


class PayloadTooLarge(Da06Error):
    http_status = 413


@dataclass(frozen=True)
class Principal:
    kind: str  # "key", "widget", "calendar" or "anonymous"
    role: str
    bucket: str  # rate-limit bucket: a key fingerprint, a widget subject or the client address
    # Who owns what this caller creates (conversations) and is named in the audit log.
    subject: str = ""


def parse_api_keys(spec: str) -> dict[str, str]:
    """``"k1:admin,k2"`` -> ``{"k1": "admin", "k2": "read"}``; an unknown role is a config error."""
    keys: dict[str, str] = {}
    for item in spec.split(","):
        item = item.strip()
        if not item:
            continue
        key, sep, role = item.rpartition(":")
        if not sep:
            key, role = item, READ
        role = role.strip().lower()
        if role not in ROLES or not key.strip():
            raise ValueError(
                f"DA06_API_KEYS: '{item[:4]}…' must be 'key' or 'key:role' with role in {ROLES}"
            )
        keys[key.strip()] = role
    return keys


def _fingerprint(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(401, detail=message, headers={"WWW-Authenticate": "Bearer"})


class TokenExpired(Exception):
    pass


class TokenInvalid(Exception):
    pass


class WidgetTokens:
    """Signed read-only tokens carrying their own expiry (at most ``max_ttl_s`` ahead).

    The salt scopes a token: a calendar-feed token is not a widget token, and back.
    """

    SALT = "da06-widget-token"

    def __init__(
        self,
        secret: str,
        max_ttl_s: int,
        clock: Callable[[], float] = time.time,
        salt: str = SALT,
    ) -> None:
        self.max_ttl_s = max_ttl_s
        self.clock = clock
        self._serializer = URLSafeTimedSerializer(secret, salt=salt)

    def issue(self, ttl_s: int | None = None, subject: str | None = None) -> tuple[str, datetime]:
        """A token; ``subject`` names the portal user it is for (rate limits, conversations)."""
        ttl = min(ttl_s or self.max_ttl_s, self.max_ttl_s)
        expires = self.clock() + ttl
        payload: dict = {"scope": READ, "exp": expires}
        if subject:
            payload["sub"] = subject
        token = self._serializer.dumps(payload)
        return token, datetime.fromtimestamp(expires, UTC)

    def verify(self, token: str) -> str | None:
        """Checks the token; returns its subject (None for tokens minted without one)."""
        try:
            # itsdangerous checks its own (real-time) stamp; the payload's expiry is the real limit.
            payload = self._serializer.loads(token, max_age=self.max_ttl_s + 60)
        except SignatureExpired as exc:
            raise TokenExpired from exc
        except BadData as exc:
            raise TokenInvalid from exc
        if not isinstance(payload, dict) or payload.get("scope") != READ:
            raise TokenInvalid
        expires = payload.get("exp")
        if not isinstance(expires, int | float) or expires <= self.clock():
            raise TokenExpired
        subject = payload.get("sub")
        return subject if isinstance(subject, str) and subject else None


def _credential(request: Request) -> str | None:
    key = request.headers.get("x-api-key")
    if key and key.strip():
        return key.strip()
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def _client_address(request: Request) -> str:
    # Behind a reverse proxy run uvicorn with --proxy-headers so this is the real client;
    # X-Forwarded-For is not read here because any client can forge it.
    return request.client.host if request.client else "unknown"


class Security:
    """Per-app authentication state, built once from settings in ``create_app``."""

    def __init__(self, settings: Settings) -> None:
        self.keys = parse_api_keys(settings.api_keys)
        self.public_widget = settings.public_widget
        secret = settings.widget_secret
        if not secret:
            secret = secrets.token_urlsafe(32)
            if self.keys:
                log.warning(
                    "DA06_WIDGET_SECRET is not set: widget tokens are signed with a per-process "
                    "random secret and stop working on restart or in other workers"
                )
        self.tokens = WidgetTokens(secret, settings.widget_token_ttl_s)
        # Calendar apps subscribe to a URL and cannot send headers: their token rides in the
        # query string, lives longer, and opens nothing but the calendar feed.
        self.calendar_tokens = WidgetTokens(
            secret, settings.calendar_token_ttl_s, salt=CALENDAR_SALT
        )
        self.limiter = SharedLimiter(settings.rate_limit_store)
        self.per_minute = settings.rate_limit_per_minute
        # Limits off (0) means off for failed keys too: tests and trusted set-ups share an IP.
        self.failures_per_minute = (
            settings.auth_failures_per_minute if settings.rate_limit_per_minute > 0 else 0
        )
        self.widget_ip_per_minute = settings.widget_ip_per_minute

    def close(self) -> None:
        self.limiter.close()

    def _key_role(self, credential: str) -> str | None:
        found = None
        for key, role in self.keys.items():
            # Compare against every key so timing does not reveal which prefix matched.
            if hmac.compare_digest(key.encode(), credential.encode()):
                found = role
        return found

    def authenticate(self, request: Request, write: bool = False) -> Principal:
        address = _client_address(request)
        client = f"ip:{address}"
        if not self.keys:
            if write:
                raise HTTPException(
                    403,
                    detail="Chức năng ghi bị tắt vì chưa cấu hình khóa API (DA06_API_KEYS) / "
                    "write endpoints need an admin key; set DA06_API_KEYS",
                )
            return Principal("anonymous", READ, client, client)
        credential = _credential(request)
        if credential is None:
            if self.public_widget and not write:
                return Principal("anonymous", READ, client, client)
            raise _unauthorized(
                "Thiếu khóa API: gửi X-API-Key hoặc Authorization: Bearer / "
                "missing API key: send X-API-Key or Authorization: Bearer"
            )
        # Guessing keys costs the guesser's address: over the limit, no key is even checked.
        self._throttle(f"authfail:{address}", self.failures_per_minute, count=False)
        role = self._key_role(credential)
        if role is not None:
            bucket = f"key:{_fingerprint(credential)}"
            return Principal("key", role, bucket, f"{role}:{_fingerprint(credential)}")
        try:
            subject = self.tokens.verify(credential)
        except TokenExpired:
            self._failed(address)
            raise _unauthorized("Mã truy cập tiện ích đã hết hạn / widget token expired") from None
        except TokenInvalid:
            self._failed(address)
            raise _unauthorized(
                "Khóa API hoặc mã truy cập không hợp lệ / invalid API key or token"
            ) from None
        # Many portal users share one address (NAT): each token subject has its own limit,
        # and the address gets a higher ceiling for all of them together.
        self._throttle(f"widget-ip:{address}", self.widget_ip_per_minute)
        if subject is None:
            return Principal("widget", READ, client, client)
        owner = f"widget:{hashlib.sha256(subject.encode()).hexdigest()[:16]}"
        return Principal("widget", READ, owner, owner)

    def _failed(self, address: str) -> None:
        self.limiter.hit(f"authfail:{address}", self.failures_per_minute)

    def _throttle(self, bucket: str, limit: int, count: bool = True) -> None:
        if limit <= 0 or self.per_minute <= 0:
            return
        wait = self.limiter.peek(bucket, limit) if not count else self.limiter.hit(bucket, limit)
        if wait is not None:
            raise _too_many(wait)

    def has_valid_key(self, request: Request) -> bool:
        credential = _credential(request)
        return bool(self.keys) and credential is not None and self._key_role(credential) is not None

    def throttle(self, principal: Principal) -> None:
        wait = self.limiter.hit(principal.bucket, self.per_minute)
        if wait is not None:
            raise _too_many(wait)


def _too_many(wait: float) -> HTTPException:
    seconds = max(1, int(wait + 0.999))
    return HTTPException(
        429,
        detail=f"Quá nhiều yêu cầu, thử lại sau {seconds} giây / "
        f"too many requests, retry in {seconds} s",
        headers={"Retry-After": str(seconds)},
    )


def has_valid_key(request: Request) -> bool:
    return _security(request).has_valid_key(request)


CALENDAR_SALT = "da06-calendar-token"


def require_calendar_read(request: Request) -> Principal:
    """Read access for ``tasks.ics``: a calendar token in ``?token=``, else the usual checks."""
    security = _security(request)
    token = request.query_params.get("token")
    if not security.keys or not token:
        return read_principal(request)
    try:
        security.calendar_tokens.verify(token)
    except TokenExpired:
        raise _unauthorized("Mã lịch đã hết hạn / calendar token expired") from None
    except TokenInvalid:
        raise _unauthorized("Mã lịch không hợp lệ / invalid calendar token") from None
    client = f"ip:{_client_address(request)}"
    principal = Principal("calendar", READ, client, client)
    security.throttle(principal)
    request.state.principal = principal
    return principal


def _security(request: Request) -> Security:
    return request.app.state.security


def principal_of(request: Request) -> Principal:
    """The caller as authenticated by the route's dependency (anonymous if it had none)."""
    principal = getattr(request.state, "principal", None)
    if principal is None:
        client = f"ip:{_client_address(request)}"
        principal = Principal("anonymous", READ, client, client)
    return principal


async def require_read(request: Request) -> Principal:
    """Read access. With rate limits off nothing here touches the counters' database, so it
    runs on the event loop; otherwise in the thread pool (a SQLite write may wait for a lock)."""
    if _security(request).per_minute <= 0:
        return read_principal(request)
    return await run_in_threadpool(read_principal, request)


def read_principal(request: Request) -> Principal:
    security = _security(request)
    principal = security.authenticate(request)
    security.throttle(principal)
    request.state.principal = principal
    return principal


def _require_role(request: Request, allowed: tuple[str, ...], action: str) -> Principal:
    security = _security(request)
    principal = security.authenticate(request, write=True)
    if principal.kind == "widget":
        raise HTTPException(
            403,
            detail=f"Mã truy cập tiện ích chỉ được đọc / widget tokens are read-only ({action})",
        )
    if principal.role not in allowed:
        need = " hoặc ".join(allowed)
        raise HTTPException(
            403,
            detail=f"Khóa API không đủ quyền (cần {need}) / "
            f"this API key lacks the role {' or '.join(allowed)} needed to {action}",
        )
    security.throttle(principal)
    request.state.principal = principal
    return principal


def require_admin(request: Request) -> Principal:
    return _require_role(request, (ADMIN,), "change documents")


def require_integration(request: Request) -> Principal:
    return _require_role(request, (INTEGRATION, ADMIN), "issue widget tokens")


class BodySizeLimit:
    """Rejects request bodies over a limit with 413 before the app buffers them.

    Uploads (``POST /v1/documents``) get ``max_upload_bytes`` plus multipart framing; every
    other endpoint takes small JSON. Checks Content-Length first, then counts streamed bytes
    (chunked bodies carry no length).
    """

    def __init__(self, app: ASGIApp, json_limit: int, upload_limit: int) -> None:
        self.app = app
        self.json_limit = json_limit
        self.upload_limit = upload_limit

    def _limit(self, scope: Scope) -> int:
        if scope.get("method") == "POST" and scope.get("path", "").rstrip("/") == UPLOAD_PATH:
            return self.upload_limit + MULTIPART_OVERHEAD
        return self.json_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > limit
                except ValueError:
                    too_big = False
                if too_big:
                    await _reject_too_large(send, limit)
                    return
        received = 0
        started = False
        rejected = False

        async def counting_receive() -> Message:
            nonlocal received, rejected
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit and not rejected:
                    rejected = True
                    # Answer here: frameworks turn errors raised while reading a body into
                    # their own 400, which must not reach the client after this 413.
                    if not started:
                        await _reject_too_large(send, limit)
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if rejected:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        with contextlib.suppress(_BodyTooLarge):
            await self.app(scope, counting_receive, guarded_send)


class _BodyTooLarge(Exception):
    pass


def too_large_message(limit: int) -> str:
    return (
        f"Dữ liệu gửi lên quá lớn (tối đa {limit:,} byte) / "
        f"request body too large (limit {limit:,} bytes)"
    )


async def _reject_too_large(send: Send, limit: int) -> None:
    body = json.dumps({"detail": too_large_message(limit)}, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
