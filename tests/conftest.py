"""Shared fixtures: one real index of the shipped corpus per test session, apps on top of it."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from rag.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
# Embeddings of unchanged chunk texts are reused across tests and test sessions (keyed by
# model and text hash), so each test index only embeds what no earlier test embedded.
EMBEDDING_CACHE = ROOT / "var" / "test-cache"


def make_settings(root: Path, corpus: Path, **overrides) -> Settings:
    EMBEDDING_CACHE.mkdir(parents=True, exist_ok=True)
    values = {
        "corpus_dir": corpus,
        "index_dir": root / "index",
        "embedding_cache": EMBEDDING_CACHE / "embedding-cache.sqlite",
        "conversation_db": root / "conversations.sqlite",
        "api_keys": "",
        "cors_origins": "",
        "llm_provider": "none",
        # Every test client shares one address; the limiter has its own tests.
        "rate_limit_per_minute": 0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of a session-wide index built from the shipped corpus (read-only for tests)."""
    from ingest.build import ingest_corpus

    root = tmp_path_factory.mktemp("corpus-index")
    settings = make_settings(root, CORPUS)
    ingest_corpus(settings)
    return settings


@pytest.fixture(scope="session")
def assistant(corpus_settings: Settings):
    from rag.assistant import Assistant

    loaded = Assistant.load(corpus_settings)
    yield loaded
    loaded.close()


@pytest.fixture(scope="session")
def client(corpus_settings: Settings):
    from fastapi.testclient import TestClient

    from api.app import create_app

    with TestClient(create_app(corpus_settings)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def app(client):
    """The session app, its lifespan running (serving state loaded by ``client``)."""
    return client.app


@pytest.fixture()
def small_corpus(tmp_path: Path) -> Path:
    """A writable corpus of two shipped documents, for tests that add or delete documents."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in (
        "bao-cao-so-ket-6-thang-2023-tphcm.txt",
        "cong-van-4709-de-cuong-so-ket-6-thang-2024.txt",
    ):
        shutil.copy(CORPUS / name, corpus / name)
    shutil.copy(CORPUS / "manifest.json", corpus / "manifest.json")
    return corpus


@pytest.fixture(scope="session")
def live_server_url(corpus_settings: Settings) -> Iterator[str]:
    """The real app served by uvicorn on 127.0.0.1 in a background thread (for browser tests)."""
    import socket

    import uvicorn

    from api.app import create_app

    settings = corpus_settings.model_copy(update={"public_widget": True})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server for the session (tests/postgres.py)."""
    from tests.postgres import ALLOW_MISSING, start_or_explain

    server = start_or_explain()
    if server is None:
        pytest.skip(f"PostgreSQL unavailable and {ALLOW_MISSING}=1: PostgreSQL tests skipped")
    yield server
    server.stop()


@pytest.fixture()
def database_url(postgres_server) -> Iterator[str]:
    """An empty PostgreSQL database of its own for one test."""
    url = postgres_server.new_database()
    yield url
    postgres_server.drop_database(url)


def publish_registry(settings: Settings, version: str, tasks) -> None:
    """Write ``tasks`` as ``version``'s registry where ``settings`` say, the way the build
    does (rows, groups and links through ``registry_writer``)."""
    from rag.links import write_links
    from rag.registry_db import registry_writer
    from rag.task_groups import write_groups
    from rag.taskstore import write_tasks

    with registry_writer(settings, version, settings.index_dir / version) as registry:
        write_tasks(registry, tasks)
        write_groups(registry, tasks)
        write_links(registry, tasks)


@pytest.fixture(scope="session")
def pg_corpus_settings(corpus_settings: Settings, postgres_server) -> Iterator[Settings]:
    """The session index with its task registry also in PostgreSQL (the same rows the build
    wrote to ``tasks.sqlite``, published once): settings of a several-machines deployment."""
    from rag.index import TASKS_FILE, current_version
    from rag.taskstore import TaskStore

    url = postgres_server.new_database()
    settings = corpus_settings.model_copy(update={"database_url": url})
    version = current_version(corpus_settings.index_dir)
    store = TaskStore(corpus_settings.index_dir / version / TASKS_FILE)
    publish_registry(settings, version, store.all())
    store.close()
    yield settings
    postgres_server.drop_database(url)
