"""Hybrid retrieval over the shipped corpus, with questions written for these tests."""

import pytest
from langchain_core.retrievers import BaseRetriever

PLAN = "ke-hoach-de-an-06-tphcm-2024.txt"
RESULTS_2024 = "phu-luc-1-ket-qua-nhiem-vu-tphcm-2024.txt"


def top_spans(assistant, question: str, k: int = 3) -> list[tuple[str, int, int]]:
    return [
        (h.chunk.source, h.chunk.line_start, h.chunk.line_end)
        for h in assistant.search(question, k)
    ]


def covers(spans, source: str, line: int) -> bool:
    return any(s == source and a <= line <= b for s, a, b in spans)


@pytest.mark.parametrize(
    ("question", "source", "line"),
    [
        ("Ai lo việc kê khai, nộp thuế trên ứng dụng VNeID theo kế hoạch năm 2024?", PLAN, 374),
        ("ai lo viec ke khai nop thue tren ung dung vneid theo ke hoach nam 2024", PLAN, 374),
        ("Hóa đơn điện tử khởi tạo từ máy tính tiền do đơn vị nào triển khai?", PLAN, 411),
        (
            "Trong kế hoạch năm 2024, kết nối dữ liệu dân cư với dữ liệu kiểm soát tài sản, thu nhập do ai chủ trì?",
            PLAN,
            436,
        ),
    ],
)
def test_task_questions_find_their_row_first(
    assistant, question: str, source: str, line: int
) -> None:
    hits = assistant.search(question, 3)
    assert hits[0].chunk.kind == "row"
    assert covers(top_spans(assistant, question, 1), source, line)


def test_document_number_is_an_exact_key(assistant) -> None:
    spans = top_spans(assistant, "Thông báo 2860/TB-TGV phân công những nhóm công tác nào?", 3)
    assert covers(spans, "bao-cao-so-ket-6-thang-2023-tphcm.txt", 14)


def test_document_named_in_question_is_preferred(assistant) -> None:
    hits = assistant.search(
        "Theo Phụ lục I, nhiệm vụ đào tạo an ninh an toàn trên phần mềm MOOC có hạn khi nào?", 3
    )
    assert hits[0].chunk.source == RESULTS_2024


def test_langchain_retriever_returns_documents_with_citation_metadata(assistant) -> None:
    retriever = assistant.retriever()
    assert isinstance(retriever, BaseRetriever)
    documents = retriever.invoke("kế hoạch năm 2024: hóa đơn điện tử từ máy tính tiền")
    assert documents
    first = documents[0]
    assert {"source", "line_start", "line_end", "title", "section"} <= set(first.metadata)
    assert first.metadata["source"] == PLAN


def test_weighted_fusion_and_rrf_both_rank(assistant) -> None:
    from rag.query import analyse

    analysis = analyse("hóa đơn điện tử khởi tạo từ máy tính tiền")
    searcher = assistant.searcher
    try:
        searcher.fusion = "rrf"
        rrf = searcher.search(analysis, 5)
    finally:
        searcher.fusion = "weighted"
    weighted = searcher.search(analysis, 5)
    assert rrf and weighted
    assert weighted[0].score >= weighted[-1].score
