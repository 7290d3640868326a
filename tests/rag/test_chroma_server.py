"""Scale-out path: the dense index in a real Chroma server (``chroma run``) instead of embedded."""

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from ingest.build import ingest_corpus
from rag.assistant import Assistant
from rag.chroma import chroma_client, collection_name
from tests.conftest import make_settings

CHROMA = Path(sys.executable).parent / "chroma"


@pytest.fixture()
def chroma_server(tmp_path: Path):
    if not CHROMA.exists():
        pytest.fail(f"the chroma server command is missing at {CHROMA}")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [
            str(CHROMA),
            "run",
            "--path",
            str(tmp_path / "server"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"ANONYMIZED_TELEMETRY": "False", "PATH": "/usr/bin:/bin"},
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    yield port
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(tmp_path / "server", ignore_errors=True)


def test_index_and_search_through_a_chroma_server(
    tmp_path: Path, small_corpus: Path, chroma_server: int
) -> None:
    settings = make_settings(
        tmp_path, small_corpus, chroma_host="127.0.0.1", chroma_port=chroma_server
    )
    report = ingest_corpus(settings)
    client = chroma_client(settings, tmp_path / "unused")
    collection = client.get_collection(collection_name(settings, report.version))
    assert collection.count() == report.chunks
    assert not (settings.index_dir / report.version / "chroma").exists()
    assistant = Assistant.load(settings)
    dense = assistant.searcher.dense_scores("phiếu lý lịch tư pháp trên VNeID")
    assert (dense > 0).sum() > 0
    answer = assistant.ask("Tổ Giúp việc thành lập mấy nhóm công tác?")
    assert not answer.abstained and answer.citations
