"""The dense leg runs only when the lexical ranking leaves room for it to change the answer."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rag.dense_gate import DenseGate, lexical_lead
from rag.retrieve import DENSE_WEIGHT, HybridSearcher


def test_lead_is_the_gap_between_the_two_best_scores() -> None:
    assert lexical_lead(np.array([0.2, 0.9, 0.5], dtype=np.float32)) == pytest.approx(0.4)
    assert lexical_lead(np.array([0.7], dtype=np.float32)) == pytest.approx(0.7)


def test_no_lexical_match_has_no_lead() -> None:
    assert lexical_lead(np.zeros(4, dtype=np.float32)) is None
    assert lexical_lead(np.zeros(0, dtype=np.float32)) is None


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([1.0, 0.5, 0.1], False),  # decisive lead: dense skipped
        ([1.0, 0.99, 0.1], True),  # close call: dense may break it
        ([0.0, 0.0, 0.0], True),  # nothing matched lexically: dense is the only signal
    ],
)
def test_gate_decides_on_the_margin(scores: list[float], expected: bool) -> None:
    gate = DenseGate(margin=0.05)
    assert gate.needs_dense(np.array(scores, dtype=np.float32), "weighted") is expected


def test_infinite_margin_and_rank_fusion_always_run_dense() -> None:
    decisive = np.array([1.0, 0.1], dtype=np.float32)
    assert DenseGate(margin=math.inf).needs_dense(decisive, "weighted")
    assert DenseGate(margin=0.05).needs_dense(decisive, "rrf")


class CountingEmbeddings:
    """The real embedding function, counting the query embeddings asked of it."""

    def __init__(self, embeddings, counter: CountingVectors) -> None:
        self.embeddings = embeddings
        self.counter = counter

    def embed_query(self, text: str) -> list[float]:
        self.counter.queries += 1
        return self.embeddings.embed_query(text)


class CountingVectors:
    """The real vector store, counting the query embeddings dense scoring asks for."""

    def __init__(self, store) -> None:
        self.store = store
        self.queries = 0
        self._collection = store._collection
        self.embeddings = CountingEmbeddings(store.embeddings, self)


def _searchers(assistant, margin: float) -> tuple[HybridSearcher, CountingVectors]:
    vectors = CountingVectors(assistant.searcher.vectors)
    gated = HybridSearcher(assistant.files, vectors, "weighted", DenseGate(margin))
    return gated, vectors


def test_a_decisive_question_skips_the_embedding_and_keeps_its_top_chunk(assistant) -> None:
    question = "Thông báo 2860/TB-TGV phân công những nhóm công tác nào?"
    gated, vectors = _searchers(assistant, DENSE_WEIGHT)
    always, _ = _searchers(assistant, math.inf)
    analysis = assistant.analyse(question)
    gated_hits = gated.search(analysis, 5)
    assert vectors.queries == 0
    assert all(hit.dense == 0.0 for hit in gated_hits)
    assert gated_hits[0].chunk.id == always.search(analysis, 5)[0].chunk.id


def test_a_question_without_lexical_match_still_uses_dense(assistant) -> None:
    gated, vectors = _searchers(assistant, DENSE_WEIGHT)
    hits = gated.search(assistant.analyse("zzqx wvvk"), 5)
    assert vectors.queries == 1
    assert hits and hits[0].dense > 0


def test_with_a_margin_of_the_dense_weight_the_top_chunk_never_changes(assistant) -> None:
    """Dense adds at most DENSE_WEIGHT to a chunk: a larger lead cannot be overturned."""
    questions = [
        "Ai chủ trì kết nối dữ liệu dân cư với hệ thống bảo hiểm xã hội?",
        "hoa don dien tu tu may tinh tien do ai trien khai",
        "Sở Y tế phối hợp với đơn vị nào về sổ sức khỏe điện tử?",
        "Có bao nhiêu tài khoản định danh điện tử mức 2 đã được kích hoạt?",
        "Thời hạn hoàn thành việc số hóa hồ sơ hộ tịch là khi nào?",
    ]
    gated, _ = _searchers(assistant, DENSE_WEIGHT)
    always, _ = _searchers(assistant, math.inf)
    for question in questions:
        analysis = assistant.analyse(question)
        assert gated.search(analysis, 1)[0].chunk.id == always.search(analysis, 1)[0].chunk.id
