"""Items listed under a heading, found from any of their lines."""

from rag.enumerations import enumeration_at

LINES = [
    "3.6 Bộ Giao thông Vận tải phối hợp kết nối phần mềm.",
    "3.7 Bộ Công an:",
    "- Hoàn chỉnh phần mềm ASM trước khi triển khai chính thức;",
    "- Phối hợp với Bộ Nội vụ ban hành văn bản hướng dẫn;",
    "- Hoàn thiện chức năng thanh toán trực tuyến, có mã OTP.",
    "",
    "IV. PHƯƠNG HƯỚNG",
]


def test_items_from_the_heading_line() -> None:
    found = enumeration_at(LINES, 2, 1, len(LINES))
    assert found is not None
    assert found.heading == "3.7 Bộ Công an:"
    assert [n for n, _ in found.items] == [3, 4, 5]
    assert found.items[0][1].startswith("Hoàn chỉnh phần mềm ASM")


def test_items_from_any_item_line() -> None:
    found = enumeration_at(LINES, 5, 1, len(LINES))
    assert found is not None and len(found.items) == 3 and found.heading_line == 2


def test_numbered_and_lettered_items() -> None:
    lines = ["Gồm các nhóm:", "(1) Nhóm tổng hợp;", "(2) Nhóm dữ liệu;", "a) thêm;", "b) nữa"]
    found = enumeration_at(lines, 1, 1, len(lines))
    assert found is not None and len(found.items) == 4


def test_prose_without_items_is_no_enumeration() -> None:
    assert enumeration_at(LINES, 1, 1, 1) is None
    assert enumeration_at(["Một câu.", "Hai câu."], 1, 1, 2) is None
