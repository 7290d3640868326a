"""``/v1/search`` (ranked passages) and ``/v1/suggestions`` (questions the widget offers)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

PLAN = "ke-hoach-de-an-06-tphcm-2024.txt"
FIELDS = {
    "rank", "score", "chunk_id", "source", "title", "section", "page", "row",
    "line_start", "line_end", "text",
}  # fmt: skip


def test_search_ranks_passages_with_their_place(client: TestClient) -> None:
    query = "Xây dựng, triển khai Trung tâm điều hành thông minh Thành phố (IOC)"
    results = client.get("/v1/search", params={"q": query, "k": 3}).json()["results"]
    assert 1 <= len(results) <= 3
    assert all(set(r) == FIELDS for r in results)
    assert [r["rank"] for r in results] == list(range(1, len(results) + 1))
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    top = results[0]
    assert top["source"] == PLAN and top["row"] == "04"
    assert top["line_start"] <= 224 <= top["line_end"]
    assert "Sở Thông tin và Truyền thông" in top["text"]


def test_search_without_diacritics(client: TestClient) -> None:
    results = client.get(
        "/v1/search", params={"q": "trung tam dieu hanh thong minh IOC", "k": 5}
    ).json()["results"]
    assert any(r["source"] == PLAN and r["row"] == "04" for r in results)


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"q": ""}, 422),
        ({"q": "   "}, 422),
        ({}, 422),
        ({"q": "IOC", "k": 0}, 422),
        ({"q": "IOC", "k": 51}, 422),
        ({"q": "IOC", "k": "nhieu"}, 422),
        ({"q": "x" * 2001}, 422),
    ],
)
def test_search_rejects_bad_parameters(client: TestClient, params: dict, status: int) -> None:
    response = client.get("/v1/search", params=params)
    assert response.status_code == status
    assert isinstance(response.json()["detail"], str)


def test_suggested_questions_are_answered_from_the_corpus(client: TestClient) -> None:
    questions = client.get("/v1/suggestions").json()["questions"]
    assert 3 <= len(questions) <= 8
    assert all(q.endswith("?") and not q.startswith("#") for q in questions)
    for question in questions:
        answer = client.post("/v1/ask", json={"question": question}).json()
        assert not answer["abstained"], question
        assert answer["citations"], question


def test_search_metadata_filters(client) -> None:
    plan = "ke-hoach-de-an-06-tphcm-2024.txt"
    rows = client.get(
        "/v1/search", params={"q": "định danh điện tử", "kind": "row", "source": plan, "k": 10}
    )
    assert rows.status_code == 200
    results = rows.json()["results"]
    assert results and all(r["source"] == plan and r["row"] for r in results)
    reports = client.get(
        "/v1/search", params={"q": "định danh điện tử", "doc_kind": "report"}
    ).json()["results"]
    assert reports and all(r["source"].startswith("bao-cao") for r in reports)
    assert client.get("/v1/search", params={"q": "x", "kind": "bang"}).status_code == 422
