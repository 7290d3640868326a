"""No 500 from input: the bad inputs of the hardening probe now get a clear 422 (or a safe
answer), with a Vietnamese / English message."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.text_input import bounded_date, is_valid_unicode, single_line

LONE = '"\\ud800"'  # JSON escape of a lone surrogate: valid JSON, not valid text


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/ask", '{"question": ' + LONE + "}"),
        ("/v1/ask", '{"question": "Ai chủ trì IOC ' + LONE[1:] + "}"),
        ("/v1/ask/stream", '{"question": ' + LONE + "}"),
        ("/v1/ask", '{"question": "Ai chủ trì?", "conversation_id": ' + LONE + "}"),
        ("/v1/chat/completions", '{"messages": [{"role": "user", "content": ' + LONE + "}]}"),
        (
            "/v1/chat/completions",
            '{"messages": [{"role": "user", "content": [{"type": "text", "text": ' + LONE + "}]}]}",
        ),
    ],
)
def test_lone_surrogates_are_422(client: TestClient, path: str, body: str) -> None:
    response = client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert "surrogate" in detail or "unicode" in detail, detail


@pytest.mark.parametrize(
    "query",
    [
        "as_of=9999-12-01&days=31",
        "as_of=0001-01-01",
        "as_of=2024-02-30",
    ],
)
def test_dates_out_of_range_are_422(client: TestClient, query: str) -> None:
    response = client.get(f"/v1/tasks/upcoming?{query}")
    assert response.status_code == 422, response.text
    assert "/" in response.json()["detail"]


def test_overdue_and_filters_bound_dates_too(client: TestClient) -> None:
    assert client.get("/v1/tasks/overdue?as_of=9999-12-31").status_code == 422
    assert client.get("/v1/tasks?due_to=9999-12-31").status_code == 422
    assert client.get("/v1/tasks/upcoming?as_of=2200-12-01&days=3660").status_code == 200


@pytest.mark.parametrize("unit", ["a%0Ab", "a%0DX-INJECT:1", "a%0D%0ABEGIN:VEVENT"])
def test_calendar_names_cannot_break_lines(client: TestClient, unit: str) -> None:
    response = client.get(f"/v1/tasks.ics?unit={unit}")
    assert response.status_code == 200
    lines = response.content.split(b"\r\n")
    assert not any(line.startswith((b"X-INJECT", b"b", b"BEGIN:VEVENT")) for line in lines)
    assert b"\r" not in b"".join(lines)  # no bare CR anywhere, only CRLF line ends
    assert not any(b"\n" in line for line in lines)


def test_pure_checks() -> None:
    assert is_valid_unicode("Sở Thông tin và Truyền thông")
    assert not is_valid_unicode("\ud800")
    assert single_line("a\r\nX-INJECT:1\tb") == "a X-INJECT:1 b"
    with pytest.raises(ValueError, match="2200"):
        from datetime import date

        bounded_date(date(9999, 12, 1))
