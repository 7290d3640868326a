"""Chroma access: embedded PersistentClient by default, a Chroma server when configured.

Telemetry is always off, and collections are always used through an explicit embedding
function (LangChain passes vectors), never Chroma's own ONNX default that downloads a model.
"""

from __future__ import annotations

from pathlib import Path

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from rag.settings import Settings


def chroma_client(settings: Settings, path: Path) -> chromadb.ClientAPI:
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_host:
        return chromadb.HttpClient(
            host=settings.chroma_host, port=settings.chroma_port or 8000, settings=chroma_settings
        )
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def collection_name(settings: Settings, version: str) -> str:
    return f"{settings.collection_prefix}_{version}"


def vector_store(settings: Settings, path: Path, version: str, embeddings: Embeddings) -> Chroma:
    return Chroma(
        collection_name=collection_name(settings, version),
        embedding_function=embeddings,
        client=chroma_client(settings, path),
        collection_metadata={"hnsw:space": "cosine"},
    )


def close_vector_store(store: Chroma) -> None:
    """Release the store's client: an embedded client holds the version's SQLite files and
    HNSW segments open until closed (one set per index version swapped in)."""
    client = getattr(store, "_client", None)
    if client is not None and hasattr(client, "close"):
        client.close()
