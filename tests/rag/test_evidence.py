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
