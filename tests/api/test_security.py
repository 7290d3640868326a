"""Auth (API keys, roles, widget tokens), public widget mode, rate limits, CORS, body limits."""

from __future__ import annotations

import time
from datetime import datetime

import pytest

from api.security import (
    TokenExpired,
    TokenInvalid,
    WidgetTokens,
    parse_api_keys,
)
from tests.api.conftest import ADMIN_KEY, INTEGRATION_KEY, KEYS, READ_KEY

SEARCH = "/v1/search?q=Trung%20t%C3%A2m%20%C4%91i%E1%BB%81u%20h%C3%A0nh%20th%C3%B4ng%20minh&k=2"
PORTAL = "https://congthongtin.tphcm.gov.vn"


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("", {}),
        ("abc", {"abc": "read"}),
        ("a1:admin, b2:read ,c3:integration", {"a1": "admin", "b2": "read", "c3": "integration"}),
        ("a1:ADMIN,,", {"a1": "admin"}),
    ],
)
def test_parse_api_keys(spec: str, expected: dict[str, str]) -> None:
    assert parse_api_keys(spec) == expected


@pytest.mark.parametrize("spec", ["a1:owner", ":admin"])
def test_parse_api_keys_rejects_unknown_roles(spec: str) -> None:
    with pytest.raises(ValueError, match="DA06_API_KEYS"):
        parse_api_keys(spec)


def test_widget_token_expires_at_its_own_ttl() -> None:
    now = [1_000_000.0]
    tokens = WidgetTokens("bi-mat", max_ttl_s=900, clock=lambda: now[0])
    token, expires_at = tokens.issue(ttl_s=60)
    assert expires_at.timestamp() == pytest.approx(1_000_060.0)
    now[0] += 59
    tokens.verify(token)
    now[0] += 2
    with pytest.raises(TokenExpired):
        tokens.verify(token)


def test_widget_token_ttl_is_capped_and_signature_checked() -> None:
    tokens = WidgetTokens("bi-mat", max_ttl_s=300)
    token, expires_at = tokens.issue(ttl_s=86_400)
    assert expires_at.timestamp() <= time.time() + 301
    other = WidgetTokens("bi-mat-khac", max_ttl_s=300)
    with pytest.raises(TokenInvalid):
        other.verify(token)
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    with pytest.raises(TokenInvalid):
        tokens.verify(tampered)


def test_shared_window_frees_slots_as_they_age(tmp_path) -> None:
    from api.ratelimit import SharedLimiter

    now = [600.0]
    limiter = SharedLimiter(tmp_path / "rl.sqlite", window_s=60, clock=lambda: now[0])
    assert limiter.hit("a", 2) is None
    assert limiter.hit("a", 2) is None
    assert limiter.hit("a", 2) == pytest.approx(60.0)
    assert limiter.hit("b", 2) is None  # buckets are independent
    now[0] = 690.0  # halfway through the next window, half the old count still weighs
    assert limiter.hit("a", 2) is None
    assert limiter.hit("a", 2) is not None
    limiter.close()


@pytest.mark.parametrize(
    ("method", "path", "headers", "status"),
    [
        ("GET", SEARCH, {}, 401),
        ("GET", SEARCH, {"X-API-Key": "khoa-sai"}, 401),
        ("GET", SEARCH, {"Authorization": "Bearer khoa-sai"}, 401),
        ("GET", SEARCH, {"X-API-Key": READ_KEY}, 200),
        ("GET", SEARCH, {"Authorization": f"Bearer {READ_KEY}"}, 200),
        ("GET", SEARCH, {"X-API-Key": ADMIN_KEY}, 200),
        ("GET", "/v1/tasks?limit=1", {}, 401),
        ("GET", "/v1/tasks?limit=1", {"X-API-Key": INTEGRATION_KEY}, 200),
        ("GET", "/v1/units", {}, 401),
        ("GET", "/v1/documents", {}, 401),
        ("GET", "/v1/suggestions", {}, 401),
        ("GET", "/v1/models", {}, 401),
        ("POST", "/v1/ask", {}, 401),
        ("POST", "/v1/chat/completions", {}, 401),
        ("POST", "/v1/documents", {"X-API-Key": READ_KEY}, 403),
        ("POST", "/v1/documents", {"X-API-Key": INTEGRATION_KEY}, 403),
        ("POST", "/v1/documents", {}, 401),
        ("DELETE", "/v1/documents/khong-co.txt", {"X-API-Key": READ_KEY}, 403),
        ("DELETE", "/v1/documents/khong-co.txt", {"X-API-Key": ADMIN_KEY}, 404),
        ("POST", "/v1/widget-tokens", {"X-API-Key": READ_KEY}, 403),
        ("POST", "/v1/widget-tokens", {"X-API-Key": INTEGRATION_KEY}, 200),
        ("POST", "/v1/widget-tokens", {"X-API-Key": ADMIN_KEY}, 200),
        ("GET", "/healthz", {}, 200),
        ("GET", "/", {}, 200),
        ("GET", "/widget.js", {}, 200),
    ],
)
def test_roles_with_keys_configured(make_client, method, path, headers, status) -> None:
    client = make_client(api_keys=KEYS)
    response = client.request(method, path, headers=headers)
    assert response.status_code == status, response.text
    if status == 401:
        assert response.headers["www-authenticate"] == "Bearer"
        assert "/" in response.json()["detail"]  # Vietnamese / English


def test_messages_say_what_is_wrong(make_client) -> None:
    client = make_client(api_keys=KEYS)
    assert "Thiếu khóa API" in client.get(SEARCH).json()["detail"]
    assert "invalid API key" in client.get(SEARCH, headers={"X-API-Key": "x"}).json()["detail"]
    denied = client.post("/v1/documents", headers={"X-API-Key": READ_KEY}).json()["detail"]
    assert "admin" in denied and "không đủ quyền" in denied


def test_open_mode_reads_freely_but_never_writes(make_client) -> None:
    client = make_client(api_keys="")
    assert client.get(SEARCH).status_code == 200
    for method, path in [("POST", "/v1/documents"), ("DELETE", "/v1/documents/x.txt")]:
        response = client.request(method, path)
        assert response.status_code == 403
        assert "DA06_API_KEYS" in response.json()["detail"]
    assert client.post("/v1/widget-tokens").status_code == 403


def test_widget_token_reads_but_cannot_write(make_client) -> None:
    client = make_client(api_keys=KEYS)
    issued = client.post(
        "/v1/widget-tokens", json={"ttl_s": 120}, headers={"X-API-Key": INTEGRATION_KEY}
    )
    assert issued.status_code == 200
    body = issued.json()
    remaining = datetime.fromisoformat(body["expires_at"]).timestamp() - time.time()
    assert 100 < remaining <= 121
    bearer = {"Authorization": f"Bearer {body['token']}"}
    assert client.get(SEARCH, headers=bearer).status_code == 200
    assert client.get("/v1/suggestions", headers=bearer).status_code == 200
    for method, path in [("POST", "/v1/documents"), ("DELETE", "/v1/documents/x.txt")]:
        response = client.request(method, path, headers=bearer)
        assert response.status_code == 403
        assert "read-only" in response.json()["detail"]
    # A token cannot mint tokens either.
    assert client.post("/v1/widget-tokens", headers=bearer).status_code == 403


def test_widget_token_ttl_capped_and_validated(make_client) -> None:
    client = make_client(api_keys=KEYS, widget_token_ttl_s=300)
    headers = {"X-API-Key": INTEGRATION_KEY}
    body = client.post("/v1/widget-tokens", json={"ttl_s": 86_400}, headers=headers).json()
    assert datetime.fromisoformat(body["expires_at"]).timestamp() <= time.time() + 301
    assert client.post("/v1/widget-tokens", json={"ttl_s": 0}, headers=headers).status_code == 422
    # No body at all means the default lifetime.
    assert client.post("/v1/widget-tokens", headers=headers).status_code == 200


def test_expired_tampered_and_foreign_tokens_are_401(make_client) -> None:
    client = make_client(api_keys=KEYS, widget_secret="bi-mat-cong")
    past = WidgetTokens("bi-mat-cong", max_ttl_s=900, clock=lambda: time.time() - 3600)
    expired, _ = past.issue()
    response = client.get(SEARCH, headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401
    assert "hết hạn" in response.json()["detail"] and "expired" in response.json()["detail"]

    good, _ = WidgetTokens("bi-mat-cong", max_ttl_s=900).issue()
    assert client.get(SEARCH, headers={"Authorization": f"Bearer {good}"}).status_code == 200
    tampered = good.replace(good[10], "x" if good[10] != "x" else "y", 1)
    assert client.get(SEARCH, headers={"Authorization": f"Bearer {tampered}"}).status_code == 401
    foreign, _ = WidgetTokens("bi-mat-khac", max_ttl_s=900).issue()
    assert client.get(SEARCH, headers={"Authorization": f"Bearer {foreign}"}).status_code == 401


def test_rate_limit_is_per_key_with_retry_after(make_client) -> None:
    client = make_client(api_keys="k1:read,k2:read", rate_limit_per_minute=3)
    for _ in range(3):
        assert client.get("/v1/suggestions", headers={"X-API-Key": "k1"}).status_code == 200
    limited = client.get("/v1/suggestions", headers={"X-API-Key": "k1"})
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert "Quá nhiều yêu cầu" in limited.json()["detail"]
    assert client.get("/v1/suggestions", headers={"X-API-Key": "k2"}).status_code == 200


def test_public_widget_reads_without_token_limited_per_address(make_client) -> None:
    client = make_client(api_keys=KEYS, public_widget=True, rate_limit_per_minute=2)
    assert client.get("/v1/suggestions").status_code == 200
    assert client.get(SEARCH).status_code == 200
    assert client.get("/v1/suggestions").status_code == 429
    # Writes still need an admin key; a wrong key is still refused.
    assert client.post("/v1/documents").status_code == 401
    assert client.get("/v1/suggestions", headers={"X-API-Key": "sai"}).status_code == 401


def test_cors_allows_listed_origins_only(make_client) -> None:
    client = make_client(cors_origins=f"{PORTAL}, https://noibo.example.vn")
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    allowed = client.options("/v1/ask", headers={"Origin": PORTAL, **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == PORTAL
    assert "authorization" in allowed.headers["access-control-allow-headers"].lower()

    denied = client.options("/v1/ask", headers={"Origin": "https://evil.example", **preflight})
    assert denied.status_code == 400
    assert "access-control-allow-origin" not in denied.headers

    simple = client.get("/v1/suggestions", headers={"Origin": PORTAL})
    assert simple.headers["access-control-allow-origin"] == PORTAL
    other = client.get("/v1/suggestions", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_cors_error_answers_carry_headers_and_no_list_means_no_cors(make_client) -> None:
    keyed = make_client(cors_origins=PORTAL, api_keys=KEYS)
    refused = keyed.get("/v1/suggestions", headers={"Origin": PORTAL})
    assert refused.status_code == 401
    assert refused.headers["access-control-allow-origin"] == PORTAL
    plain = make_client(cors_origins="")
    assert (
        "access-control-allow-origin"
        not in plain.get("/v1/suggestions", headers={"Origin": PORTAL}).headers
    )


def test_json_bodies_over_the_limit_are_413(make_client) -> None:
    client = make_client(max_json_bytes=64 * 1024)
    big = {"question": "Ai chủ trì?", "padding": "x" * 70_000}
    response = client.post("/v1/ask", json=big)
    assert response.status_code == 413
    assert "quá lớn" in response.json()["detail"]


def test_streamed_body_without_length_is_counted(make_client) -> None:
    client = make_client(max_json_bytes=1024)

    def body():
        yield b'{"question": "'
        for _ in range(20):
            yield b"a" * 100
        yield b'"}'

    response = client.post("/v1/ask", content=body(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    # A small body on the same app is fine.
    assert client.get(SEARCH).status_code == 200
