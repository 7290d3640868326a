"""The optional LLM answer path: provider registry, citation checking, fallback when down.

Models are a LangChain fake chat model, a stub OpenAI-compatible server on 127.0.0.1 and a
dead port; no network.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_ollama import ChatOllama
from langchain_openai import ChatOpenAI

from api.app import create_app
from rag.llm import (
    NOTE_MODEL_DOWN,
    NOTE_NO_CITATION,
    LlmAnswerer,
    ask_with_llm,
    build_chat_model,
    check_citations,
    load_prompt,
)
from rag.settings import Settings

PLAN = "ke-hoach-de-an-06-tphcm-2024.txt"
IOC_QUESTION = "Trung tâm điều hành thông minh Thành phố (IOC) do đơn vị nào chủ trì?"
OFF_CORPUS_QUESTION = "Giá vé máy bay Hà Nội đi Đà Lạt là bao nhiêu?"
STUB_ANSWER = (
    "Sở Thông tin và Truyền thông chủ trì xây dựng Trung tâm điều hành thông minh "
    "Thành phố (IOC) [1], thời hạn Quý II/2024 [1]. Kinh phí là 500 tỷ đồng [7]."
)


@pytest.mark.parametrize(
    ("text", "available", "cleaned", "order"),
    [
        ("Sở TT&TT chủ trì [1]. Kinh phí 500 tỷ [9].", 3, "Sở TT&TT chủ trì [1]. Kinh phí 500 tỷ.", [1]),
        ("Quý II/2024 [3], Sở Nội vụ [1].", 3, "Quý II/2024 [1], Sở Nội vụ [2].", [3, 1]),
        ("Hai nguồn [2, 5][1].", 2, "Hai nguồn [1][2].", [2, 1]),
        ("Nhắc lại [2] và [2].", 2, "Nhắc lại [1] và [1].", [2]),
        ("Không dẫn nguồn [0] [12].", 3, "Không dẫn nguồn.", []),
        ("Không có số nào.", 3, "Không có số nào.", []),
    ],
)  # fmt: skip
def test_check_citations(text: str, available: int, cleaned: str, order: list[int]) -> None:
    assert check_citations(text, available) == (cleaned, order)


def test_provider_registry() -> None:
    base = Settings(_env_file=None)
    assert build_chat_model(base) is None
    openai_model = build_chat_model(
        base.model_copy(
            update={
                "llm_provider": "openai",
                "llm_base_url": "http://127.0.0.1:9/v1",
                "llm_model": "m",
            }
        )
    )
    assert isinstance(openai_model, ChatOpenAI) and openai_model.model_name == "m"
    ollama = build_chat_model(base.model_copy(update={"llm_provider": "Ollama"}))
    assert isinstance(ollama, ChatOllama)
    with pytest.raises(ValueError, match="none, openai, ollama"):
        build_chat_model(base.model_copy(update={"llm_provider": "gemini"}))


def test_prompt_template_is_vietnamese_and_has_the_slots() -> None:
    prompt = load_prompt()
    assert all(slot in prompt for slot in ("{question}", "{passages}", "{history}"))
    assert "Chỉ dùng thông tin trong các đoạn trích" in prompt


def test_fake_model_answer_loses_its_invented_citation(assistant) -> None:
    model = FakeListChatModel(responses=[STUB_ANSWER.replace("[7]", "[9]"), "dư"])
    answer = ask_with_llm(assistant, IOC_QUESTION, llm=LlmAnswerer(model))
    assert answer.answer == (
        "Sở Thông tin và Truyền thông chủ trì xây dựng Trung tâm điều hành thông minh "
        "Thành phố (IOC) [1], thời hạn Quý II/2024 [1]. Kinh phí là 500 tỷ đồng."
    )
    assert len(answer.citations) == 1
    citation = answer.citations[0]
    assert citation.id == 1 and citation.source == PLAN
    assert citation.line_start <= 224 <= citation.line_end
    assert answer.note is None and not answer.abstained
    assert [t.row for t in answer.tasks] == ["04"]
    assert answer.timing_ms["generate"] >= 0
    assert answer.timing_ms["total"] >= answer.timing_ms["generate"]


def test_citations_are_renumbered_to_the_passages_used(assistant) -> None:
    hits, composition, _ = assistant.compose(IOC_QUESTION)
    model = FakeListChatModel(responses=["Theo đoạn thứ hai [2].", "dư"])
    answer = ask_with_llm(assistant, IOC_QUESTION, llm=LlmAnswerer(model))
    assert answer.answer == "Theo đoạn thứ hai [1]."
    second = hits[1].chunk if hits[0].chunk.line_start == 223 else hits[0].chunk
    assert len(answer.citations) == 1 and answer.citations[0].id == 1
    assert answer.citations[0].source == second.source
    assert composition.citations[0].line_start != answer.citations[0].line_start


def test_answer_without_valid_citations_falls_back(assistant) -> None:
    extractive = assistant.ask(IOC_QUESTION)
    model = FakeListChatModel(responses=["Sở Thông tin và Truyền thông [8][12].", "dư"])
    answer = ask_with_llm(assistant, IOC_QUESTION, llm=LlmAnswerer(model))
    assert answer.answer == extractive.answer
    assert answer.citations == extractive.citations
    assert answer.note == NOTE_NO_CITATION


def test_abstention_does_not_ask_the_model(assistant) -> None:
    model = FakeListChatModel(responses=["Giá vé là 2 triệu đồng [1].", "dư"])
    answer = ask_with_llm(assistant, OFF_CORPUS_QUESTION, llm=LlmAnswerer(model))
    assert answer.abstained and "Không tìm thấy" in answer.answer
    assert model.i == 0 and answer.note is None


class _StubOpenAI(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server naming)
        length = int(self.headers.get("Content-Length", 0))
        self.server.requests.append(
            {"path": self.path, "auth": self.headers.get("Authorization"),
             "body": json.loads(self.rfile.read(length))}
        )  # fmt: skip
        payload = json.dumps(
            {
                "id": "chatcmpl-stub",
                "object": "chat.completion",
                "created": 0,
                "model": "stub-model",
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": STUB_ANSWER},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def stub_server() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StubOpenAI)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture()
def dead_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _llm_settings(corpus_settings: Settings, provider: str, url: str) -> Settings:
    return corpus_settings.model_copy(
        update={
            "llm_provider": provider,
            "llm_base_url": url,
            "llm_model": "stub-model",
            "llm_api_key": "stub-key",
            "llm_timeout_s": 5.0,
        }
    )


def test_openai_provider_against_a_stub_server(assistant, corpus_settings, stub_server) -> None:
    url = f"http://127.0.0.1:{stub_server.server_port}/v1"
    llm = LlmAnswerer.from_settings(_llm_settings(corpus_settings, "openai", url))
    answer = ask_with_llm(assistant, IOC_QUESTION, llm=llm)
    assert answer.answer.endswith("Kinh phí là 500 tỷ đồng.") and "[7]" not in answer.answer
    assert [c.source for c in answer.citations] == [PLAN]
    (request,) = stub_server.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == "Bearer stub-key"
    assert request["body"]["model"] == "stub-model"
    prompt = request["body"]["messages"][-1]["content"]
    assert f"Câu hỏi: {IOC_QUESTION}" in prompt
    assert f"({PLAN}, dòng " in prompt and "[1] Kế hoạch triển khai thực hiện Đề án 06" in prompt
    assert "Sở Thông tin và Truyền thông" in prompt


def test_ask_and_chat_endpoints_use_the_configured_model(app, corpus_settings, stub_server):
    url = f"http://127.0.0.1:{stub_server.server_port}/v1"
    variant = create_app(_llm_settings(corpus_settings, "openai", url), serving=app.state.serving)
    with TestClient(variant) as client:
        body = client.post("/v1/ask", json={"question": IOC_QUESTION}).json()
        assert body["answer"].startswith("Sở Thông tin và Truyền thông chủ trì xây dựng")
        assert body["note"] is None and "generate" in body["timing_ms"]
        chat = client.post(
            "/v1/chat/completions", json={"messages": [{"role": "user", "content": IOC_QUESTION}]}
        ).json()
        assert chat["choices"][0]["message"]["content"].startswith(body["answer"] + "\n\nNguồn:")
    assert len(stub_server.requests) == 2


@pytest.mark.parametrize("provider", ["openai", "ollama"])
def test_dead_model_falls_back_to_the_extractive_answer(
    app, assistant, corpus_settings, dead_port, provider
) -> None:
    url = f"http://127.0.0.1:{dead_port}" + ("/v1" if provider == "openai" else "")
    settings = _llm_settings(corpus_settings, provider, url)
    extractive = assistant.ask(IOC_QUESTION)
    answer = ask_with_llm(assistant, IOC_QUESTION, llm=LlmAnswerer.from_settings(settings))
    assert answer.answer == extractive.answer
    assert answer.note == NOTE_MODEL_DOWN

    variant = create_app(settings, serving=app.state.serving)
    with TestClient(variant) as client:
        body = client.post("/v1/ask", json={"question": IOC_QUESTION}).json()
    assert body["answer"] == extractive.answer
    assert body["note"] == "Mô hình ngôn ngữ không phản hồi; trả lời trích xuất."
