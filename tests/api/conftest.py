"""Fixtures for the HTTP tests: app variants over the session index, a writable small index."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from rag.settings import Settings
from tests.conftest import make_settings

ADMIN_KEY = "khoa-quan-tri"
READ_KEY = "khoa-doc"
INTEGRATION_KEY = "khoa-tich-hop"
KEYS = f"{ADMIN_KEY}:admin,{READ_KEY},{INTEGRATION_KEY}:integration"


@pytest.fixture()
def make_client(
    client: TestClient, corpus_settings: Settings
) -> Iterator[Callable[..., TestClient]]:
    """Apps with other auth/CORS/limit settings on the session index (read-only use only:
    the session corpus folder is the shipped corpus)."""
    clients: list[TestClient] = []

    def build(**overrides) -> TestClient:
        # Same index: share the loaded assistant instead of loading it again per app.
        variant = create_app(
            corpus_settings.model_copy(update=overrides), serving=client.app.state.serving
        )
        variant_client = TestClient(variant)
        variant_client.__enter__()  # runs the lifespan (stores, job runner)
        clients.append(variant_client)
        return variant_client

    yield build
    for variant_client in clients:
        variant_client.__exit__(None, None, None)


@pytest.fixture()
def writable_settings(tmp_path: Path, small_corpus: Path) -> Settings:
    """Settings with admin keys over an index of the two-document ``small_corpus``."""
    from ingest.build import ingest_corpus

    settings = make_settings(tmp_path, small_corpus, api_keys=KEYS, max_upload_bytes=300_000)
    ingest_corpus(settings)
    return settings


@pytest.fixture()
def admin_client(writable_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(writable_settings)) as client:
        client.headers["X-API-Key"] = ADMIN_KEY
        yield client
