"""Imported once by the job forkserver: the heavy libraries and the default embedding model,
so each job's worker process starts with them in memory instead of loading them again
(measured: a minute per job on a busy two-core machine without this)."""

from __future__ import annotations

import contextlib

import chromadb  # noqa: F401
import sentence_transformers  # noqa: F401

import api.job_worker  # noqa: F401
from rag.embeddings import shared_embeddings
from rag.settings import Settings

with contextlib.suppress(Exception):  # a configured model that fails loads again per job
    _settings = Settings()
    shared_embeddings(
        _settings.embedding_model, _settings.embedding_batch_size, _settings.dense_max_tokens
    )
