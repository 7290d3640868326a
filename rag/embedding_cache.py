"""A persistent cache in front of an embedding model, keyed by model and text hash.

Re-ingesting a corpus where only one document changed embeds only that document's chunks.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings


class CachedEmbeddings(Embeddings):
    def __init__(self, base: Embeddings, model_name: str, path: Path) -> None:
        self.base = base
        self.model_name = model_name
        self.path = path
        self.computed = 0
        self.reused = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS vectors (model TEXT, key TEXT, vector BLOB, "
                "PRIMARY KEY (model, key))"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        keys = [self._key(t) for t in texts]
        found: dict[str, list[float]] = {}
        with self._connect() as db:
            for start in range(0, len(keys), 500):
                batch = keys[start : start + 500]
                marks = ",".join("?" * len(batch))
                rows = db.execute(
                    f"SELECT key, vector FROM vectors WHERE model = ? AND key IN ({marks})",
                    [self.model_name, *batch],
                )
                for key, blob in rows:
                    found[key] = np.frombuffer(blob, dtype=np.float32).tolist()
        missing = [(k, t) for k, t in zip(keys, texts, strict=True) if k not in found]
        unique_missing = dict(missing)
        if unique_missing:
            vectors = self.base.embed_documents(list(unique_missing.values()))
            with self._connect() as db:
                db.executemany(
                    "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                    [
                        (self.model_name, k, np.asarray(v, dtype=np.float32).tobytes())
                        for k, v in zip(unique_missing, vectors, strict=True)
                    ],
                )
            found.update(zip(unique_missing, vectors, strict=True))
        self.computed += len(unique_missing)
        self.reused += len(texts) - len(missing)
        return [found[k] for k in keys]

    def embed_query(self, text: str) -> list[float]:
        return self.base.embed_query(text)
