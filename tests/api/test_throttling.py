"""Throttling that fits a portal: wrong keys cost the guessing address; widget users behind
one address are limited one by one (the address has a higher ceiling)."""

from __future__ import annotations

from pathlib import Path

from api.ratelimit import SharedLimiter
from tests.api.conftest import INTEGRATION_KEY, KEYS


def test_failed_authentication_counts_against_the_address(make_client, tmp_path) -> None:
    client = make_client(
        api_keys=KEYS,
        rate_limit_per_minute=1000,
        auth_failures_per_minute=5,
        rate_limit_db=tmp_path / "rl.sqlite",
    )
    codes = [
        client.get("/v1/suggestions", headers={"X-API-Key": f"sai-{n}"}).status_code
        for n in range(30)
    ]
    assert codes[:5] == [401] * 5
    assert set(codes[5:]) == {429}
    # Even the right key waits: nothing is checked for an address over its limit.
    right = client.get("/v1/suggestions", headers={"X-API-Key": INTEGRATION_KEY})
    assert right.status_code == 429 and int(right.headers["retry-after"]) >= 1


def test_widget_users_behind_one_address_have_their_own_limits(make_client, tmp_path) -> None:
    client = make_client(
        api_keys=KEYS,
        widget_secret="bi-mat",
        rate_limit_per_minute=3,
        widget_ip_per_minute=8,
        rate_limit_db=tmp_path / "rl.sqlite",
    )

    def token(subject: str) -> dict:
        response = client.post(
            "/v1/widget-tokens",
            json={"subject": subject},
            headers={"X-API-Key": INTEGRATION_KEY},
        )
        return {"Authorization": f"Bearer {response.json()['token']}"}

    first, second, third = token("u-1"), token("u-2"), token("u-3")
    assert [client.get("/v1/suggestions", headers=first).status_code for _ in range(4)] == [
        200, 200, 200, 429,
    ]  # fmt: skip
    # The next user is not throttled by the first.
    assert [client.get("/v1/suggestions", headers=second).status_code for _ in range(3)] == [
        200
    ] * 3
    # The address ceiling (8 widget requests) covers all users together.
    codes = [client.get("/v1/suggestions", headers=third).status_code for _ in range(3)]
    assert codes[-1] == 429


def test_counts_are_shared_between_processes(tmp_path: Path) -> None:
    # Two limiters on one file stand for two uvicorn workers.
    now = [600.0]
    a = SharedLimiter(tmp_path / "rl.sqlite", clock=lambda: now[0])
    b = SharedLimiter(tmp_path / "rl.sqlite", clock=lambda: now[0])
    assert a.hit("k", 3) is None and b.hit("k", 3) is None and a.hit("k", 3) is None
    assert b.hit("k", 3) is not None
    assert a.hit("other", 3) is None
    now[0] += 120  # two windows later the count is gone
    assert b.hit("k", 3) is None
    a.close()
    b.close()
