"""The naive baseline a typical LangChain tutorial builds, scored beside the product.

RecursiveCharacterTextSplitter (1000 characters, 200 overlap) over each document's raw
text, the same embedding model, Chroma top-4, and the answer is simply the top chunk.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_text_splitters import RecursiveCharacterTextSplitter

from ingest.loaders import load_corpus, read_manifest
from rag.embedding_cache import CachedEmbeddings
from rag.embeddings import shared_embeddings
from rag.schemas import Answer, Citation
from rag.settings import Settings

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
TOP_K = 4


@dataclass(frozen=True)
class BaselineHit:
    source: str
    line_start: int
    line_end: int
    text: str


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for position, char in enumerate(text):
        if char == "\n":
            starts.append(position + 1)
    return starts


class NaiveBaseline:
    def __init__(self, settings: Settings, corpus_dir: Path | None = None) -> None:
        corpus_dir = corpus_dir or settings.corpus_dir
        docs, _ = load_corpus(corpus_dir)
        manifest = read_manifest(corpus_dir)
        splitter = RecursiveCharacterTextSplitter(
            chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, add_start_index=True
        )
        texts, metadatas, ids = [], [], []
        for doc in docs:
            text = doc.text
            starts = _line_starts(text)
            for index, piece in enumerate(splitter.create_documents([text])):
                begin = piece.metadata["start_index"]
                end = begin + len(piece.page_content)
                texts.append(piece.page_content)
                metadatas.append(
                    {
                        "source": doc.source,
                        "title": manifest.get(doc.source, {}).get("title", doc.source),
                        "line_start": bisect_right(starts, begin),
                        "line_end": bisect_right(starts, max(begin, end - 1)),
                    }
                )
                ids.append(f"{doc.source}:{index}")
        embeddings = CachedEmbeddings(
            shared_embeddings(settings.embedding_model, settings.embedding_batch_size),
            f"{settings.embedding_model}@model-default",
            settings.embedding_cache_path,
        )
        client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        self.store = Chroma(
            collection_name="baseline", embedding_function=embeddings, client=client
        )
        for start in range(0, len(texts), 256):
            self.store.add_texts(
                texts[start : start + 256], metadatas[start : start + 256], ids[start : start + 256]
            )
        self.chunk_count = len(texts)

    def search(self, question: str, k: int = TOP_K) -> list[BaselineHit]:
        documents = self.store.similarity_search(question, k=min(k, TOP_K))
        return [
            BaselineHit(
                source=d.metadata["source"],
                line_start=d.metadata["line_start"],
                line_end=d.metadata["line_end"],
                text=d.page_content,
            )
            for d in documents
        ]

    def ask(self, question: str) -> Answer:
        started = time.perf_counter()
        documents = self.store.similarity_search(question, k=TOP_K)
        elapsed = (time.perf_counter() - started) * 1000
        citations = [
            Citation(
                id=i,
                source=d.metadata["source"],
                title=d.metadata["title"],
                line_start=d.metadata["line_start"],
                line_end=d.metadata["line_end"],
                quote=d.page_content[:300],
            )
            for i, d in enumerate(documents, start=1)
        ]
        text = documents[0].page_content if documents else ""
        return Answer(
            answer=text,
            abstained=False,
            citations=citations[:1],
            timing_ms={"retrieve": elapsed, "compose": 0.0, "total": elapsed},
        )
