"""Names of documents nobody wrote a manifest entry for, read from their letterhead and title:
table-driven over the ways officials name documents, then documents generated as a province
would upload them (DOCX plan, PDF reports and letter) ingested into a temporary index."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from rag.document_aliases import derived_names, document_aliases
from rag.index import StoredDocument
from rag.query import alias_key, find_sources
from rag.text import fold
from tests.conftest import CORPUS, make_settings
from tests.uploads import province_uploads

LETTERHEAD = [
    "ỦY BAN NHÂN DÂN",
    "TỈNH ĐỒNG NAI",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
]


def document(
    title: str,
    kind: str | None,
    number: str | None = None,
    date_line: str | None = None,
    aliases: tuple[str, ...] = (),
    source: str = "doc.pdf",
) -> StoredDocument:
    lines = [*LETTERHEAD, f"Số: {number or '     /KH-UBND'}", date_line or "", title]
    return StoredDocument(
        source=source,
        title=title,
        kind=kind or "document",
        issuer=None,
        number=number,
        date=None,
        content_hash="",
        pages=[{"number": None, "lines": lines}],
        aliases=list(aliases),
    )


@pytest.mark.parametrize(
    ("title", "kind", "number", "date_line", "expected", "absent"),
    [
        (
            "Kế hoạch triển khai thực hiện Đề án 06 năm 2025 trên địa bàn tỉnh Đồng Nai",
            "plan",
            "1234/KH-UBND",
            "Đồng Nai, ngày 20 tháng 12 năm 2024",
            ["kế hoạch 1234", "văn bản 1234", "1234/KH-UBND", "kế hoạch 2025"],
            # Issued in December for the next year: the title's year names it.
            ["kế hoạch 2024"],
        ),
        (
            # A draft: blank number and day; the date line still gives the year.
            "Kế hoạch chuyển đổi số tỉnh Đồng Nai",
            "plan",
            None,
            "Đồng Nai, ngày    tháng 3 năm 2024",
            ["kế hoạch 2024"],
            ["văn bản"],
        ),
        (
            "Kế hoạch thực hiện Đề án 06 giai đoạn 2022 – 2025, tầm nhìn đến năm 2030",
            "plan",
            None,
            "Đồng Nai, ngày 5 tháng 4 năm 2023",
            ["kế hoạch 2023"],
            ["kế hoạch 2022", "kế hoạch 2025", "kế hoạch 2030"],
        ),
        (
            "Báo cáo sơ kết 06 tháng đầu năm 2023 về kết quả thực hiện Đề án 06",
            "report",
            None,
            None,
            [
                "báo cáo 2023",
                "báo cáo 6 tháng 2023",
                "báo cáo 6 tháng đầu năm 2023",
                "báo cáo sơ kết 6 tháng 2023",
            ],
            [],
        ),
        (
            "Báo cáo kết quả thực hiện Đề án 06 quý III năm 2025",
            "report",
            "88/BC-UBND",
            "Đồng Nai, ngày 1 tháng 10 năm 2025",
            ["báo cáo quý III 2025", "báo cáo 88", "báo cáo 2025"],
            [],
        ),
        (
            # A letter is named by its number; its date is not a name.
            "Công văn về đẩy mạnh thu thập dữ liệu hộ tịch",
            "letter",
            "5678/UBND-KGVX",
            "Đồng Nai, ngày 3 tháng 3 năm 2025",
            ["công văn 5678", "văn bản 5678", "5678/UBND-KGVX"],
            ["công văn 2025"],
        ),
        (
            "Quyết định ban hành Quy chế khai thác dữ liệu dân cư",
            "decision",
            "1502/QĐ-UBND",
            None,
            ["quyết định 1502"],
            [],
        ),
        ("Chỉ thị về đẩy mạnh Đề án 06", "directive", "05/CT-UBND", None, ["chỉ thị 05"], []),
        ("Phụ lục II: Danh mục nhiệm vụ năm 2025", "appendix", None, None, ["phụ lục ii"], []),
        (
            "Đề cương báo cáo sơ kết 6 tháng năm 2025",
            "outline",
            None,
            "Hà Nội, ngày 2 tháng 6 năm 2025",
            ["đề cương 2025", "đề cương 6 tháng 2025", "đề cương sơ kết 6 tháng 2025"],
            [],
        ),
        # No kind read from the page: the title (here the file's name) opens with one.
        ("Bao cao 9 thang 2025 dong nai", None, None, None, ["báo cáo 9 tháng 2025"], []),
        # Nothing says what kind of document it is: no name is guessed.
        ("Tai lieu hop 2025", None, None, None, [], []),
    ],
)
def test_names_read_from_the_document(title, kind, number, date_line, expected, absent) -> None:
    names = derived_names(document(title, kind, number, date_line))
    keys = {alias_key(n) for n in names}
    assert {alias_key(n) for n in expected} <= keys, names
    assert not any(fold(a) in fold(n) for a in absent for n in names), names
    if not expected:
        assert names == []


UPLOADS = {
    "kh.docx": document(
        "Kế hoạch triển khai thực hiện Đề án 06 năm 2025 trên địa bàn tỉnh Đồng Nai",
        "plan",
        "1234/KH-UBND",
        "Đồng Nai, ngày 15 tháng 1 năm 2025",
        source="kh.docx",
    ),
    "bc9.pdf": document(
        "Báo cáo sơ kết 9 tháng năm 2025 thực hiện Đề án 06",
        "report",
        "321/BC-UBND",
        "Đồng Nai, ngày 2 tháng 10 năm 2025",
        source="bc9.pdf",
    ),
    "bc6.pdf": document(
        "Báo cáo sơ kết 06 tháng năm 2025 thực hiện Đề án 06",
        "report",
        "210/BC-UBND",
        "Đồng Nai, ngày 5 tháng 7 năm 2025",
        source="bc6.pdf",
    ),
    "cv.pdf": document(
        "Công văn về thu thập dữ liệu hộ tịch",
        "letter",
        "5678/UBND-KGVX",
        "Đồng Nai, ngày 3 tháng 3 năm 2025",
        source="cv.pdf",
    ),
    # A shipped document with curated aliases.
    "plan-2024.txt": document(
        "Kế hoạch triển khai thực hiện Đề án 06 năm 2024 trên địa bàn Thành phố Hồ Chí Minh",
        "plan",
        aliases=("kế hoạch 2024", "phụ lục kế hoạch"),
        source="plan-2024.txt",
    ),
    # Another province's 2024 plan: "kế hoạch 2024" is already the curated plan's name.
    "kh-2024-binh-duong.pdf": document(
        "Kế hoạch thực hiện Đề án 06 năm 2024 của tỉnh Bình Dương",
        "plan",
        "77/KH-UBND",
        "Bình Dương, ngày 4 tháng 2 năm 2024",
        source="kh-2024-binh-duong.pdf",
    ),
}


@pytest.mark.parametrize(
    ("question", "source"),
    [
        ("Theo KH 2025, ai chủ trì xây dựng trung tâm giám sát?", "kh.docx"),
        ("kế hoạch năm 2025 giao Sở Nội vụ việc gì", "kh.docx"),
        ("ke hoach 2025 co bao nhieu nhiem vu", "kh.docx"),
        ("kh2025 giao ai", "kh.docx"),
        ("KH số 1234 giao ai", "kh.docx"),
        ("theo kế hoạch 1234/KH-UBND", "kh.docx"),
        ("văn bản 1234 nói gì", "kh.docx"),
        ("bc 9 tháng 2025 nêu gì", "bc9.pdf"),
        ("báo cáo sơ kết 9 tháng năm 2025 kết nối bao nhiêu hệ thống", "bc9.pdf"),
        ("bao cao 9 thang 2025", "bc9.pdf"),
        ("BC 6 tháng 2025 nêu gì", "bc6.pdf"),
        ("bao cao so ket 06 thang nam 2025", "bc6.pdf"),
        ("báo cáo số 321 ghi gì", "bc9.pdf"),
        ("cv 5678 yêu cầu gì", "cv.pdf"),
        ("CV5678 yeu cau gi", "cv.pdf"),
        ("công văn số 5678 đề nghị gì", "cv.pdf"),
        ("cong van 5678 de nghi gi", "cv.pdf"),
        ("van ban 5678", "cv.pdf"),
        ("5678/UBND-KGVX giao ai", "cv.pdf"),
        ("KH 77 của Bình Dương giao ai", "kh-2024-binh-duong.pdf"),
        # The curated name keeps its document; the same derived name is not added elsewhere.
        ("KH 2024 giao ai", "plan-2024.txt"),
    ],
)
def test_uploaded_documents_are_found_by_the_names_users_type(question, source) -> None:
    aliases = document_aliases(UPLOADS)
    assert find_sources(fold(question), aliases)[0] == (source,)


@pytest.mark.parametrize(
    "question",
    [
        # Two reports of 2025 both answer to these: the name scopes to neither.
        "báo cáo 2025 nêu gì",
        "bc năm 2025",
        "báo cáo sơ kết 2025",
        # Near names.
        "kế hoạch 2026",
        "công văn 56789",
        "bc 3 tháng 2025",
    ],
)
def test_ambiguous_and_near_names_scope_to_no_document(question) -> None:
    assert find_sources(fold(question), document_aliases(UPLOADS))[0] == ()


def test_a_derived_name_another_document_answers_to_is_dropped() -> None:
    aliases = document_aliases(UPLOADS)
    both_reports = [alias_key(n) for n in ("báo cáo 2025", "báo cáo sơ kết 2025")]
    for source in ("bc9.pdf", "bc6.pdf"):
        assert not {alias_key(n) for n in aliases[source]} & set(both_reports)
    assert "kế hoạch 2024" in aliases["plan-2024.txt"]
    binh_duong = {alias_key(n) for n in aliases["kh-2024-binh-duong.pdf"]}
    assert alias_key("kế hoạch 2024") not in binh_duong
    assert alias_key("kế hoạch 77") in binh_duong


def test_curated_aliases_come_first_and_once() -> None:
    documents = {
        "report.txt": document(
            "Báo cáo sơ kết 06 tháng đầu năm 2023",
            "report",
            aliases=("báo cáo năm 2023", "báo cáo 6 tháng 2023"),
            source="report.txt",
        )
    }
    names = document_aliases(documents)["report.txt"]
    assert names[:2] == ["báo cáo năm 2023", "báo cáo 6 tháng 2023"]
    assert len({alias_key(n) for n in names}) == len(names)
    assert "báo cáo 2023" not in names  # the same name as "báo cáo năm 2023"


# --- generated uploads through the real ingest ---------------------------------------------

REPORT_2023 = "bao-cao-so-ket-6-thang-2023-tphcm.txt"


@pytest.fixture(scope="module")
def province_assistant(tmp_path_factory: pytest.TempPathFactory):
    """The shipped 2023 report (curated aliases) and the province's uploads (none)."""
    from ingest.build import ingest_corpus
    from rag.assistant import Assistant

    root = tmp_path_factory.mktemp("province")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / REPORT_2023, corpus / REPORT_2023)
    manifest = json.loads((CORPUS / "manifest.json").read_text("utf-8"))
    (corpus / "manifest.json").write_text(
        json.dumps({REPORT_2023: manifest[REPORT_2023]}, ensure_ascii=False), "utf-8"
    )
    for name, data in province_uploads().items():
        (corpus / name).write_bytes(data)
    settings = make_settings(root, corpus)
    ingest_corpus(settings)
    assistant = Assistant.load(settings)
    yield assistant
    assistant.close()


@pytest.mark.parametrize(
    ("question", "source", "expected"),
    [
        (
            "Theo KH 2025, ai chủ trì xây dựng Trung tâm giám sát điều hành thông minh?",
            "kh-dong-nai.docx",
            "Sở Thông tin và Truyền thông",
        ),
        (
            "theo ke hoach nam 2025, trung tam giam sat dieu hanh thong minh do ai chu tri",
            "kh-dong-nai.docx",
            "Sở Thông tin và Truyền thông",
        ),
        (
            "kế hoạch 1234 giao tập huấn kỹ năng số cho cán bộ cấp xã cho đơn vị nào?",
            "kh-dong-nai.docx",
            "Sở Nội vụ",
        ),
        (
            "bc 9 tháng 2025: trung tâm giám sát điều hành kết nối bao nhiêu hệ thống?",
            "bc-9-thang.pdf",
            "45",
        ),
        (
            "bao cao so ket 6 thang 2025 trung tam giam sat ket noi bao nhieu he thong",
            "bc-6-thang.pdf",
            "30",
        ),
        (
            "Công văn số 5678 đề nghị Sở Tư pháp hoàn thành số hóa dữ liệu hộ tịch trước ngày nào?",
            "cv-5678.pdf",
            "30/9/2025",
        ),
    ],
)
def test_questions_naming_uploaded_documents_answer_from_them(
    province_assistant, question, source, expected
) -> None:
    assert province_assistant.analyse(question).sources == (source,)
    answer = province_assistant.ask(question)
    assert not answer.abstained, answer.answer
    assert expected in answer.answer
    assert {c.source for c in answer.citations} == {source}


def test_registry_questions_scope_to_an_uploaded_plan(province_assistant) -> None:
    query = province_assistant.registry.parse(
        "KH 2025 có bao nhiêu nhiệm vụ do Sở Nội vụ chủ trì?", ("Sở Nội vụ",)
    )
    assert query is not None and query.sources == ("kh-dong-nai.docx",)
    answer = province_assistant.ask("KH 2025 có bao nhiêu nhiệm vụ do Sở Nội vụ chủ trì?")
    assert "1 nhiệm vụ" in answer.answer
    assert {c.source for c in answer.citations} == {"kh-dong-nai.docx"}


def test_shipped_curated_names_still_scope(province_assistant) -> None:
    analysis = province_assistant.analyse("BC 6 tháng 2023 nêu kết quả cấp căn cước thế nào?")
    assert analysis.sources == (REPORT_2023,)
    # Both 2025 reports answer "báo cáo 2025": neither is chosen.
    assert province_assistant.analyse("báo cáo 2025 nêu gì").sources == ()


def test_generated_uploads_are_real_pdf_and_docx(tmp_path: Path) -> None:
    """The loaders read each generated file and find its letterhead on page one."""
    from ingest.loaders import load_document

    for name, data in province_uploads().items():
        (tmp_path / name).write_bytes(data)
        loaded = load_document(tmp_path / name, tmp_path)
        assert any("Số:" in line for line in loaded.pages[0].lines), name
