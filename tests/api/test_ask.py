"""``/v1/ask`` and ``/v1/ask/stream``: event order, input validation, follow-up questions."""

from __future__ import annotations

import json
import uuid

import pytest
from fastapi.testclient import TestClient

PLAN = "ke-hoach-de-an-06-tphcm-2024.txt"
# Written for these tests (not from the gold set): task 04 of the 2024 plan's appendix.
IOC_QUESTION = "Trung tâm điều hành thông minh Thành phố (IOC) do đơn vị nào chủ trì?"


def sse_events(text: str) -> list[tuple[str, dict]]:
    events = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        name, data = None, []
        for line in block.split("\n"):
            if line.startswith("event:"):
                name = line[len("event:") :].strip()
            elif line.startswith("data:"):
                data.append(line[len("data:") :].strip())
        if name:
            events.append((name, json.loads("\n".join(data))))
    return events


def test_stream_sends_meta_tokens_citations_done(client: TestClient) -> None:
    # Conversation ids are made by the server: a made-up one is replaced by a fresh id.
    made_up = uuid.uuid4().hex
    response = client.post(
        "/v1/ask/stream", json={"question": IOC_QUESTION, "conversation_id": made_up}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text)
    names = [name for name, _ in events]
    assert names[0] == "meta" and names[-2:] == ["citations", "done"]
    assert set(names[1:-2]) == {"token"} and len(names) >= 4
    conversation = events[0][1]["conversation_id"]
    assert conversation != made_up and len(conversation) == 32
    text = "".join(data["text"] for name, data in events if name == "token")
    assert "Sở Thông tin và Truyền thông chủ trì" in text and "[1]" in text
    final = events[-2][1]
    assert final["abstained"] is False
    assert final["citations"][0]["source"] == PLAN
    assert final["tasks"][0]["row"] == "04"
    assert set(events[-1][1]["timing_ms"]) >= {"retrieve", "compose", "total"}
    # The streamed answer is the JSON answer, piece by piece.
    plain = client.post("/v1/ask", json={"question": IOC_QUESTION}).json()
    assert text == plain["answer"]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"question": ""}, "không được để trống"),
        ({"question": "   \n\t "}, "must not be empty"),
        ({"question": "Ai chủ trì? " * 200}, "2000"),
        ({"question": 123}, "question"),
        ({"question": ["Ai chủ trì?"]}, "question"),
        ({"conversation_id": "abc"}, "question"),
        ({"question": "IOC?", "conversation_id": 5}, "conversation_id"),
    ],
)
@pytest.mark.parametrize("path", ["/v1/ask", "/v1/ask/stream"])
def test_bad_questions_are_422_with_a_message(client, path, body, fragment) -> None:
    response = client.post(path, json=body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert isinstance(detail, str) and fragment in detail


@pytest.mark.parametrize("raw", [b"{not json", b"question=IOC", b'"just a string"', b"[]", b""])
def test_non_json_bodies_are_422(client: TestClient, raw: bytes) -> None:
    response = client.post("/v1/ask", content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("Yêu cầu không hợp lệ")


FOLLOW_UPS = [
    ("còn thời hạn thì sao?", "Quý II/2024"),
    ("đơn vị phối hợp là ai?", "Các sở, ban, ngành, địa phương"),
    ("sản phẩm là gì?", "Trung tâm điều hành thông minh Thành phố (IOC)"),
]


def test_follow_ups_stay_on_the_same_task(client: TestClient) -> None:
    first = client.post("/v1/ask", json={"question": IOC_QUESTION}).json()
    conversation = first["conversation_id"]
    assert [t["row"] for t in first["tasks"]] == ["04"]
    task_id = first["tasks"][0]["id"]
    for question, expected in FOLLOW_UPS:
        answer = client.post(
            "/v1/ask", json={"question": question, "conversation_id": conversation}
        ).json()
        assert [t["id"] for t in answer["tasks"]] == [task_id], question
        assert expected in answer["answer"], question
        assert answer["citations"][0]["source"] == PLAN


def test_follow_up_without_the_conversation_is_not_about_that_task(client) -> None:
    first = client.post("/v1/ask", json={"question": IOC_QUESTION}).json()
    alone = client.post(
        "/v1/ask", json={"question": FOLLOW_UPS[0][0], "conversation_id": uuid.uuid4().hex}
    ).json()
    assert first["tasks"][0]["id"] not in [t["id"] for t in alone["tasks"]]
