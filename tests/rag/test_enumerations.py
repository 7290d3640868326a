"""Items listed under a heading, found from any of their lines."""

from rag.enumerations import enumeration_at, inline_enumeration

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


def test_items_numbered_inside_a_paragraph() -> None:
    text = (
        "Tổ Giúp việc đã ban hành thông báo. Theo đó đã thành lập 03 nhóm công tác, gồm: "
        "(1) Nội dung, (2) Dịch vụ công; (3) Tuyên truyền. Thành viên là các sở, ngành."
    )
    found = inline_enumeration(text)
    assert found is not None
    assert [t for _, t in found.items] == ["Nội dung", "Dịch vụ công", "Tuyên truyền"]
    assert found.heading == "Theo đó đã thành lập 03 nhóm công tác"


def test_a_lone_number_in_brackets_is_no_enumeration() -> None:
    assert inline_enumeration("Cấp điện mới từ lưới điện hạ áp (220/380V) (1) một mục") is None
    assert inline_enumeration("Tiếp nhận (2) hồ sơ và (5) đề nghị") is None
