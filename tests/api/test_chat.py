"""The OpenAI-compatible endpoints, driven by the real ``openai`` client over the TestClient."""

from __future__ import annotations

import json

import openai
import pytest
from fastapi.testclient import TestClient

from api.routes.chat import citation_line
from rag.schemas import Citation
from tests.api.conftest import READ_KEY

PLAN = "ke-hoach-de-an-06-tphcm-2024.txt"
IOC_QUESTION = "Trung tâm điều hành thông minh Thành phố (IOC) do đơn vị nào chủ trì?"
MODEL = "da06-assistant"


def openai_client(http: TestClient, api_key: str = "x") -> openai.OpenAI:
    return openai.OpenAI(
        base_url="http://testserver/v1", api_key=api_key, http_client=http, max_retries=0
    )


@pytest.mark.parametrize(
    ("citation", "line"),
    [
        (
            Citation(id=1, source=PLAN, title="Kế hoạch 2024", section="I. VỀ CÔNG TÁC CHỈ ĐẠO",
                     line_start=221, line_end=226, quote="…"),
            f"[1] Kế hoạch 2024 — I. VỀ CÔNG TÁC CHỈ ĐẠO ({PLAN}, dòng 221–226)",
        ),
        (
            Citation(id=2, source="bao-cao.pdf", title="Báo cáo", page=3, line_start=7,
                     line_end=7, quote="…"),
            "[2] Báo cáo (bao-cao.pdf, trang 3, dòng 7)",
        ),
    ],
)  # fmt: skip
def test_citation_line(citation: Citation, line: str) -> None:
    assert citation_line(citation) == line


def test_completion_answers_with_sources(client: TestClient) -> None:
    completion = openai_client(client).chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": IOC_QUESTION}]
    )
    assert completion.object == "chat.completion" and completion.model == MODEL
    choice = completion.choices[0]
    assert choice.finish_reason == "stop" and choice.message.role == "assistant"
    content = choice.message.content
    asked = client.post("/v1/ask", json={"question": IOC_QUESTION}).json()
    answer, sources = content.split("\n\nNguồn:\n")
    assert answer == asked["answer"]
    assert "Sở Thông tin và Truyền thông chủ trì" in answer
    first = asked["citations"][0]
    assert sources.splitlines()[0].startswith(f"[1] {first['title']}")
    assert f"({PLAN}, dòng {first['line_start']}–{first['line_end']})" in sources
    assert completion.model_extra["citations"] == asked["citations"]
    assert choice.message.model_extra["citations"] == asked["citations"]
    assert completion.model_extra["abstained"] is False
    assert completion.usage.completion_tokens > 0


def test_streaming_matches_the_completion(client: TestClient) -> None:
    api = openai_client(client)
    messages = [{"role": "user", "content": IOC_QUESTION}]
    full = api.chat.completions.create(model=MODEL, messages=messages)
    chunks = list(api.chat.completions.create(model=MODEL, messages=messages, stream=True))
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text == full.choices[0].message.content
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].model_extra["citations"] == full.model_extra["citations"]
    assert len(chunks) > 3


def test_stream_wire_format(client: TestClient) -> None:
    response = client.post(
        "/v1/chat/completions",
        json={"model": MODEL, "stream": True, "messages": [{"role": "user", "content": "IOC"}]},
    )
    assert response.headers["content-type"].startswith("text/event-stream")
    blocks = [b for b in response.text.split("\n\n") if b]
    assert all(b.startswith("data: ") for b in blocks)
    assert blocks[-1] == "data: [DONE]"
    assert json.loads(blocks[0][6:])["choices"][0]["delta"] == {"role": "assistant", "content": ""}


def test_earlier_user_messages_resolve_follow_ups(client: TestClient) -> None:
    messages = [
        {"role": "system", "content": "Trả lời ngắn gọn."},
        {"role": "user", "content": IOC_QUESTION},
        {"role": "assistant", "content": "Sở Thông tin và Truyền thông chủ trì [1]."},
        {"role": "user", "content": [{"type": "text", "text": "còn thời hạn thì sao?"}]},
    ]
    content = openai_client(client).chat.completions.create(model=MODEL, messages=messages)
    text = content.choices[0].message.content
    assert "Nhiệm vụ 04" in text and "thời hạn: Quý II/2024" in text
    # Without the earlier turn the same words are not about the IOC task.
    alone = openai_client(client).chat.completions.create(model=MODEL, messages=messages[-1:])
    assert "Trung tâm điều hành thông minh" not in alone.choices[0].message.content


def test_models(client: TestClient) -> None:
    api = openai_client(client)
    assert [m.id for m in api.models.list()] == [MODEL]
    assert api.models.retrieve(MODEL).id == MODEL
    with pytest.raises(openai.NotFoundError):
        api.models.retrieve("gpt-4o")


@pytest.mark.parametrize(
    "messages",
    [
        [{"role": "system", "content": "Chỉ có lời dặn hệ thống."}],
        [{"role": "user", "content": "   "}],
        [{"role": "user", "content": "x" * 2001}],
    ],
)
def test_unusable_messages_are_422(client: TestClient, messages: list[dict]) -> None:
    with pytest.raises(openai.UnprocessableEntityError):
        openai_client(client).chat.completions.create(model=MODEL, messages=messages)


def test_chat_uses_the_same_keys(make_client) -> None:
    keyed = make_client(api_keys=f"{READ_KEY}:read")
    ok = openai_client(keyed, api_key=READ_KEY).chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": IOC_QUESTION}]
    )
    assert "Sở Thông tin và Truyền thông" in ok.choices[0].message.content
    with pytest.raises(openai.AuthenticationError):
        openai_client(keyed, api_key="khoa-sai").models.list()
