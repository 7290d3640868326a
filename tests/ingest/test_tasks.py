"""Task extraction: PDF row fragments -> columns, statuses, directives, lead/coordinating units.

Row fragments are copied from the corpus (trailing spaces included: the PDF exports keep one
after a wrapped line and none where a cell ends). Widths are the median first-line width of
each appendix (what :func:`text_width` measures on the real files).
"""

from __future__ import annotations

import pytest

from eval.task_extraction import run
from ingest.structure import parse_blocks
from ingest.tasks import (
    Fragment,
    extract_tasks,
    join_pieces,
    lead_and_coordinating,
    row_fragments,
    split_columns,
    split_directives,
    status_of,
    text_width,
)
from rag.deadlines import parse_deadline
from rag.schemas import LoadedDocument, Page

PL03_WIDTH = 59.0  # phu-luc-03-ket-qua-nhiem-vu-de-an-06.txt
PL1_WIDTH = 37.0  # phu-luc-1-ket-qua-nhiem-vu-tphcm-2024.txt


def columns(lines: list[str], row: str, width: float) -> dict[str, str]:
    return split_columns(row_fragments(lines, row), width)


# --- fragments --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "row", "expected"),
    [
        # The number line and a page number printed inside the row are not cell text.
        (
            ["8 ", "Các Bộ, ngành, địa phương đẩy mạnh tổ ", "3 ", "1/7/2024 "],
            "8",
            ["Các Bộ, ngành, địa phương đẩy mạnh tổ", "1/7/2024"],
        ),
        # The number shares the line with the task text.
        (
            ["146 Bàn giao Nền tảng quản lý tiêm chủng COVID-19 cho Bộ Y tế"],
            "146",
            ["Bàn giao Nền tảng quản lý tiêm chủng COVID-19 cho Bộ Y tế"],
        ),
        # A year is cell text, not a page number.
        (["1 ", "2024 "], "1", ["2024"]),
    ],
)
def test_row_fragments_drop_numbers(lines: list[str], row: str, expected: list[str]) -> None:
    assert [f.text for f in row_fragments(lines, row)] == expected


@pytest.mark.parametrize(
    ("lines", "closed"),
    [
        (["Bộ Thông tin và Truyền ", "thông"], [False, True]),
        # Three trailing spaces: empty columns follow the unit cell.
        (["UBND 63 địa ", "phương   "], [False, True]),
        # A double space after "phối hợp" is inside the cell ("phối hợp  Văn phòng").
        (["tỉnh Quảng ", "Ninh phối hợp  "], [False, False]),
        # A line of spaces stands for empty cells.
        (["Tháng 6/2023 ", "    "], [True]),
        # A number cut after its dash goes on.
        (["số 766/QĐ-"], [False]),
    ],
)
def test_row_fragments_mark_cell_ends(lines: list[str], closed: list[bool]) -> None:
    assert [f.closed for f in row_fragments(lines, None)] == closed


def test_text_width_is_the_median_first_line() -> None:
    rows = [[Fragment("x" * 58)], [Fragment("x" * 60)], [Fragment("x" * 20)], []]
    assert text_width(rows) == 58.0


# --- columns of PDF rows ------------------------------------------------------------------------

PL03_B1 = [
    "1",
    "Tham mưu, trình Thủ tướng Chính phủ ban hành danh mục các ",
    "dịch vụ giá trị gia tăng trên nền tảng dữ liệu dân cư, căn cước ",
    "công dân, định danh và xác thực điện tử theo quy định tại Nghị ",
    "định số 60/2021/NĐ-CP",
    "Nghị quyết số 03/NQ-CP ngày ",
    "10/01/2022",
    "Bộ Công an 5/2022 Hoàn thành Thông tư 08",
]
PL03_A5 = [
    "5",
    "Khẩn trương rà soát các văn bản thuộc phạm vi quản lý nhà ",
    "nước của Bộ, ngành mình, xác định những vấn đề vướng mắc ",
    "được lộ trình đề ra của Đề án 06, Luật Cư trú và bỏ sổ hộ khẩu, ",
    "sổ tạm trú theo Luật Cư trú, gửi kết quả cho Bộ Công an.",
    "Nghị quyết số 121/NQ-CP ngày ",
    "11/9/2022",
    "Văn bản số 274/TB-VPCP ngày ",
    "05/9/2022",
    "Các bộ, cơ quan ngang ",
    "bộ  Trước ngày ",
    "20/9/2022",
    "Hoàn thành báo cáo 334, ngày 19/10/2023 của Bộ ",
    "Tư pháp",
]
PL03_A10_UNNUMBERED = [
    " Phối hợp Bộ Công an, Bộ Tư pháp trong quá trình sửa đổi, bổ",
    "sung các văn bản quy phạm pháp luật theo thẩm quyền ban",
    "cư và việc triển khai định danh và xác thực điện tử",
    "Văn bản số 3831/VPCP-KSTT ",
    "ngày 21/6/2022",
    "Bộ, ngành, địa phương Thường xuyên Thường xuyên",
]
PL03_A59 = [
    "59",
    "Đề nghị các đơn vị khẩn trương xây dựng kế hoạch triển khai ",
    "Nghị quyết 175, trong đó xác định rõ lộ trình triển khai, đầu ",
    "mối đơn vị chủ trì gửi về Bộ Công an (qua Thư ký Tổ công tác) ",
    "để tập hợp, báo cáo Chính phủ trước ngày 23/02/2024.",
    "Thông báo 1186/TCTTKĐA ngày ",
    "23/02/2024",
    "Các bộ, ngành địa ",
    "phương",
    "23/2/2024 Các bộ, ngành đã xây dựng kế hoạch triển khai",
]
PL03_B287 = [
    "287",
    "Hoàn thiện sửa đổi chính sách, pháp luật về QLNN đối với ",
    "TMĐT, tăng cường chế tài xử lý hành vi vi phạm về lưu trữ và ",
    "đối với các chủ thể của hoạt động TMĐT.",
    "Chỉ thị 18/CT-TTg ngày 30/5/2023 Bộ Công thương Đang triển khai",
]
PL03_B459 = [
    "459",
    "Bố trí kinh phí thực hiện Nghị quyết 175/NQ-CP, ngày ",
    "30/10/2023 của Chính phủ theo quy định của pháp luật về ngân ",
    "sách nhà nước",
    "- Chỉ thị 04/CT-TTg ngày ",
    "11/02/2024",
    "Bộ Tài chính",
    "Theo lộ trình của ",
    "Đề án do Bộ Công ",
    "an đề xuất Đang triển khai",
]
PL03_B96 = [
    "96",
    "Phối hợp với Bộ Công an tổ chức hướng dẫn các cơ sở y tế và ",
    "người dân sử dụng thông tin sổ sức khỏe điện tử trên VNeID. ",
    "Báo cáo Thủ tướng Chính phủ kết quả thực hiện trước ngày 30 ",
    "tháng 11 năm 2023.",
    "Công văn 7323/VPCP-KSTT ngày ",
    "23/9/2023",
    "Bộ Y tế phối hợp Bộ ",
    "công an",
    "11/2023",
    "Đã chính thức tích hợp Sổ sức khỏe điện tử trên ",
    "ứng dụng VNeID",
]
PL1_ROW8 = [
    "8 ",
    "Các Bộ, ngành, địa phương đẩy mạnh tổ ",
    "chức đào tạo tập huấn về an ninh an ",
    "lượng thực chất.  ",
    "Thông báo 836/TB-",
    "TCTTKĐA ngày ",
    "29/01/2024 ",
    "Bộ, ngành, địa ",
    "phương ",
    "1/7/2024 ",
    " ",
    "Đang ",
    "triển ",
    "khai ",
]
PL1_ROW10 = [
    "10 ",
    "Sửa đổi, bổ sung theo thẩm quyền hoặc ",
    "trình cấp có thẩm quyền sửa đổi, bổ ",
    "phạm pháp luật ",
    "- Chỉ thị 04/CT-TTg ",
    "ngày 11/02/2024 ",
    "Các bộ, ngành, ",
    "địa phương ",
    "Thường ",
    "xuyên trong ",
    "2024, 2025 ",
    "   ",
    "Thường ",
    "xuyên ",
]
PL1_ROW14 = [
    "14 ",
    "Rà soát, khảo sát, nghiên cứu, đề xuất ",
    "và phê duyệt các dự án để triển khai ",
    "theo các nhiệm vụ phân công của Đề án ",
    "Trung tâm dữ liệu quốc gia ",
    "- Chỉ thị 04/CT-TTg ",
    "ngày 11/02/2024 ",
    "Các bộ, ngành, ",
    "địa phương ",
    "phối hợp Bộ ",
    "Công an, Bộ ",
    "Kế hoạch và ",
    "Đầu tư ",
    "Tháng 6/2024 ",
    "  ",
    "Đang ",
    "triển ",
    "khai ",
]
PL1_G2_ROW3 = [
    "3 ",
    "Chủ động bố trí kinh phí từ nguồn ngân ",
    "sách địa phương, bảo đảm triển khai ",
    "thực hiện hiệu quả, thành công Đề án 06 ",
    "Nghị quyết 31/NQ-CP ",
    "ngày 07/3/2024 ",
    "UBND 63 địa ",
    "phương   ",
    "UBND Tp ",
    "Hà Nội và Tp ",
    "Hồ Chí Minh ",
    "đã trển khai ",
]
PL1_G2_ROW9 = [
    " 9 ",
    "Triển khai đào tạo tập huấn cho đội ngũ ",
    "đào tạo trực tuyến ",
    "- Chỉ thị 04/CT-TTg ",
    "ngày 11/02/2024 ",
    "UBND 63 địa ",
    "phương phối ",
    "hợp  UBND 63 ",
    "địa phương ",
    "phối hợp  Bộ ",
    "Công an, Bộ ",
    "Thông tin và ",
    "Truyền thông ",
    "Hoàn thành ",
    "trước ngày ",
    "01/7/2024 ",
    "  ",
    "Đang ",
    "triển ",
    "khai ",
]


@pytest.mark.parametrize(
    ("lines", "row", "width", "expected"),
    [
        # Unit, deadline and result glued on one line.
        (
            PL03_B1,
            "1",
            PL03_WIDTH,
            {
                "directives": "Nghị quyết số 03/NQ-CP ngày 10/01/2022",
                "units": "Bộ Công an",
                "deadline": "5/2022",
                "result": "Hoàn thành Thông tư 08",
            },
        ),
        # "bộ  Trước ngày" + "20/9/2022": the deadline phrase completes on the next line.
        (
            PL03_A5,
            "5",
            PL03_WIDTH,
            {
                "directives": "Nghị quyết số 121/NQ-CP ngày 11/9/2022 "
                "Văn bản số 274/TB-VPCP ngày 05/9/2022",
                "units": "Các bộ, cơ quan ngang bộ",
                "deadline": "Trước ngày 20/9/2022",
                "result": "Hoàn thành báo cáo 334, ngày 19/10/2023 của Bộ Tư pháp",
            },
        ),
        # Unit, deadline, status: a second "Thường xuyên" is the status column.
        (
            PL03_A10_UNNUMBERED,
            "10",
            PL03_WIDTH,
            {
                "directives": "Văn bản số 3831/VPCP-KSTT ngày 21/6/2022",
                "units": "Bộ, ngành, địa phương",
                "deadline": "Thường xuyên",
                "result": "Thường xuyên",
            },
        ),
        # A wrapped text line starting "Nghị quyết 175, …" stays task text.
        (
            PL03_A59,
            "59",
            PL03_WIDTH,
            {
                "directives": "Thông báo 1186/TCTTKĐA ngày 23/02/2024",
                "units": "Các bộ, ngành địa phương",
                "deadline": "23/2/2024",
                "result": "Các bộ, ngành đã xây dựng kế hoạch triển khai",
            },
        ),
        # Directive, unit and status on one line.
        (
            PL03_B287,
            "287",
            PL03_WIDTH,
            {
                "directives": "Chỉ thị 18/CT-TTg ngày 30/5/2023",
                "units": "Bộ Công thương",
                "result": "Đang triển khai",
            },
        ),
        # A status word ends even an open deadline ("Theo lộ trình …").
        (
            PL03_B459,
            "459",
            PL03_WIDTH,
            {
                "directives": "- Chỉ thị 04/CT-TTg ngày 11/02/2024",
                "units": "Bộ Tài chính",
                "deadline": "Theo lộ trình của Đề án do Bộ Công an đề xuất",
                "result": "Đang triển khai",
            },
        ),
        # A text-wide line starting "Báo cáo …" is task text, not a directive.
        (
            PL03_B96,
            "96",
            PL03_WIDTH,
            {
                "directives": "Công văn 7323/VPCP-KSTT ngày 23/9/2023",
                "units": "Bộ Y tế phối hợp Bộ công an",
                "deadline": "11/2023",
                "result": "Đã chính thức tích hợp Sổ sức khỏe điện tử trên ứng dụng VNeID",
            },
        ),
        # "836/TB-" / "TCTTKĐA ngày": the number goes on (TCTTKĐA is not a unit here);
        # "Đang / triển / khai" is one status.
        (
            PL1_ROW8,
            "8",
            PL1_WIDTH,
            {
                "directives": "Thông báo 836/TB-TCTTKĐA ngày 29/01/2024",
                "units": "Bộ, ngành, địa phương",
                "deadline": "1/7/2024",
                "result": "Đang triển khai",
            },
        ),
        # "Thường / xuyên trong / 2024, 2025" is the deadline, "Thường / xuyên" the status.
        (
            PL1_ROW10,
            "10",
            PL1_WIDTH,
            {
                "directives": "- Chỉ thị 04/CT-TTg ngày 11/02/2024",
                "units": "Các bộ, ngành, địa phương",
                "deadline": "Thường xuyên trong 2024, 2025",
                "result": "Thường xuyên",
            },
        ),
        # The last text line names a unit ("Trung tâm dữ liệu quốc gia") but wraps on.
        (
            PL1_ROW14,
            "14",
            PL1_WIDTH,
            {
                "directives": "- Chỉ thị 04/CT-TTg ngày 11/02/2024",
                "units": "Các bộ, ngành, địa phương phối hợp Bộ Công an, Bộ Kế hoạch và Đầu tư",
                "deadline": "Tháng 6/2024",
                "result": "Đang triển khai",
            },
        ),
        # Trailing spaces after "phương" show empty columns: "UBND Tp …" is the result.
        (
            PL1_G2_ROW3,
            "3",
            PL1_WIDTH,
            {
                "directives": "Nghị quyết 31/NQ-CP ngày 07/3/2024",
                "units": "UBND 63 địa phương",
                "result": "UBND Tp Hà Nội và Tp Hồ Chí Minh đã trển khai",
            },
        ),
        # "Hoàn thành / trước ngày / 01/7/2024" is a deadline, not a status.
        (
            PL1_G2_ROW9,
            "9",
            PL1_WIDTH,
            {
                "directives": "- Chỉ thị 04/CT-TTg ngày 11/02/2024",
                "units": "UBND 63 địa phương phối hợp UBND 63 địa phương phối hợp "
                "Bộ Công an, Bộ Thông tin và Truyền thông",
                "deadline": "Hoàn thành trước ngày 01/7/2024",
                "result": "Đang triển khai",
            },
        ),
    ],
)
def test_split_columns(lines: list[str], row: str, width: float, expected: dict) -> None:
    found = columns(lines, row, width)
    found.pop("text")
    # Cells keep the export's own spacing; compare on single spaces.
    assert {k: " ".join(v.split()) for k, v in found.items()} == expected


def test_split_columns_keeps_task_text_whole() -> None:
    found = columns(PL1_ROW14, "14", PL1_WIDTH)
    assert found["text"].endswith("phân công của Đề án Trung tâm dữ liệu quốc gia")


# --- status ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("result", "deadline", "expected"),
    [
        ("Đang triển khai", "Tháng 6/2024", "đang triển khai"),
        ("Thường xuyên", "Thường xuyên", "thường xuyên"),
        ("Hoàn thành báo cáo 334, ngày 19/10/2023 của Bộ Tư pháp", "Tháng 4/2022", "hoàn thành"),
        (
            "Hiện còn 03/22 bộ ngành (Ủy ban Dân tộc: đang trong quá trình tích hợp; ...) "
            "chưa hoàn thành tích hợp giải pháp ký số từ xa.",
            "Tháng 6/2024",
            "chưa hoàn thành",
        ),
        # A product ("Đã triển khai") then the last column "Thường xuyên".
        ("Đã triển khai Thường xuyên", "Thực hiện thường xuyên", "thường xuyên"),
        ("Đã hoàn thành Đang triển khai trên toàn quốc", "Tháng 6/2023", "hoàn thành"),
        ("Cơ sở dữ liệu quốc gia về dân cư đã kết nối với 15 bộ ngành", "", "hoàn thành"),
        ("Công văn 771 ngày 10/3/2023 đề nghị doanh nghiệp", "Tháng 02/2023", "hoàn thành"),
        ("Có hướng dẫn số 5197/BTC-KBNN ngày 21/5/2024", "Quý I/2024", "hoàn thành"),
        ("Ban hành Luật đường bộ số 35/2024/QH15", "Quý IV/2024", "hoàn thành"),
        # No status word: a recurring deadline decides, else nothing does.
        (
            "Nâng cao kỹ năng số cho người dân, doanh nghiệp",
            "Thực hiện thường xuyên",
            "thường xuyên",
        ),
        ("- Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC đạt 28,84%", "", "unknown"),
        ("", "Thực hiện thường xuyên", "thường xuyên"),
        ("", "Trong quý II năm 2024 và thực hiện thường xuyên", "unknown"),
    ],
)
def test_status_of(result: str, deadline: str, expected: str) -> None:
    assert status_of(result, parse_deadline(deadline)) == expected


# --- directives, units ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "- Chỉ thị 05, ngày 23/2/2023 của Thủ tướng Chính phủ - Thông báo 238/TB-VPCP "
            "ngày 22/6/2023",
            [
                "Chỉ thị 05, ngày 23/2/2023 của Thủ tướng Chính phủ",
                "Thông báo 238/TB-VPCP ngày 22/6/2023",
            ],
        ),
        (
            "Quyết định 206/QĐ-TTg ngày 28/2/2024 Thông báo 2513/TCTTKĐA ngày 29/3/2024 - "
            "Thông báo 3151/TCTTKĐA ngày 18/4/2024",
            [
                "Quyết định 206/QĐ-TTg ngày 28/2/2024",
                "Thông báo 2513/TCTTKĐA ngày 29/3/2024",
                "Thông báo 3151/TCTTKĐA ngày 18/4/2024",
            ],
        ),
        (
            "Nghị quyết số 121/NQ-CP ngày 11/9/2022; Văn bản số 274/TB-VPCP ngày 05/9/2022",
            ["Nghị quyết số 121/NQ-CP ngày 11/9/2022", "Văn bản số 274/TB-VPCP ngày 05/9/2022"],
        ),
        (
            "Thông báo 6693/TCTTKĐA ngày 15/8/2024Thông báo 1186/TCTTKĐA ngày 23/02/2024",
            ["Thông báo 6693/TCTTKĐA ngày 15/8/2024", "Thông báo 1186/TCTTKĐA ngày 23/02/2024"],
        ),
        (
            "Công văn 209 ngày 1/2/2023 của Tổ Công tác",
            ["Công văn 209 ngày 1/2/2023 của Tổ Công tác"],
        ),
        ("", []),
    ],
)
def test_split_directives(text: str, expected: list[str]) -> None:
    assert split_directives(text) == expected


def test_join_pieces_glues_numbers_cut_after_a_dash() -> None:
    assert join_pieces(["- Thông báo 203/TB-", "VPCP ngày 06/5/2024"]) == (
        "- Thông báo 203/TB-VPCP ngày 06/5/2024"
    )


@pytest.mark.parametrize(
    ("cell", "lead", "coordinating"),
    [
        (
            "Bộ Xây dựng phối hợp Bộ Công an, Bộ Tài nguyên và Môi trường",
            ["Bộ Xây dựng"],
            ["Bộ Công an", "Bộ Tài nguyên và Môi trường"],
        ),
        # OCR "Ihối hợp".
        (
            "Bộ Thông tin và Truyền thông Ihối hợp Bộ Công an,  Bộ Quốc phòng",
            ["Bộ Thông tin và Truyền thông"],
            ["Bộ Công an", "Bộ Quốc phòng"],
        ),
        # Glued "thôngphối hợp".
        (
            "Bộ Thông tin và Truyền thôngphối hợp với Bộ Công an, Bộ Tài chính",
            ["Bộ Thông tin và Truyền thông"],
            ["Bộ Công an", "Bộ Tài chính"],
        ),
        # The lead repeated after the first "phối hợp" is not a coordinating unit.
        (
            "UBND 63 địa phương phối hợp  UBND 63 địa phương phối hợp  Bộ Công an, Bộ Thông tin "
            "và Truyền thông",
            ["UBND 63 địa phương"],
            ["Bộ Công an", "Bộ Thông tin và Truyền thông"],
        ),
        # One head word for several ministries.
        (
            "Các Bộ: Công an, Tư pháp, Y tế, LĐTBXH",
            ["Bộ Công an", "Bộ Tư pháp", "Bộ Y tế", "Bộ Lao động - Thương binh và Xã hội"],
            [],
        ),
        # The head word stops where an item names its own unit.
        (
            "Các bộ, cơ quan: Tư pháp, Y tế, LĐTBXH, BHXH Việt Nam và UBND các tỉnh, thành phố "
            "trực thuộc trung ương",
            [
                "Bộ Tư pháp",
                "Bộ Y tế",
                "Bộ Lao động - Thương binh và Xã hội",
                "Bảo hiểm xã hội Việt Nam",
                "UBND các tỉnh, thành phố",
            ],
            [],
        ),
        ("UBND TP. Hồ Chí Minh, Khánh Hòa", ["Ủy ban nhân dân Thành phố", "Khánh Hòa"], []),
    ],
)
def test_lead_and_coordinating(cell: str, lead: list[str], coordinating: list[str]) -> None:
    assert lead_and_coordinating(cell) == (lead, coordinating)


# --- whole documents ---------------------------------------------------------------------------


def _doc(lines: list[str]) -> LoadedDocument:
    return LoadedDocument(source="t.txt", pages=(Page(lines=tuple(lines)),), content_hash="t")


def test_plan_rows_map_their_six_cells() -> None:
    lines = [
        "\tTT",
        "\tNội dung, nhiệm vụ",
        "\tĐơn vị chủ trì",
        "\tĐơn vị phối hợp",
        "\tThời gian ",
        "hoàn thành",
        "\tSản phẩm",
        "",
        "\t30",
        "\tTriển khai Hóa đơn điện tử có mã của cơ quan thuế khởi tạo từ máy tính tiền",
        "\tCục thuế ",
        "Thành phố",
        "\tSở, ban, ngành, địa phương",
        "\tThực hiện thường xuyên",
        "\tCông văn",
    ]
    doc = _doc(lines)
    [task] = extract_tasks(doc, parse_blocks(doc), "Kế hoạch")
    assert task.lead_units == ["Cục Thuế Thành phố"]
    assert task.coordinating_units == ["Các sở, ban, ngành, địa phương"]
    assert (task.deadline.kind, task.status, task.product) == (
        "recurring",
        "thường xuyên",
        "Công văn",
    )


def test_tab_rows_classify_cells_by_shape() -> None:
    """4709 letter, PHỤ LỤC 02: lead before the task, merged "NQ 175 Quý IV/2023" cells, six
    cells that are not the plan's six columns."""
    lines = [
        "STT\tĐơn vị chủ trì\tNhiệm vụ\tĐơn vị phối hợp\tVăn bản chỉ đạo\tThời gian hoàn thành"
        "\tKết quả\t\tNguyên nhân",
        "II. Nhiệm vụ cụ thể của các Bộ, ngành\t\t\t",
        "3\tBộ Thông tin và Truyền thông\tBan hành hoặc trình cấp có thẩm quyền ban hành Khung "
        "Văn phòng Chính phủ kiến trúc Chính phủ điện tử 3.0\tNQ 175 Quý IV/2023",
        "21\tBộ Công an\tTrình cấp có thẩm quyền bổ sung các dự án đấu tư xây dựng và mua sắm "
        "trang thiết bị, phần mềm, cơ sở dữ liệu của Đề án vào Kế hoạch đầu tư công trung hạn "
        "giai đoạn 2020 - 2025\t(1) Bộ Tài chính (2) Bộ Công an\tNQ 175\tQuý IV/2023",
    ]
    doc = _doc(lines)
    first, second = extract_tasks(doc, parse_blocks(doc), "Công văn 4709")
    assert first.lead_units == ["Bộ Thông tin và Truyền thông"]
    assert (first.directives, first.deadline.text) == (["NQ 175"], "Quý IV/2023")
    assert second.lead_units == ["Bộ Công an"]
    assert second.coordinating_units == ["Bộ Tài chính"]
    assert second.deadline.end.isoformat() == "2023-12-31"


# --- benchmark on the hand-checked sample ---------------------------------------------------------

THRESHOLDS = {
    "ke-hoach-de-an-06-tphcm-2024.txt": 0.95,
    "phu-luc-1-ket-qua-nhiem-vu-tphcm-2024.txt": 0.85,
    "phu-luc-03-ket-qua-nhiem-vu-de-an-06.txt": 0.85,
}


def test_sample_accuracy_meets_targets() -> None:
    report = run()
    accuracy = {source: doc["accuracy"] for source, doc in report["documents"].items()}
    assert set(accuracy) == set(THRESHOLDS)
    for source, minimum in THRESHOLDS.items():
        assert accuracy[source] >= minimum, (source, accuracy[source], report["mismatches"])
    assert all(doc["unmatched"] == 0 for doc in report["documents"].values())
