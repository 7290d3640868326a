"""Warm start: the app loads the model, index and caches at startup; /readyz waits for it."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from rag.embeddings import shared_embeddings
from rag.warmup import WARM_UP_QUESTIONS
from tests.conftest import make_settings


def test_startup_warms_up_before_the_first_request(corpus_settings) -> None:
    app = create_app(corpus_settings)
    # Serving state exists only inside the lifespan, which warms it before the first request.
    assert getattr(app.state, "serving", None) is None
    with TestClient(app) as client:
        state = app.state.serving
        assert state.warmed and state.warm_up_ms > 0
        settings = corpus_settings
        model = shared_embeddings(
            settings.embedding_model, settings.embedding_batch_size, settings.dense_max_tokens
        )
        assert model._model is not None  # the embedding model is loaded already
        ready = client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["status"] == "ready"
        answer = client.post("/v1/ask", json={"question": "Ai chủ trì số hóa hồ sơ hộ tịch?"})
        assert answer.status_code == 200
        # How fast that first answer is belongs to the benchmark (`eval/bench.py` prints the
        # first answers after ready); here: nothing was left to load when it came.
        assert model._model is not None


def test_without_an_index_startup_succeeds_and_readyz_says_not_ready(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, tmp_path / "corpus")
    with TestClient(create_app(settings, dense=False)) as client:
        assert client.app.state.serving.warmed is False
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["status"] == "not-ready"


def test_warm_up_questions_are_answered(assistant) -> None:
    for question in WARM_UP_QUESTIONS:
        assert assistant.ask(question).answer
    assert assistant.warm_up() > 0


def test_a_new_index_version_is_warmed_before_it_serves(
    tmp_path: Path, small_corpus: Path, monkeypatch
) -> None:
    from api import state as state_module
    from api.state import ServingState
    from ingest.build import ingest_corpus

    settings = make_settings(tmp_path, small_corpus)
    ingest_corpus(settings)
    worker = ServingState(settings, dense=False)
    assert worker.warm_up() and worker.warmed
    (small_corpus / "them.txt").write_text("Bưu điện Thành phố đánh số nhà.\n", encoding="utf-8")
    second = ingest_corpus(settings)
    monkeypatch.setattr(state_module, "POINTER_CHECK_S", 0.0)
    time.sleep(0.01)
    fresh = worker.assistant
    assert fresh.version == second.version
    # The warm-up questions were answered on the new version before it was swapped in.
    assert fresh.composer.weights._idf
