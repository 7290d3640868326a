"""Chunking: one chunk per row (never two rows), prose within budgets, metadata for citations."""

from pathlib import Path

import pytest

from ingest.chunking import chunk_document, split_to_budget
from ingest.structure import parse_blocks
from ingest.tasks import extract_tasks
from rag.schemas import Block, LoadedDocument, Page
from rag.tokens import count_tokens

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def corpus_document(name: str) -> LoadedDocument:
    text = (CORPUS / name).read_text(encoding="utf-8")
    return LoadedDocument(
        source=name, pages=(Page(lines=tuple(text.split("\n"))),), content_hash="x"
    )


@pytest.fixture(scope="module")
def plan_chunks():
    doc = corpus_document("ke-hoach-de-an-06-tphcm-2024.txt")
    blocks = parse_blocks(doc)
    tasks = extract_tasks(doc, blocks, "Kế hoạch 2024")
    by_line = {(t.page, t.line_start): t for t in tasks}
    return blocks, chunk_document(blocks, "Kế hoạch 2024", "plan", by_line, 350, 200)


def test_each_row_is_its_own_chunk_with_labelled_fields(plan_chunks) -> None:
    blocks, chunks = plan_chunks
    rows = [b for b in blocks if b.kind == "row"]
    row_chunks = [c for c in chunks if c.kind == "row"]
    assert {(c.line_start, c.line_end) for c in row_chunks} == {
        (b.line_start, b.line_end) for b in rows
    }
    ioc = next(c for c in row_chunks if c.row == "04")
    assert ioc.text.startswith("Kế hoạch 2024 | I. VỀ CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH")
    assert "Đơn vị chủ trì: Sở Thông tin và Truyền thông" in ioc.text
    assert "Thời gian hoàn thành: Quý II/2024" in ioc.text
    assert ioc.line_start <= 224 <= ioc.line_end


def test_chunks_never_span_two_rows(plan_chunks) -> None:
    blocks, chunks = plan_chunks
    rows = [b for b in blocks if b.kind == "row"]
    for chunk in chunks:
        inside = [
            b for b in rows if chunk.line_start <= b.line_start and b.line_end <= chunk.line_end
        ]
        assert len(inside) <= 1


def test_prose_chunks_respect_the_budget_and_keep_their_section(plan_chunks) -> None:
    _, chunks = plan_chunks
    prose = [c for c in chunks if c.kind == "section"]
    assert prose
    for chunk in prose:
        body = chunk.text.split(" | ", 2)[-1]
        assert count_tokens(body) <= 200
        assert chunk.section and chunk.line_start <= chunk.line_end


def test_dense_text_is_short_and_ids_are_unique(plan_chunks) -> None:
    _, chunks = plan_chunks
    assert all(len(c.dense_text) <= 300 for c in chunks)
    assert len({c.id for c in chunks}) == len(chunks)
    assert all(c.metadata()["source"] == "ke-hoach-de-an-06-tphcm-2024.txt" for c in chunks)


def test_long_row_is_split_with_number_and_section_repeated() -> None:
    text = " ".join(f"Câu số {n} mô tả một phần việc rà soát dữ liệu dân cư." for n in range(80))
    block = Block(
        source="x.txt", kind="row", section="II. NHÓM DỊCH VỤ CÔNG", text=text,
        line_start=10, line_end=20, row="07",
    )  # fmt: skip
    chunks = chunk_document([block], "Tài liệu X", "plan", {}, 120, 120)
    assert len(chunks) > 1
    for chunk in chunks:
        assert "STT 07" in chunk.text and "II. NHÓM DỊCH VỤ CÔNG" in chunk.text
        assert (chunk.line_start, chunk.line_end) == (10, 20)


def test_split_to_budget_cuts_on_text_boundaries_only() -> None:
    text = "Thành phố Hồ Chí Minh triển khai Đề án 06. " * 40
    pieces = split_to_budget(text.strip(), 50)
    assert len(pieces) > 1
    assert all(count_tokens(p) <= 50 for p in pieces)
    assert all("\ufffd" not in p for p in pieces)
    assert " ".join(pieces).split() == text.split()


def test_first_paragraph_under_a_heading_is_cited_with_its_heading() -> None:
    name = "bao-cao-so-ket-6-thang-2023-tphcm.txt"
    doc = corpus_document(name)
    blocks = parse_blocks(doc)
    first = next(b for b in blocks if b.section == "3.1 Bộ Tư Pháp:")
    assert first.line_start == 114 and first.heading_line == 113
    chunks = chunk_document(blocks, "Báo cáo", "report", {}, 350, 200)
    under = [c for c in chunks if c.section == "3.1 Bộ Tư Pháp:"]
    assert under[0].line_start == 113
    assert all(c.line_start >= 114 for c in under[1:])
