"""Hybrid retrieval: bm25s over Vietnamese-aware tokens plus Chroma dense search, fused.

Lexical search is the primary signal on this corpus (the embedding model is English-centric
and reads at most 256 word pieces); dense search adds paraphrase recall. Document numbers
are the strongest keys and get an exact-match boost; a document named in the question
(``Kế hoạch 2024``, ``Phụ lục 03``) is preferred over the others.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.vectorstores import VectorStore
from pydantic import ConfigDict

from rag.appendices import appendix_spans
from rag.dense_gate import DenseGate
from rag.index import IndexFiles
from rag.query import QueryAnalysis
from rag.schemas import Chunk
from rag.text import fold, squash

DENSE_CANDIDATES = 100
RRF_K = 60
LEXICAL_WEIGHT = 0.95
DENSE_WEIGHT = 0.05
DOC_NUMBER_BOOST = 0.35
NAMED_DOC_BOOST = 0.2
SOURCE_PENALTY = 0.55
# Chunks of the named document outside the appendix the question names.
APPENDIX_PENALTY = 0.3
UNIT_BOOST = 0.08
# Scores are compared at this precision: differences below it are float noise (thread counts,
# BLAS kernels) and must not decide between two chunks. Ties then fall to ``_ranked``'s keys.
SCORE_DECIMALS = 4
KIND_ORDER = {"row": 0, "section": 1}
# Dense similarities are compared at this precision (query-embedding float noise is below it).
DENSE_DECIMALS = 3
VECTOR_BATCH = 5000
# Chunk vectors widened to float64 this many rows at a time (bounded scratch memory).
DOT_BLOCK = 4096
# Question similarities remembered (a question asked again is not embedded again).
SIMILARITY_MEMO_SIZE = 256
# Remembered chunk matches per unit or document number (a bounded working set).
HIT_MEMO_SIZE = 512


@dataclass(frozen=True)
class ScoredChunk:
    chunk: Chunk
    score: float
    lexical: float
    dense: float


class HybridSearcher:
    def __init__(
        self,
        files: IndexFiles,
        vectors: VectorStore | None,
        fusion: str = "weighted",
        gate: DenseGate | None = None,
    ) -> None:
        self.files = files
        self.vectors = vectors
        self.fusion = fusion
        # Without a gate every query runs the dense leg, as before gating existed.
        self.gate = gate or DenseGate(margin=float("inf"))
        # Document-number matching looks at the body only: every chunk repeats its title,
        # and a title such as "Công văn 4709/CV-TCTTKĐA …" would otherwise match everywhere.
        bodies = [chunk_body(c) for c in files.chunks]
        self._squashed = [squash(b) for b in bodies]
        self._folded = [fold(b) for b in bodies]
        self._sections = [fold(c.section) for c in files.chunks]
        self._source_index = {source: n for n, source in enumerate(files.documents)}
        unknown = len(self._source_index)
        self._source_codes = np.asarray(
            [self._source_index.get(c.source, unknown) for c in files.chunks], dtype=np.int64
        )
        self._document_rank = self._source_codes
        self._kind_rank = np.asarray(
            [KIND_ORDER.get(c.kind, len(KIND_ORDER)) for c in files.chunks], dtype=np.int64
        )
        ids = [c.id for c in files.chunks]
        self._id_rank = np.empty(len(ids), dtype=np.int64)
        self._id_rank[sorted(range(len(ids)), key=ids.__getitem__)] = np.arange(len(ids))
        self._appendix = np.asarray(_chunk_appendices(files), dtype=object)
        self._hit_memo: dict[tuple[str, ...], np.ndarray] = {}
        self._vectors_matrix: tuple[np.ndarray, np.ndarray] | None = None
        self._similarity_memo: OrderedDict[str, np.ndarray] = OrderedDict()
        # Requests run on a thread pool: the LRU's reorderings must not interleave.
        self._memo_lock = threading.Lock()

    def dense_scores(self, query: str) -> np.ndarray:
        scores = np.zeros(len(self.files.chunks), dtype=np.float32)
        if self.vectors is None or not query.strip():
            return scores
        similarities = self._exact_similarities(query)
        if similarities is None:
            return scores
        # The strongest candidates, ties by position: the same set in every process.
        order = np.lexsort((np.arange(similarities.size), -similarities))[:DENSE_CANDIDATES]
        chosen = similarities[order]
        floor = float(chosen.min())
        span = float(chosen.max()) - floor or 1.0
        # Min-max over the candidates: chunks outside the dense top-k count as the weakest one.
        scores[order] = 0.05 + 0.95 * (chosen - floor) / span
        return scores

    def _exact_similarities(self, query: str) -> np.ndarray | None:
        """Cosine similarity of the query to every chunk, rounded to ``DENSE_DECIMALS``.

        Exact rather than Chroma's approximate (HNSW) top-k: the approximate candidate set
        and float noise in the query embedding differed between processes, which changed
        which of two near-identical rows ranked first.
        """
        with self._memo_lock:
            cached = self._similarity_memo.get(query)
            if cached is not None:
                self._similarity_memo.move_to_end(query)
                return cached
        vectors = self._chunk_vectors()
        if vectors is None:
            return None
        matrix, inverse_norms = vectors
        vector = np.asarray(self.vectors.embeddings.embed_query(query), dtype=np.float64)
        norm = float(np.linalg.norm(vector)) or 1.0
        unit = vector / norm
        # Rows are kept as float32 (half the memory) and widened block by block: the products
        # are float64 as before, so the 3-decimal rounding sees the same values.
        products = np.concatenate(
            [
                matrix[start : start + DOT_BLOCK].astype(np.float64) @ unit
                for start in range(0, matrix.shape[0], DOT_BLOCK)
            ]
        )
        similarities = np.round(products * inverse_norms, DENSE_DECIMALS)
        similarities.setflags(write=False)
        with self._memo_lock:
            self._similarity_memo[query] = similarities
            if len(self._similarity_memo) > SIMILARITY_MEMO_SIZE:
                self._similarity_memo.popitem(last=False)
        return similarities

    def _chunk_vectors(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Chunk vectors in chunk order (float32) and their inverse norms (float64), read
        once from the vector store."""
        if self._vectors_matrix is None:
            ids = [c.id for c in self.files.chunks]
            rows: dict[str, list[float]] = {}
            collection = self.vectors._collection
            for start in range(0, len(ids), VECTOR_BATCH):
                got = collection.get(ids=ids[start : start + VECTOR_BATCH], include=["embeddings"])
                rows.update(zip(got["ids"], got["embeddings"], strict=True))
            if not rows:
                return None
            width = len(next(iter(rows.values())))
            # Chroma stores float32: these are its values exactly, norms taken in float64.
            matrix = np.zeros((len(ids), width), dtype=np.float32)
            for position, chunk_id in enumerate(ids):
                if chunk_id in rows:
                    matrix[position] = rows[chunk_id]
            norms = np.linalg.norm(matrix.astype(np.float64), axis=1)
            self._vectors_matrix = (matrix, 1.0 / np.where(norms == 0, 1.0, norms))
        return self._vectors_matrix

    def search(
        self,
        analysis: QueryAnalysis,
        k: int = 8,
        source: str | None = None,
        kind: str | None = None,
        doc_kind: str | None = None,
    ) -> list[ScoredChunk]:
        """Top ``k`` chunks; ``source``/``kind``/``doc_kind`` are hard metadata filters."""
        lexical = self.files.lexical_scores(list(analysis.tokens))
        boosts = self._boosts(analysis)
        weights = self._source_weights(analysis) * self._filter_mask(source, kind, doc_kind)
        dense = np.zeros_like(lexical)
        fused = (self._fuse(lexical, dense) + boosts) * weights
        if self.vectors is not None and self.gate.needs_dense(fused, self.fusion):
            dense = self.dense_scores(analysis.normalized)
            fused = (self._fuse(lexical, dense) + boosts) * weights
        order = self._ranked(np.round(fused, SCORE_DECIMALS), analysis)[:k]
        return [
            ScoredChunk(
                chunk=self.files.chunks[i],
                score=float(fused[i]),
                lexical=float(lexical[i]),
                dense=float(dense[i]),
            )
            for i in order
            if fused[i] > 0
        ]

    def _ranked(self, fused: np.ndarray, analysis: QueryAnalysis) -> np.ndarray:
        """Positions by score, ties broken by explicit keys, never by iteration order:
        the document the question names, then the more specific chunk kind (a table row
        over a section), then the document's order in the corpus, then the chunk id."""
        named = analysis.sources[0] if analysis.sources else None
        not_named = self._source_codes != self._source_index.get(named, -1)
        order = np.lexsort((self._id_rank, self._document_rank, self._kind_rank, not_named, -fused))
        return order[fused[order] > 0]

    def _fuse(self, lexical: np.ndarray, dense: np.ndarray) -> np.ndarray:
        if self.fusion == "rrf":
            fused = _rrf(lexical) + _rrf(dense)
            # Scaled to [0, 1] like the weighted fusion, so the boosts keep their meaning.
            return fused / fused.max() if fused.max() > 0 else fused
        return LEXICAL_WEIGHT * _scaled(lexical) + DENSE_WEIGHT * _scaled(dense)

    def _boosts(self, analysis: QueryAnalysis) -> np.ndarray:
        boosts = np.zeros(len(self.files.chunks), dtype=np.float32)
        for number in analysis.doc_numbers:
            if number.key != number.number:
                boosts += DOC_NUMBER_BOOST * self._hits(("key", number.key), self._has_key)
            else:
                kind = fold(number.text).split(number.number)[0].replace(" so ", " ").strip()
                named = ("named", kind, str(int(number.number)))
                boosts += NAMED_DOC_BOOST * self._hits(named, self._names_document)
        if analysis.units:
            # A row that names the unit, or a passage whose own heading is about the unit
            # ("3.1 Bộ Tư Pháp:" under the recommendations of a report).
            hit = np.zeros(len(self.files.chunks), dtype=np.float32)
            for unit in analysis.units:
                hit = np.maximum(hit, self._hits(("unit", fold(unit)), self._mentions_unit))
            boosts += UNIT_BOOST * hit
        return boosts

    def _hits(self, key: tuple[str, ...], find: Callable[..., list[bool]]) -> np.ndarray:
        """Which chunks match a document number or unit: a scan of every chunk, remembered,
        since the same few units and numbers come back question after question."""
        hits = self._hit_memo.get(key)
        if hits is None:
            if len(self._hit_memo) >= HIT_MEMO_SIZE:
                self._hit_memo.clear()
            hits = np.asarray(find(*key[1:]), dtype=np.float32)
            self._hit_memo[key] = hits
        return hits

    def _has_key(self, key: str) -> list[bool]:
        return [key in text for text in self._squashed]

    def _names_document(self, kind: str, number: str) -> list[bool]:
        pattern = re.compile(rf"\b{re.escape(kind)}\s+(?:so\s+)?0*{number}\b")
        return [bool(pattern.search(text)) for text in self._folded]

    def _mentions_unit(self, unit: str) -> list[bool]:
        return [
            unit in (text if c.kind == "row" else section)
            for c, text, section in zip(
                self.files.chunks, self._folded, self._sections, strict=True
            )
        ]

    def _filter_mask(
        self, source: str | None, kind: str | None, doc_kind: str | None
    ) -> np.ndarray:
        if not (source or kind or doc_kind):
            return np.ones(len(self.files.chunks), dtype=np.float32)
        keep = [
            (not source or c.source == source)
            and (not kind or c.kind == kind)
            and (not doc_kind or c.doc_kind == doc_kind)
            for c in self.files.chunks
        ]
        return np.asarray(keep, dtype=np.float32)

    def _source_weights(self, analysis: QueryAnalysis) -> np.ndarray:
        """A question that names one document searches that document only; naming several
        (a comparison, or an ambiguous name) only prefers the first."""
        if not analysis.sources:
            return np.ones(len(self.files.chunks), dtype=np.float32)
        scoped = len(analysis.sources) == 1 and not analysis.inherited
        other = 0.0 if scoped else SOURCE_PENALTY
        preferred = analysis.sources[0]
        weights = np.asarray(
            [1.0 if c.source == preferred else other for c in self.files.chunks],
            dtype=np.float32,
        )
        return weights * self._appendix_weights(analysis, preferred)

    def _appendix_weights(self, analysis: QueryAnalysis, source: str) -> np.ndarray | float:
        """ "PL 05 của công văn 4709": the lines under that appendix heading of the named
        document answer; the rest of the document stays behind them."""
        if analysis.appendix is None:
            return 1.0
        code = self._source_index.get(source, -1)
        inside = (self._source_codes == code) & (self._appendix == analysis.appendix)
        if not inside.any():
            return 1.0
        return np.where(inside, 1.0, APPENDIX_PENALTY).astype(np.float32)


def _chunk_appendices(files: IndexFiles) -> list[str | None]:
    """The appendix (by number) each chunk's first line falls under, if any."""
    spans = {
        (source, page["number"]): appendix_spans(page["lines"])
        for source, document in files.documents.items()
        for page in document.pages
    }
    found: list[str | None] = []
    for chunk in files.chunks:
        found.append(
            next(
                (
                    number
                    for number, start, end in spans.get((chunk.source, chunk.page), [])
                    if start <= chunk.line_start <= end
                ),
                None,
            )
        )
    return found


def chunk_body(chunk: Chunk) -> str:
    """A chunk's text without the document title it repeats."""
    prefix = f"{chunk.title} | "
    return chunk.text[len(prefix) :] if chunk.text.startswith(prefix) else chunk.text


def _scaled(scores: np.ndarray) -> np.ndarray:
    top = float(scores.max()) if scores.size else 0.0
    return scores / top if top > 0 else scores


def _rrf(scores: np.ndarray) -> np.ndarray:
    ranks = np.empty_like(scores)
    ranks[np.argsort(-scores)] = np.arange(1, scores.size + 1)
    fused = 1.0 / (RRF_K + ranks)
    fused[scores <= 0] = 0.0
    return fused.astype(np.float32)


class HybridRetriever(BaseRetriever):
    """LangChain face of the hybrid search, for chains that take a retriever (the LLM path)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: HybridSearcher
    analyse: object  # Callable[[str], QueryAnalysis]
    k: int = 8

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        hits = self.searcher.search(self.analyse(query), self.k)
        return [
            Document(
                id=hit.chunk.id,
                page_content=hit.chunk.text,
                metadata={**hit.chunk.metadata(), "score": hit.score},
            )
            for hit in hits
        ]
