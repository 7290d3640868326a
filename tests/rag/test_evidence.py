"""Answer-shape checks: what counts as a number, date, e-mail, phone or person."""

import pytest

from rag.evidence import fits_shape, has_date, quantities


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("đã thu nhận 7.389.831 hồ sơ, 1.901.564 hồ sơ", {"7.389.831", "1.901.564"}),
        ("Kế hoạch số 3049/KH-BCĐ-CQTT ngày 15 tháng 6 năm 2023, mức 2, Đề án 06", set()),
        ("43/76 dịch vụ công", {"43", "76"}),
        ("80% người dân", {"80"}),
    ],
)
def test_quantities_leave_out_dates_levels_and_document_numbers(text: str, expected: set) -> None:
    assert quantities(text) == expected


def test_figure_needs_a_number_the_question_did_not_give() -> None:
    question = "Đã kích hoạt bao nhiêu tài khoản định danh điện tử mức 2 năm 2023?"
    assert not fits_shape("chiến dịch kích hoạt tài khoản mức 2 năm 2023", ["figure"], question)
    assert fits_shape("đã kích hoạt 1.901.564 tài khoản", ["figure"], question)


@pytest.mark.parametrize(
    ("intent", "good", "bad"),
    [
        ("email", "gửi qua email: trungtam@gmail.com", "gửi về Công an Thành phố"),
        ("phone", "SĐT: 098.422.1359", "Số 47 Phạm Văn Đồng"),
        ("person", "liên hệ đồng chí Nguyễn Minh Đức", "Thành phố Hồ Chí Minh"),
    ],
)
def test_answer_shapes(intent: str, good: str, bad: str) -> None:
    assert fits_shape(good, [intent])
    assert not fits_shape(bad, [intent])


def test_dates_and_periods() -> None:
    assert has_date("Hoàn thành trong tháng 03/2024")
    assert has_date("Thực hiện thường xuyên")
    assert not has_date("Sở Nội vụ chủ trì")


LONG_TASK = (
    "Ban hành Kế hoạch triển khai, thực hiện nhiệm vụ Đề án 06 đúng mục tiêu, tiến độ đề ra, "
    "xây dựng dự toán kinh phí, ưu tiên bố trí nguồn nhân lực, cơ sở vật chất đảm bảo cho việc "
    "tổ chức triển khai thực hiện đầy đủ các nhiệm vụ được giao, kiểm tra, đôn đốc các đơn vị "
    "trực thuộc, tổng hợp khó khăn vướng mắc, báo cáo kết quả định kỳ, "
    "hoàn thành trong tháng 03/2024."
)


def test_a_window_that_holds_the_asked_value_wins() -> None:
    from rag.evidence import TermWeights, best_window

    weights = TermWeights([LONG_TASK, "Ban hành kế hoạch khác"])
    tokens = ["ban", "hanh", "ke", "hoach", "trien", "khai", "nhiem", "vu"]
    plain = best_window(LONG_TASK, tokens, weights, 160)
    dated = best_window(LONG_TASK, tokens, weights, 160, has_date)
    assert "03/2024" not in plain  # the matching words are far from the deadline
    assert "03/2024" in dated


@pytest.mark.parametrize(
    "text,deadline",
    [
        ("Thực hiện theo Kế hoạch số 1470/KH-BCĐ ngày 13 tháng 4 năm 2023 của Ban chỉ đạo", False),
        ("căn cứ Công văn số 2635/VPCP-KSTT ngày 21/4/2024", False),
        ("Hoàn thành trong tháng 03/2024.", True),
        ("theo Kế hoạch số 1470/KH-BCĐ, hoàn thành trước ngày 30/6/2024", True),
        ("Thường xuyên", True),
    ],
)
def test_the_issue_date_of_a_cited_document_is_no_deadline(text, deadline) -> None:
    from rag.evidence import has_deadline_date

    assert has_date(text)
    assert has_deadline_date(text) is deadline


@pytest.mark.parametrize(
    "text,calendar",
    [
        ("gửi về trước ngày 17/6/2024", True),
        ("Thường xuyên", False),
        ("theo Thông báo số 276/TB-VPCP ngày 05/9/2023, thực hiện thường xuyên", False),
        ("Quý II/2024", True),
    ],
)
def test_a_calendar_deadline_is_a_date_not_a_rhythm(text, calendar) -> None:
    from rag.evidence import has_calendar_deadline

    assert has_calendar_deadline(text) is calendar


@pytest.mark.parametrize(
    ("good", "bad"),
    [
        ("Kế hoạch số 1470/KH-BCĐ ngày 13 tháng 4 năm 2023", "kiểm tra tại 24 sở, ngành"),
        ("Hoàn thành Thông báo kết luận 16 ngày 28/1/2023", "hoàn thành trong tháng 2/2023"),
        ("Quyết định số 3373/QĐ-BYT ngày 29/8/2023", "3.373 cơ sở y tế đã kết nối"),
    ],
)
def test_a_document_number_is_the_value_asked_by_so_may(good: str, bad: str) -> None:
    assert fits_shape(good, ["document_number"])
    assert not fits_shape(bad, ["document_number"])


def test_an_outline_number_is_not_a_quantity() -> None:
    assert quantities("4.11 Công an thành phố đã tổ chức cao điểm") == frozenset()
    assert quantities("7.389.831 hồ sơ đã thu nhận") == {"7.389.831"}
