"""Tables as users upload them: PDF (ruled, unruled) and DOCX rebuilt from the shipped rows
must give the same lead units, coordinating units and deadlines as the text exports."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest

from eval.table_documents import (
    PLAN_HEADER,
    SourceTable,
    plan_table,
    prose_pdf,
    results_table,
    table_docx,
    table_pdf,
)
from eval.table_uploads import compare, uploaded_tasks
from eval.task_extraction import extract_corpus
from ingest.build import ingest_corpus
from ingest.loaders import load_document
from ingest.structure import parse_blocks
from ingest.tasks import extract_tasks
from rag.index import CHUNKS_FILE, current_version
from rag.taskstore import TaskStore
from tests.conftest import CORPUS, make_settings

PLAN = "ke-hoach-de-an-06-tphcm-2024.txt"
RESULTS = "phu-luc-03-ket-qua-nhiem-vu-de-an-06.txt"
# Enough rows for several landscape pages and two groups; the eval script runs all rows.
ROWS = 28


@pytest.fixture(scope="module")
def exports():
    return extract_corpus(CORPUS, [PLAN, RESULTS])


@pytest.fixture(scope="module")
def plan(exports):
    return [t for t in exports[PLAN] if t.text][:ROWS]


@pytest.fixture(scope="module")
def results(exports):
    return [t for t in exports[RESULTS] if t.text][:ROWS]


def load(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return load_document(path, tmp_path)


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_plan_pdf_rows_match_the_text_export(plan, ruled):
    data = table_pdf(plan_table("Kế hoạch", plan), ruled=ruled)
    found = uploaded_tasks(data, "ke-hoach.pdf")
    scores = compare(plan, found)
    assert scores["found"] == len(plan)
    assert scores["share"] >= 0.95, scores


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_header_printed_only_on_the_first_page(plan, ruled):
    data = table_pdf(plan_table("Kế hoạch", plan), ruled=ruled, repeat_header=False)
    scores = compare(plan, uploaded_tasks(data, "ke-hoach.pdf"))
    assert scores["found"] == len(plan)
    assert scores["share"] >= 0.95, scores


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_results_pdf_rows_match_the_text_export(results, ruled):
    data = table_pdf(results_table("Phụ lục 03", results), ruled=ruled)
    scores = compare(results, uploaded_tasks(data, "phu-luc-03.pdf"))
    assert scores["share"] >= 0.95, scores


def test_docx_rows_match_and_group_rows_become_sections(plan, tmp_path):
    data = table_docx(plan_table("Kế hoạch", plan))
    found = uploaded_tasks(data, "ke-hoach.docx")
    assert compare(plan, found)["share"] >= 0.95
    assert [t.section for t in found] == [t.section for t in plan]


def test_pdf_tasks_cite_their_page_and_lines(plan, tmp_path):
    doc = load(tmp_path, "ke-hoach.pdf", table_pdf(plan_table("Kế hoạch", plan)))
    tasks = extract_tasks(doc, parse_blocks(doc), "Kế hoạch")
    assert len({t.page for t in tasks}) >= 3  # multi-page, each row on its page
    for task in tasks:
        page = doc.pages[task.page - 1]
        first_line = page.lines[task.line_start - 1]
        # The cited line is the row's first printed line: its number and first words.
        assert first_line.startswith(task.row)
        assert task.text.split()[1] in first_line
    # Repeated headers and page numbers are not content lines of table pages.
    for page in doc.pages[1:]:
        assert not page.lines[-1].strip().isdigit()


def test_row_running_over_a_page_break_is_one_task(tmp_path):
    long_text = " ".join(f"Nội dung chi tiết phần {n} của nhiệm vụ dài." for n in range(1, 120))
    rows = [("I. NHIỆM VỤ",)]
    rows += [
        (f"{n:02d}", f"Nhiệm vụ ngắn số {n}", "Sở Y tế", "Sở Tư pháp", "Quý II/2024", "Báo cáo")
        for n in range(1, 9)
    ]
    rows += [("09", long_text, "Công an Thành phố", "Sở Nội vụ", "Quý IV/2024", "Kế hoạch")]
    rows += [("10", "Nhiệm vụ cuối", "Sở Tài chính", "", "Tháng 6/2024", "")]
    table = SourceTable("Kế hoạch", PLAN_HEADER, tuple(rows))
    for ruled in (True, False):
        doc = load(tmp_path, f"dai-{ruled}.pdf", table_pdf(table, ruled=ruled))
        tasks = extract_tasks(doc, parse_blocks(doc), "Kế hoạch")
        assert [t.row for t in tasks] == [f"{n:02d}" for n in range(1, 11)]
        split = tasks[8]
        assert split.text.endswith("phần 119 của nhiệm vụ dài.")
        assert split.lead_units == ["Công an Thành phố"]
        assert split.deadline.text == "Quý IV/2024"
        assert split.page < tasks[9].page


def test_prose_only_pdf_with_page_numbers_has_no_task_rows(tmp_path):
    paragraphs = [
        "Ủy ban nhân dân Thành phố chỉ đạo các sở, ban, ngành triển khai Đề án 06 năm 2024.",
        "Công an Thành phố chủ trì, phối hợp Sở Thông tin và Truyền thông hoàn thành trong Quý II/2024.",
    ] * 12
    doc = load(tmp_path, "van-ban.pdf", prose_pdf(paragraphs, pages=6))
    blocks = parse_blocks(doc)
    assert not [b for b in blocks if b.kind == "row"]
    assert extract_tasks(doc, blocks, "Văn bản") == []
    assert all(not line.strip().isdigit() for page in doc.pages for line in page.lines)


def _stats_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Số liệu dịch vụ công")
    grid = document.add_table(rows=3, cols=3)
    for row, cells in zip(
        grid.rows,
        [
            ("Số TT", "Dịch vụ", "Tổng số hồ sơ"),
            ("1", "Cấp căn cước", "120"),
            ("2", "Đăng ký khai sinh", "45"),
        ],
        strict=True,
    ):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_table_without_task_columns_stays_text(tmp_path):
    doc = load(tmp_path, "so-lieu.docx", _stats_docx())
    assert len(doc.tables) == 1
    blocks = parse_blocks(doc)
    assert not [b for b in blocks if b.kind == "row"]
    assert any("Tổng số hồ sơ: 120" in b.text for b in blocks)


def test_build_reports_tables_and_keeps_row_fields(tmp_path, plan):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ke-hoach.docx").write_bytes(table_docx(plan_table("Kế hoạch", plan[:6])))
    (corpus / "so-lieu.docx").write_bytes(_stats_docx())
    settings = make_settings(tmp_path, corpus)
    report = ingest_corpus(settings)
    by_source = {r["source"]: r for r in report.document_reports}
    assert by_source["ke-hoach.docx"]["task_tables"] == 1
    assert by_source["ke-hoach.docx"]["tasks"] == 6
    kept = by_source["so-lieu.docx"]["kept_as_text"]
    assert len(kept) == 1 and "Tổng số hồ sơ" in kept[0]
    version_dir = settings.index_dir / current_version(settings.index_dir)
    rows = [json.loads(line) for line in (version_dir / CHUNKS_FILE).read_text().splitlines()]
    fields = [r["fields"] for r in rows if r["kind"] == "row"]
    assert len(fields) == 6
    assert fields[0]["lead"] == ", ".join(plan[0].lead_units)
    assert fields[0]["deadline"] == plan[0].deadline.text
    store = TaskStore(version_dir / "tasks.sqlite")
    assert store.count("ke-hoach.docx") == 6


def test_docx_vertically_merged_lead_cell_belongs_to_every_row_it_spans(tmp_path):
    document = docx.Document()
    grid = document.add_table(rows=4, cols=4)
    rows = [
        ("STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"),
        ("1", "Rà soát thủ tục hành chính", "Sở Nội vụ", "Quý II/2024"),
        ("2", "Số hóa hồ sơ", "", "Tháng 6/2024"),
        ("3", "Báo cáo kết quả", "Sở Tư pháp", "Tháng 12/2024"),
    ]
    for row, cells in zip(grid.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    grid.cell(1, 2).merge(grid.cell(2, 2))
    out = io.BytesIO()
    document.save(out)
    doc = load(tmp_path, "doc.docx", out.getvalue())
    tasks = extract_tasks(doc, parse_blocks(doc), "Kế hoạch")
    assert [t.lead_units for t in tasks] == [["Sở Nội vụ"], ["Sở Nội vụ"], ["Sở Tư pháp"]]
    assert [t.deadline.text for t in tasks] == ["Quý II/2024", "Tháng 6/2024", "Tháng 12/2024"]
