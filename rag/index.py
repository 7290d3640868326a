"""The on-disk index: ``var/index/<version>/`` plus a ``CURRENT`` pointer swapped atomically.

A version holds ``chunks.jsonl``, ``documents.jsonl``, ``bm25/``, ``chroma/`` (when Chroma is
embedded), ``tasks.sqlite`` and ``manifest.json``. Readers only ever see complete versions:
a version becomes current by replacing the pointer file in one ``os.replace``.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path

import bm25s
import numpy as np

from rag.errors import IndexNotFound
from rag.schemas import Chunk

CURRENT_FILE = "CURRENT"
MANIFEST_FILE = "manifest.json"
CHUNKS_FILE = "chunks.jsonl"
DOCUMENTS_FILE = "documents.jsonl"
TASKS_FILE = "tasks.sqlite"
BM25_DIR = "bm25"
CHROMA_DIR = "chroma"


def current_version(index_dir: Path) -> str | None:
    pointer = index_dir / CURRENT_FILE
    if not pointer.exists():
        return None
    version = pointer.read_text(encoding="utf-8").strip()
    return version if (index_dir / version / MANIFEST_FILE).exists() else None


def set_current_version(index_dir: Path, version: str) -> None:
    tmp = index_dir / f".{CURRENT_FILE}.{os.getpid()}.tmp"
    tmp.write_text(version, encoding="utf-8")
    os.replace(tmp, index_dir / CURRENT_FILE)


def read_manifest(version_dir: Path) -> dict:
    return json.loads((version_dir / MANIFEST_FILE).read_text(encoding="utf-8"))


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def chunk_to_row(chunk: Chunk) -> dict:
    return asdict(chunk)


def chunk_from_row(row: dict) -> Chunk:
    return Chunk(**row)


@dataclass(frozen=True)
class StoredDocument:
    """What the index keeps of a document: its manifest entry and its lines (for citations)."""

    source: str
    title: str
    kind: str
    issuer: str | None
    number: str | None
    date: str | None
    content_hash: str
    pages: list[dict] = field(default_factory=list)  # [{"number": int|None, "lines": [str]}]
    chunk_count: int = 0
    aliases: list[str] = field(default_factory=list)
    short_title: str | None = None

    @property
    def label(self) -> str:
        """How answers name the document: its short title when the manifest has one."""
        return self.short_title or self.title

    @property
    def line_count(self) -> int:
        return sum(len(p["lines"]) for p in self.pages)

    def summary(self) -> dict:
        return {
            "source": self.source,
            "title": self.title,
            "issuer": self.issuer,
            "number": self.number,
            "date": self.date,
            "kind": self.kind,
            "line_count": self.line_count,
            "chunk_count": self.chunk_count,
        }

    def lines(self, page: int | None = None) -> list[str]:
        for p in self.pages:
            if p["number"] == page:
                return p["lines"]
        return self.pages[0]["lines"] if self.pages else []


@dataclass
class IndexFiles:
    """Lexical and metadata parts of one index version, loaded into memory."""

    version: str
    path: Path
    manifest: dict
    chunks: list[Chunk]
    documents: dict[str, StoredDocument]
    bm25: bm25s.BM25
    chunk_position: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, index_dir: Path, version: str | None = None) -> IndexFiles:
        version = version or current_version(index_dir)
        if version is None:
            raise IndexNotFound(
                f"Chưa có chỉ mục trong {index_dir}; hãy chạy 'da06 ingest' / "
                f"no index in {index_dir}; run 'da06 ingest'"
            )
        path = index_dir / version
        chunks = [chunk_from_row(r) for r in read_jsonl(path / CHUNKS_FILE)]
        documents = {
            row["source"]: StoredDocument(**row) for row in read_jsonl(path / DOCUMENTS_FILE)
        }
        bm25 = bm25s.BM25.load(str(path / BM25_DIR))
        return cls(
            version=version,
            path=path,
            manifest=read_manifest(path),
            chunks=chunks,
            documents=documents,
            bm25=bm25,
            chunk_position={c.id: i for i, c in enumerate(chunks)},
        )

    @cached_property
    def aliases(self) -> dict[str, list[str]]:
        """The names questions use for each document: curated, and read from the document."""
        from rag.document_aliases import document_aliases

        return document_aliases(self.documents)

    def lexical_scores(self, tokens: list[str]) -> np.ndarray:
        if not tokens:
            return np.zeros(len(self.chunks), dtype=np.float32)
        if self.bm25.nonoccurrence_array is not None:
            return np.asarray(self.bm25.get_scores(tokens), dtype=np.float32)
        return bm25_scores(self.bm25.scores, self.bm25.get_tokens_ids(tokens))


def bm25_scores(index: dict, token_ids: list[int]) -> np.ndarray:
    """BM25 scores of every chunk for a query, from bm25s's precomputed sparse matrix.

    The same sums in the same order as ``bm25s.BM25.get_scores``, but one fancy-indexed add
    per token instead of ``np.add.at`` (a chunk appears once per token column, so the two
    agree exactly), which is several times faster on the hundred-odd tokens of a question.
    """
    data, indices, indptr = index["data"], index["indices"], index["indptr"]
    scores = np.zeros(index["num_docs"], dtype=np.float32)
    for token in token_ids:
        start, end = indptr[token], indptr[token + 1]
        scores[indices[start:end]] += data[start:end]
    return scores
