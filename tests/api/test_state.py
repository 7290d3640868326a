"""Several workers share one index folder: each picks up a version another one switched to."""

import time
from pathlib import Path

from api import state as state_module
from api.state import ServingState
from ingest.build import ingest_corpus
from tests.conftest import make_settings


def test_worker_follows_a_version_switched_by_another(
    tmp_path: Path, small_corpus: Path, monkeypatch
) -> None:
    settings = make_settings(tmp_path, small_corpus)
    first = ingest_corpus(settings)
    worker = ServingState(settings, dense=False)
    assert worker.assistant.version == first.version
    (small_corpus / "them.txt").write_text(
        "Bưu điện Thành phố phối hợp đánh số nhà.\n", encoding="utf-8"
    )
    second = ingest_corpus(settings)  # as if done by another worker
    monkeypatch.setattr(state_module, "POINTER_CHECK_S", 0.0)
    time.sleep(0.01)
    assert worker.assistant.version == second.version
    assert "them.txt" in worker.assistant.files.documents
