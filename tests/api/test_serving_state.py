"""Index swaps release what they held; a damaged index version is never served (fallback to
the previous good one, or 503 with a reason), and never answers 500."""

from __future__ import annotations

import gc
import os
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.state import ServingState
from ingest.build import ingest_corpus
from rag.index import CURRENT_FILE, set_current_version
from rag.settings import Settings
from tests.conftest import make_settings


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@pytest.fixture()
def two_versions(tmp_path: Path, small_corpus: Path) -> tuple[Settings, str, str]:
    settings = make_settings(tmp_path, small_corpus)
    first = ingest_corpus(settings).version
    second = ingest_corpus(settings, force=True).version
    assert first != second
    return settings, first, second


def test_twenty_swaps_keep_fds_and_memory_flat(two_versions) -> None:
    settings, first, second = two_versions
    state = ServingState(settings)

    def swap(version: str) -> None:
        set_current_version(settings.index_dir, version)
        state.refresh()
        with state.lease() as assistant:
            assert assistant.version == version
            assert assistant.search("Căn cước công dân", 3)

    for version in (first, second, first, second):  # warm-up: model, caches, allocator
        swap(version)
    gc.collect()
    fds, rss = open_fds(), resident_mb()
    for number in range(20):
        swap(first if number % 2 == 0 else second)
    gc.collect()
    assert open_fds() - fds <= 2, (fds, open_fds())
    assert resident_mb() - rss < 40, (rss, resident_mb())
    state.close()


def test_a_version_in_use_is_closed_when_its_last_request_ends(two_versions) -> None:
    settings, first, second = two_versions
    set_current_version(settings.index_dir, first)
    state = ServingState(settings)
    with state.lease() as old:
        set_current_version(settings.index_dir, second)
        state.refresh()
        # Still usable by the request that holds it.
        assert old.tasks.count() >= 0 and old.search("Căn cước", 2)
        with state.lease() as new:
            assert new.version == second
    with pytest.raises(Exception, match="closed"):
        old.tasks.count()
    state.close()


def _garbage_pointer(version_dir: Path) -> None:
    (version_dir.parent / CURRENT_FILE).write_bytes(b"\x00\xffkhong-phai-phien-ban\n")


def _escaping_pointer(version_dir: Path) -> None:
    (version_dir.parent / CURRENT_FILE).write_text("../" + version_dir.name, encoding="utf-8")


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


DAMAGE = {
    "garbage CURRENT": _garbage_pointer,
    "../ in CURRENT": _escaping_pointer,
    "bm25 deleted": lambda v: shutil.rmtree(v / "bm25"),
    "tasks.sqlite deleted": lambda v: (v / "tasks.sqlite").unlink(),
    "chroma.sqlite3 zeroed": lambda v: (v / "chroma" / "chroma.sqlite3").write_bytes(b""),
    "chunks.jsonl truncated": lambda v: _truncate(v / "chunks.jsonl"),
    "chroma deleted": lambda v: shutil.rmtree(v / "chroma"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_current_version_falls_back_to_the_previous(two_versions, damage: str) -> None:
    settings, first, second = two_versions
    DAMAGE[damage](settings.index_dir / second)
    # A broken pointer names nothing: the newest complete version (intact here) serves.
    expected = second if "CURRENT" in damage else first
    with TestClient(create_app(settings)) as client:
        health = client.get("/healthz")
        assert health.status_code == 200 and health.json()["index_version"] == expected
        assert client.get("/v1/search", params={"q": "Căn cước công dân"}).json()["results"]


@pytest.mark.parametrize("damage", [d for d in DAMAGE if "CURRENT" not in d])
def test_no_good_version_is_503_with_a_reason(tmp_path: Path, small_corpus: Path, damage) -> None:
    settings = make_settings(tmp_path, small_corpus)
    version = ingest_corpus(settings).version
    DAMAGE[damage](settings.index_dir / version)
    with TestClient(create_app(settings)) as client:
        for method, path in [("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/v1/tasks"),
                             ("GET", "/v1/search?q=IOC"), ("GET", "/v1/documents")]:  # fmt: skip
            response = client.request(method, path)
            assert response.status_code == 503, (path, response.text)
        asked = client.post("/v1/ask", json={"question": "Ai chủ trì?"})
        assert asked.status_code == 503
        assert "da06 ingest" in asked.json()["detail"]
    # Nothing was silently re-created empty.
    assert not (settings.index_dir / version / "chroma").exists() or damage != "chroma deleted"
