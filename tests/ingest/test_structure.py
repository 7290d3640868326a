"""Sections, paragraphs and table rows of the shipped corpus, plus one small synthetic
document per table shape (cell-per-line, tab-delimited, PDF fragments) and for prose."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from ingest.structure import parse_blocks, rows
from rag.schemas import Block, LoadedDocument, Page

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
PLAN = "ke-hoach-de-an-06-tphcm-2024.txt"
RESULTS_HCMC = "phu-luc-1-ket-qua-nhiem-vu-tphcm-2024.txt"
RESULTS_NATIONAL = "phu-luc-03-ket-qua-nhiem-vu-de-an-06.txt"
LETTER = "cong-van-4709-de-cuong-so-ket-6-thang-2024.txt"
REPORT = "bao-cao-so-ket-6-thang-2023-tphcm.txt"
ALL = [PLAN, RESULTS_HCMC, RESULTS_NATIONAL, LETTER, REPORT]

NATIONAL_A = "A Nhiệm vụ chung của các bộ, ngành, địa phương"
NATIONAL_B = "B Nhiệm vụ cụ thể của các bộ, ngành"
NATIONAL_C = "C Nhiệm vụ của các địa phương"
NATIONAL_TITLE = ("PHỤ LỤC 03", "KẾT QUẢ TRIỂN KHAI CÁC NHIỆM VỤ CỦA ĐỀ ÁN 06/CP")
NQ175 = (
    "PHỤ LỤC 02",
    "KẾT QUẢ TRIỂN KHAI CÁC NHIỆM VỤ CỦA NGHỊ QUYẾT 175 GIAI ĐOẠN 1 (2023 - 2025)",
)
DVC25 = ("PHỤ LỤC 02", "ĐÁNH GIÁ 25 DỊCH VỤ CÔNG THIẾT YÊU THEO ĐỀ ÁN 06")


def _doc(source: str, text: str) -> LoadedDocument:
    return LoadedDocument(
        source=source, pages=(Page(lines=tuple(text.split("\n"))),), content_hash="x"
    )


@cache
def _lines(name: str) -> list[str]:
    return (CORPUS / name).read_text(encoding="utf-8").split("\n")


@cache
def _blocks(name: str) -> tuple[Block, ...]:
    return tuple(parse_blocks(_doc(name, "\n".join(_lines(name)))))


def _row(name: str, number: str, section_start: str = "") -> Block:
    found = [
        b for b in rows(_blocks(name)) if b.row == number and b.section.startswith(section_start)
    ]
    assert len(found) == 1, [(b.row, b.section, b.line_start) for b in found]
    return found[0]


def _block_at(name: str, line: int) -> Block:
    return next(b for b in _blocks(name) if b.line_start <= line <= b.line_end)


# --- every document ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL)
def test_blocks_are_ordered_disjoint_and_trimmed(name: str) -> None:
    lines = _lines(name)
    previous_end = 0
    for block in _blocks(name):
        assert block.kind in ("row", "prose")
        assert block.source == name and block.page is None
        assert previous_end < block.line_start <= block.line_end
        assert lines[block.line_start - 1].strip() and lines[block.line_end - 1].strip()
        assert block.text and block.text == block.text.strip() and "  " not in block.text
        assert block.section == (block.section_path[-1] if block.section_path else "")
        previous_end = block.line_end


@pytest.mark.parametrize("name", ALL)
def test_rows_name_their_table_and_contain_their_number(name: str) -> None:
    lines = _lines(name)
    for block in rows(_blocks(name)):
        assert block.table and block.table.upper().startswith("PHỤ LỤC")
        if block.row and lines[block.line_start - 1].split()[0] == block.row:
            assert block.text.startswith(block.row)


@pytest.mark.parametrize(
    ("name", "count"),
    [(PLAN, 47), (RESULTS_HCMC, 35), (RESULTS_NATIONAL, 690), (LETTER, 109), (REPORT, 0)],
)
def test_row_count_per_document(name: str, count: int) -> None:
    assert len(rows(_blocks(name))) == count


def test_rows_helper_keeps_only_rows() -> None:
    blocks = _blocks(PLAN)
    assert [b for b in blocks if b.kind == "row"] == rows(blocks)
    assert any(b.kind == "prose" for b in blocks)


# --- the 2024 plan: cell-per-line appendix -----------------------------------------------------


def test_plan_appendix_has_rows_01_to_49_without_02_and_10() -> None:
    numbers = [b.row for b in rows(_blocks(PLAN))]
    assert numbers == [f"{n:02d}" for n in range(1, 50) if n not in (2, 10)]
    assert len(numbers) == 47
    assert all(len(b.cells) == 6 for b in rows(_blocks(PLAN)))


@pytest.mark.parametrize(
    ("number", "start", "end", "lead", "coordinating", "deadline", "product"),
    [
        (
            "04",
            223,
            228,
            "Sở Thông tin và Truyền thông",
            "Các sở, ban, ngành, địa phương",
            "Quý II/2024",
            "Trung tâm điều hành thông minh Thành phố (IOC)",
        ),
        ("03", 214, 221, "Công an Thành phố, UBND quận, huyện, thành phố Thủ Đức",
         "UBND phường, xã, thị trấn", "Tháng 3/2024", "Kế hoạch"),
        ("09", 260, 265, "Sở Thông tin và Truyền thông", "Các sở, ban, ngành có liên quan",
         "Trong năm 2024", ""),
        ("21", 346, 350, "", "Các sở, ngành, UBND quận, huyện", "Thực hiện thường xuyên", ""),
        ("30", 411, 417, "Cục thuế Thành phố", "Sở, ban, ngành, địa phương",
         "Thực hiện thường xuyên", "Công văn"),
        ("44", 520, 527, "Sở Thông tin và Truyền thông",
         "Văn phòng UBND Thành phố, Công an Thành phố và các sở, ban, ngành, địa phương",
         "Trong năm 2024 và thực hiện thường xuyên", "Công văn"),
    ],
)  # fmt: skip
def test_plan_row_cells_and_lines(
    number: str, start: int, end: int, lead: str, coordinating: str, deadline: str, product: str
) -> None:
    row = _row(PLAN, number)
    assert (row.line_start, row.line_end) == (start, end)
    assert row.cells[0] == number
    assert row.cells[2:] == (lead, coordinating, deadline, product)
    assert row.text == " | ".join(c for c in row.cells if c)


def test_plan_cell_continues_on_untabbed_line() -> None:
    row = _row(PLAN, "07")
    assert row.cells[1] == (
        "Sơ kết 06 tháng đầu năm 2024 công tác triển khai Đề án 06 trên địa bàn Thành phố"
    )


@pytest.mark.parametrize(
    ("section", "count"),
    [
        ("I. VỀ CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH (09 NHIỆM VỤ)", 8),
        ("II. VỀ CUNG CẤP DỊCH VỤ CÔNG TRỰC TUYẾN (09 NHIỆM VỤ)", 9),
        ("III. VỀ PHÁT TRIỂN KINH TẾ, XÃ HỘI (07 NHIỆM VỤ)", 7),
        ("IV. VỀ PHÁT TRIỂN CÔNG DÂN SỐ (04 NHIỆM VỤ)", 4),
        (
            "V. HOÀN THIỆN HỆ SINH THÁI PHỤC VỤ KẾT NỐI, KHAI THÁC, BỔ SUNG LÀM GIÀU DỮ LIỆU "
            "DÂN CƯ (13 NHIỆM VỤ)",
            13,
        ),
        ("VI. VỀ ĐẢM BẢO AN NINH AN TOÀN THÔNG TIN (05 NHIỆM VỤ)", 5),
        ("VII. VỀ CÔNG TÁC TUYÊN TRUYỀN (01 NHIỆM VỤ)", 1),
    ],
)
def test_plan_group_headings_are_sections(section: str, count: int) -> None:
    group = [b for b in rows(_blocks(PLAN)) if b.section == section]
    assert len(group) == count
    assert all(b.section_path == ("Phụ lục", section) and b.table == "Phụ lục" for b in group)


@pytest.mark.parametrize(
    ("line", "start", "end", "section", "beginning"),
    [
        (33, 32, 34, "I. MỤC ĐÍCH, YÊU CẦU", "1. Triển khai, thực hiện có hiệu quả nhiệm vụ được giao đảm bảo lộ trình"),
        (42, 41, 42, "1. Về phục vụ giải quyết thủ tục hành chính, cung cấp dịch vụ công trực tuyến",
         "- 100% dịch vụ công trực tuyến toàn trình được Ủy ban nhân dân Thành phố phê duyệt"),
        (56, 56, 56, "II. CHỈ TIÊU", "2. 100% công dân đủ điều kiện"),
        (141, 140, 143, "V. TỔ CHỨC THỰC HIỆN", "7. Sở Tài chính, Sở Kế hoạch và Đầu tư chủ trì"),
        (84, 84, 84, "2. Nhiệm vụ cụ thể", "Chi tiết 49 nhiệm vụ cụ thể"),
    ],
)  # fmt: skip
def test_plan_prose_paragraphs(
    line: int, start: int, end: int, section: str, beginning: str
) -> None:
    block = _block_at(PLAN, line)
    assert block.kind == "prose"
    assert (block.line_start, block.line_end) == (start, end)
    assert block.section == section
    assert block.text.startswith(beginning)


# --- the two PDF-exported results appendices ---------------------------------------------------


def test_hcmc_results_rows_follow_the_numbering_of_two_unannounced_groups() -> None:
    numbers = [int(b.row) for b in rows(_blocks(RESULTS_HCMC))]
    first = [*range(1, 6), *range(8, 18), 22, 23]
    assert numbers == first + list(range(1, 19))
    assert all(
        b.section_path == ("PHỤ LỤC I",) and not b.cells for b in rows(_blocks(RESULTS_HCMC))
    )


@pytest.mark.parametrize(
    "line",
    [
        *range(10, 46),  # column header
        171, 378, 567, 750, 885, 965,  # page numbers: a number line above a line of spaces
    ],
)  # fmt: skip
def test_hcmc_results_header_and_page_numbers_belong_to_no_row(line: int) -> None:
    assert all(not b.line_start <= line <= b.line_end for b in _blocks(RESULTS_HCMC))


@pytest.mark.parametrize(
    ("number", "occurrence", "start", "end", "phrase", "inside"),
    [
        (
            "1",
            0,
            47,
            94,
            "Rà soát đánh giá và tái cấu trúc toàn bộ quy trình nghiệp vụ",
            86,
        ),  # "2024"
        ("5", 0, 286, 328, "tại 19 Nghị quyết chuyên đề theo thẩm quyền", 294),  # "19 Nghị quyết"
        ("23", 0, 753, 793, "Tái cấu trúc quy trình, cắt giảm, đơn giản hóa", 775),
        ("1", 1, 795, 879, "Trình Hội đồng nhân dân cùng cấp có chính sách miễn, giảm phí", 845),
        ("12", 1, 1363, 1383, "Phê duyệt hồ sơ đề xuất cấp độ cho 100% hệ thống thông tin", 1370),
        ("18", 0, 1588, 1648, "Mở rộng việc triển khai thí điểm", 1632),
    ],
)
def test_hcmc_results_row_spans(
    number: str, occurrence: int, start: int, end: int, phrase: str, inside: int
) -> None:
    row = [b for b in rows(_blocks(RESULTS_HCMC)) if b.row == number][occurrence]
    assert (row.line_start, row.line_end) == (start, end)
    assert _lines(RESULTS_HCMC)[start - 1].strip() == number
    assert phrase in row.text
    assert start <= inside <= end


def test_hcmc_results_signature_is_prose_not_part_of_the_last_row() -> None:
    block = _block_at(RESULTS_HCMC, 1652)
    assert block.kind == "prose" and block.text == "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH"


@pytest.mark.parametrize(
    ("section", "last"), [(NATIONAL_A, 76), (NATIONAL_B, 542), (NATIONAL_C, 72)]
)
def test_national_results_groups_are_numbered_without_gaps(section: str, last: int) -> None:
    group = [b for b in rows(_blocks(RESULTS_NATIONAL)) if b.section == section]
    assert [int(b.row) for b in group] == list(range(1, last + 1))
    assert all(b.section_path == (*NATIONAL_TITLE, section) for b in group)
    assert all(b.table == "PHỤ LỤC 03" for b in group)


@pytest.mark.parametrize(
    ("section", "number", "start", "end", "phrase"),
    [
        # Row 10 lost its number; the repeated title and column header (247-260) stay out.
        (NATIONAL_A, "9", 230, 245, "Tiếp tục rà soát các văn bản pháp luật"),
        (NATIONAL_A, "10", 261, 276, "Phối hợp Bộ Công an, Bộ Tư pháp trong quá trình sửa đổi"),
        (NATIONAL_A, "11", 278, 303, "Khẩn trương đẩy mạnh cung cấp các dịch vụ công trực tuyến"),
        # "48" alone on line 2227 is cell content: row 14 follows.
        (NATIONAL_B, "13", 2210, 2227, "Khẩn trương xây dựng Đề án thu phí"),
        (NATIONAL_B, "7", 2087, 2104, "Khẩn trương triển khai hệ thống xác thực định danh điện tử"),
        (NATIONAL_B, "59", 3237, 3260, "cấp được 40 triệu tài khoản định danh điện tử"),
        (NATIONAL_B, "106", 4160, 4164, "Kết nối CSDL về trẻ em với CSDLQG về dân cư"),
        (NATIONAL_B, "180", 5742, 5774, "Chỉ đạo các nhà mạng kết nối thông tin thuê bao"),
        (NATIONAL_C, "1", 14210, 14236, "Chỉ đạo các sở, ban, ngành, UBND các cấp"),
        # Rows 238 and 239 lost their numbers in the gap 237 -> 240; 239's text starts
        # in lower case (" kết nối Cơ sở dữ liệu ...") right under row 238's last line.
        (NATIONAL_B, "238", 7002, 7028, "Hướng dẫn chi tiết đối với các bộ, ngành"),
        (NATIONAL_B, "239", 7029, 7048, "kết nối Cơ sở dữ liệu quốc gia về dân cư"),
        # After row 66, the last numbered one of group C, every row lost its number and
        # row 67 its first words (" chỉ đạo công an tỉnh ..."): it is not row 66's result.
        (NATIONAL_C, "66", 15806, 15821, "Đã ký kết KHPH với Bộ Công an để thúc đẩy triển khai"),
        (NATIONAL_C, "67", 15822, 15835, "chỉ đạo công an tỉnh trao đổi với C06"),
        (NATIONAL_C, "68", 15836, 15856, "Đẩy mạnh việc tuyên truyền, hướng dẫn"),
        # " quy trình " (15865) follows a blank line: a wrapped cell, not a row.
        (NATIONAL_C, "69", 15857, 15881, "(ii) quy trình điện tử liên thông giải quyết"),
        (NATIONAL_C, "70", 15882, 15920, "Mô hình Trung tâm phục vụ hành chính công một cấp"),
        (NATIONAL_C, "71", 15921, 15943, "Khẩn trương hoàn thiện Hệ thống thông tin"),
        (NATIONAL_C, "72", 15944, 15955, "cấp Phiếu lý lịch tư pháp qua ứng dụng"),
    ],
)
def test_national_results_row_spans(
    section: str, number: str, start: int, end: int, phrase: str
) -> None:
    row = _row(RESULTS_NATIONAL, number, section)
    assert (row.line_start, row.line_end) == (start, end)
    assert phrase in row.text


@pytest.mark.parametrize("line", [2, 4, 247, 249, 251, 253, 255, 260, 1966, 2106, 14206])
def test_national_results_headings_and_headers_are_outside_rows(line: int) -> None:
    assert all(not b.line_start <= line <= b.line_end for b in _blocks(RESULTS_NATIONAL))


# --- the 4709 letter: outline and tab-delimited templates -----------------------------------------


@pytest.mark.parametrize(
    ("path", "count"),
    [
        ((*NQ175, "I. Nhiệm vụ chung của các Bộ, ngành, địa phương"), 13),
        ((*NQ175, "II. Nhiệm vụ cụ thể của các Bộ, ngành"), 38),
        ((*NQ175, "III. Nhiệm vụ cụ thể của các địa phương"), 3),
        (DVC25, 25),
        (
            (
                "PHỤ LỤC 04",
                "SƠ LIỆU CÁC DỊCH VỤ CÔNG THEO QUYẾT ĐỊNH 422/QĐ-TTg ĐÃ HOÀN THÀNH TÍCH HỢP TRÊN "
                "CÔNG DỊCH VỤ CÔNG QUỐC GIA",
            ),
            11,
        ),
    ],
)
def test_letter_keeps_template_rows_with_content(path: tuple[str, ...], count: int) -> None:
    assert len([b for b in rows(_blocks(LETTER)) if b.section_path == path]) == count


@pytest.mark.parametrize(
    "line", [345, 346, 347, 353, 478, 481, 490, 504, 514, 519, 342, 343, 433, 434]
)
def test_letter_empty_template_and_header_rows_are_skipped(line: int) -> None:
    assert all(not b.line_start <= line <= b.line_end for b in _blocks(LETTER))


def test_letter_tab_row_cells() -> None:
    row = _row(LETTER, "1", "I. Nhiệm vụ chung")
    assert row.line_start == row.line_end == 364
    assert row.table == "PHỤ LỤC 02"
    assert row.cells[:6] == (
        "1",
        "",
        "Phối hợp chặt chẽ với Bộ Công an, Văn phòng Chính phủ, Bộ Thông tin và Truyền thông, "
        "Ban Cơ yếu Chính phủ và các cơ quan, đơn vị có liên quan trong quá trình thực hiện các "
        "nhiệm vụ được giao tại Đề án",
        "",
        "NQ 175",
        "Quý IV/2023",
    )


def test_letter_line_with_empty_number_cell_continues_the_row() -> None:
    row = _row(LETTER, "15", "II.")
    assert (row.line_start, row.line_end) == (392, 394)
    assert row.cells[1] == "Bộ Công an"
    assert "Hoàn thiện hệ thống công nghệ thông tin của Trung tâm dữ liệu quốc gia" in row.cells[2]


def test_letter_outline_heading_without_content_stays_searchable() -> None:
    block = _block_at(LETTER, 98)
    assert block.kind == "prose" and block.text == "3.1. Mục tiêu đến năm 2025"
    assert block.section_path[-2:] == (
        "3. Nhóm tiện ích giải quyết TTHC, cung cấp DVC trực tuyến",
        "3.1. Mục tiêu đến năm 2025",
    )


# --- the 2023 report: prose ------------------------------------------------------------------------


def test_report_sections_include_the_results_chapter() -> None:
    sections = {s for b in _blocks(REPORT) for s in b.section_path}
    assert "II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ CỤ THỂ" in sections
    assert "III. NHẬN XÉT, ĐÁNH GIÁ" in sections  # behind a [bookmark: …] artifact
    assert (
        "4. Kết quả thực hiện nhóm tiện ích phục vụ phát triển công dân số và hoàn thiện hệ sinh "
        "thái phục vụ kết nối, khai thác, bổ sung làm giàu dữ liệu dân cư"
    ) in sections


@pytest.mark.parametrize(
    ("line", "start", "end", "section", "phrase"),
    [
        (12, 12, 12, "I. KHÁI QUÁT VỀ TÌNH HÌNH VÀ KẾT QUẢ TRIỂN KHAI ĐỀ ÁN 06",
         "1. Là trung tâm kinh tế, văn hóa, chính trị của cả nước"),
        (21, 20, 21, "1.1 Chỉ đạo triển khai về cung cấp dịch vụ công trực tuyến",
         "Kế hoạch số 208/KH-BCĐ ngày 13 tháng 01 năm 2023"),  # footnote [1: …] spans lines
        (30, 30, 30, "1.2. Chỉ đạo về đào tạo bồi dưỡng cán bộ, công chức, viên chức",
         "UBND Thành phố chỉ đạo Sở Nội vụ chủ trì"),
        (63, 63, 63, "3. Kết quả thực hiện nhóm tiện ích phục vụ giải quyết TTHC, cung cấp dịch vụ công trực tuyến",
         "3.3 Bảo hiểm xã hội Thành phố"),  # a numbered paragraph closes heading 3.2
        (114, 114, 114, "3.1 Bộ Tư Pháp:", "Xác định mã hộ của trẻ em ngay khi cấp giấy khai sinh"),
    ],
)  # fmt: skip
def test_report_paragraphs(line: int, start: int, end: int, section: str, phrase: str) -> None:
    block = _block_at(REPORT, line)
    assert block.kind == "prose"
    assert (block.line_start, block.line_end) == (start, end)
    assert block.section == section
    assert phrase in block.text


def test_report_paragraph_keeps_footnote_text_without_export_markers() -> None:
    block = _block_at(REPORT, 20)
    assert "[1: Cơ quan thường trực Ban Chỉ đạo" in block.text
    assert "footnoteRef" not in block.text


# --- synthetic documents, one per shape --------------------------------------------------------------

CELL_TABLE = """Phụ lục

\tTT
\tNội dung, nhiệm vụ
\tĐơn vị chủ trì
\tĐơn vị phối hợp
\tThời gian\u0020
hoàn thành
\tSản phẩm

\tI. VỀ DỮ LIỆU DÂN CƯ\u0020
(02 NHIỆM VỤ)
\t

\t01
\tLàm sạch dữ liệu\u0020
dân cư
\tCông an Thành phố
\t
\tQuý II/2024
\tBáo cáo

\t02
\tCấp tài khoản định danh
\tSở Tư pháp
\tUBND quận, huyện
\tThực hiện thường xuyên
\t


KT. CHỦ TỊCH"""


def test_synthetic_cell_per_line_table() -> None:
    blocks = parse_blocks(_doc("plan.txt", CELL_TABLE))
    first, second = rows(blocks)
    section = "I. VỀ DỮ LIỆU DÂN CƯ (02 NHIỆM VỤ)"
    assert first.cells == (
        "01",
        "Làm sạch dữ liệu dân cư",
        "Công an Thành phố",
        "",
        "Quý II/2024",
        "Báo cáo",
    )
    assert (first.line_start, first.line_end, first.section) == (15, 21, section)
    assert first.section_path == ("Phụ lục", section) and first.table == "Phụ lục"
    assert first.text == "01 | Làm sạch dữ liệu dân cư | Công an Thành phố | Quý II/2024 | Báo cáo"
    assert second.cells[-1] == "" and (second.line_start, second.line_end) == (23, 27)
    assert blocks[-1].kind == "prose" and blocks[-1].text == "KT. CHỦ TỊCH"


TAB_TABLE = """PHỤ LỤC 02

KẾT QUẢ THỰC HIỆN

STT\tĐơn vị chủ trì\tNhiệm vụ\tKết quả\t
\t\t\tĐã hoàn thành\tChưa hoàn thành
I. Nhiệm vụ chung\t\t\t\t
1\t\tKết nối Nền tảng tích hợp dữ liệu\tQuý IV/2023\t
2\t\t\t\t
3\tBộ Công an\tXây dựng Trung tâm dữ liệu\t\t

\t\tHoàn thiện hệ thống công nghệ thông tin\t\t
TỔNG SỐ\t\t0\t0\t"""


def test_synthetic_tab_delimited_table() -> None:
    found = rows(parse_blocks(_doc("letter.txt", TAB_TABLE)))
    assert [b.row for b in found] == ["1", "3"]
    first, third = found
    assert first.cells == ("1", "", "Kết nối Nền tảng tích hợp dữ liệu", "Quý IV/2023", "")
    assert first.section_path == ("PHỤ LỤC 02", "KẾT QUẢ THỰC HIỆN", "I. Nhiệm vụ chung")
    assert (third.line_start, third.line_end) == (10, 12)
    assert third.cells[2] == "Xây dựng Trung tâm dữ liệu Hoàn thiện hệ thống công nghệ thông tin"


FRAGMENTS = """PHỤ LỤC I

STT Nội dung, nhiệm vụ Văn bản chỉ đạo
Đơn vị thực
hiện
1
Rà soát quy trình nghiệp vụ
2024
Các bộ, ngành
2

Bố trí kinh phí triển khai
19 Nghị quyết chuyên đề
Thường xuyên


2
\u0020

5
Kết nối dữ liệu dân cư
 Làm sạch dữ liệu hộ tịch theo hướng dẫn của Bộ Tư pháp
Tháng 6/2024
7
Tích hợp tài khoản định danh
1
Chi trả không dùng tiền mặt
2
Cấp chữ ký số"""


def test_synthetic_fragment_table() -> None:
    found = rows(parse_blocks(_doc("results.txt", FRAGMENTS)))
    assert [(b.row, b.line_start, b.line_end) for b in found] == [
        ("1", 6, 9),  # "2024" stays inside
        ("2", 10, 14),  # "19 Nghị quyết" is not row 19
        ("5", 20, 21),  # the page number "2" (line 17, above a line of spaces) is in no row
        ("6", 22, 23),  # lost its number, recovered from the gap 5 -> 7
        ("7", 24, 25),
        ("1", 26, 27),  # numbering restarts: a new group
        ("2", 28, 29),
    ]
    assert found[1].text == "2 Bố trí kinh phí triển khai 19 Nghị quyết chuyên đề Thường xuyên"
    assert all(b.section_path == ("PHỤ LỤC I",) and b.table == "PHỤ LỤC I" for b in found)


# Group C's last rows (lines 15806-15869), shortened, after five short numbered rows.
FRAGMENT_TAIL = """PHỤ LỤC 03

1
Khẩn trương rà soát, triển khai ngay dữ liệu đã được số hóa,\u0020
2
Mở rộng việc triển khai thí điểm đối với hỗ sơ sức khỏe điện tử;
3
Thông báo 2513/TCTTKĐA ngày\u0020
4
Tháng 4/2024
5
Triển khai các nhiệm vụ của Đề án 06/CP năm 2024 phải gắn\u0020

UBND tỉnh Kiên Giang

Đã ký kết KHPH với Bộ Công an để thúc đẩy triển\u0020

khai
 chỉ đạo công an tỉnh trao đổi với C06, Bộ Công an và Cục Kiểm\u0020

UBND tỉnh Khánh Hòa Đang triển khai
 Triển khai thí điểm đối với 02 nội dung:\u0020
(ii)

 quy trình điện tử liên thông giải quyết thủ tục hành chính về đất đai\u0020

Đang triển khai
 - Khẩn trương xây dựng quy trình và hướng dẫn rà soát, đối\u0020"""


def test_synthetic_fragment_rows_after_the_last_number() -> None:
    found = rows(parse_blocks(_doc("results.txt", FRAGMENT_TAIL)))
    assert [(b.row, b.line_start, b.line_end) for b in found] == [
        ("1", 3, 4),
        ("2", 5, 6),
        ("3", 7, 8),
        ("4", 9, 10),
        ("5", 11, 18),
        ("6", 19, 21),  # a lower-case start straight under the previous row's last line
        # a space-led line after a blank line (25), and a dashed one (28), start no row
        ("7", 22, 28),
    ]
    assert found[-2].text == (
        "chỉ đạo công an tỉnh trao đổi với C06, Bộ Công an và Cục Kiểm "
        "UBND tỉnh Khánh Hòa Đang triển khai"
    )


PROSE = """BÁO CÁO

Căn cứ Kế hoạch số 908/KH-UBND;
I. KẾT QUẢ
1. Về công tác chỉ đạo
- Ban hành Kế hoạch triển khai đúng\u0020
mục tiêu, tiến độ đề ra.
Bên cạnh đó, Thành phố đã ban hành văn bản.[footnoteRef:1] [1:  Văn bản số 72/BCĐ
ngày 05 tháng 01 năm 2023]
2. Là trung tâm kinh tế, Thành phố đã hoàn thành nhiều nhiệm vụ.
3. Tồn tại"""


def test_synthetic_prose_headings_and_paragraphs() -> None:
    blocks = parse_blocks(_doc("report.txt", PROSE))
    summary = [(b.line_start, b.line_end, b.section_path, b.text[:30]) for b in blocks]
    assert summary == [
        (3, 3, ("BÁO CÁO",), "Căn cứ Kế hoạch số 908/KH-UBND"),
        (
            6,
            7,
            ("BÁO CÁO", "I. KẾT QUẢ", "1. Về công tác chỉ đạo"),
            "- Ban hành Kế hoạch triển khai",
        ),
        (
            8,
            9,
            ("BÁO CÁO", "I. KẾT QUẢ", "1. Về công tác chỉ đạo"),
            "Bên cạnh đó, Thành phố đã ban ",
        ),
        (10, 10, ("BÁO CÁO", "I. KẾT QUẢ"), "2. Là trung tâm kinh tế, Thành"),
        (11, 11, ("BÁO CÁO", "I. KẾT QUẢ", "3. Tồn tại"), "3. Tồn tại"),
    ]
    assert blocks[2].text.endswith("[1: Văn bản số 72/BCĐ ngày 05 tháng 01 năm 2023]")
    assert rows(blocks) == []


def test_pages_keep_their_numbers_and_paragraphs_stop_at_page_breaks() -> None:
    document = LoadedDocument(
        source="scan.pdf",
        pages=(
            Page(
                lines=("I. MỤC ĐÍCH", "Triển khai thực hiện có hiệu quả nhiệm vụ được giao"),
                number=1,
            ),
            Page(lines=("bảo đảm lộ trình của Đề án 06.",), number=2),
        ),
        content_hash="x",
    )
    first, second = parse_blocks(document)
    assert (first.page, first.line_start, first.line_end) == (1, 2, 2)
    assert (second.page, second.line_start, second.line_end) == (2, 1, 1)
    assert second.section == "I. MỤC ĐÍCH"


def test_row_running_onto_the_next_page_is_cited_on_its_first_page() -> None:
    first_page = ("STT Nội dung, nhiệm vụ", "1", "Rà soát quy trình", "2", "Bố trí kinh phí")
    second_page = ("đảm bảo hiệu quả", "3", "Kết nối dữ liệu", "4", "Cấp chữ ký số", "5", "Đào tạo")
    document = LoadedDocument(
        source="results.pdf",
        pages=(Page(lines=first_page, number=1), Page(lines=second_page, number=2)),
        content_hash="x",
    )
    found = rows(parse_blocks(document))
    assert [(b.row, b.page, b.line_start, b.line_end) for b in found] == [
        ("1", 1, 2, 3),
        ("2", 1, 4, 5),
        ("3", 2, 2, 3),
        ("4", 2, 4, 5),
        ("5", 2, 6, 7),
    ]
    assert found[1].text == "2 Bố trí kinh phí đảm bảo hiệu quả"
