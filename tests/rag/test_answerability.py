"""Constraints a question puts on its evidence, and whether a passage meets them."""

import pytest

from rag.answerability import question_constraints, unmet


def kinds(question: str) -> list[str]:
    return [c.kind for c in question_constraints(question)]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Tỉnh Bình Dương đã triển khai mô hình này chưa?", ["place"]),
        ("ngan sach nam 2026 cho de an la bao nhieu ty dong", ["year", "money"]),
        ("Báo cáo 9 tháng nêu kết quả gì?", ["period"]),
        ("Nhiệm vụ nào giao theo Chỉ thị 07?", ["document"]),
        ("Thành phố Hồ Chí Minh đã cấp bao nhiêu tài khoản?", []),
        ("Nhiệm vụ có hạn tháng 6/2024 là gì?", []),
        ("Mức phụ cấp mỗi tháng là bao nhiêu?", ["money"]),
    ],
)
def test_constraints_of_a_question(question: str, expected: list[str]) -> None:
    assert sorted(kinds(question)) == sorted(expected)


@pytest.mark.parametrize(
    ("question", "evidence", "met"),
    [
        ("Kế hoạch năm 2026 giao gì?", "Kế hoạch triển khai Đề án 06 năm 2024", False),
        ("Kết quả năm 2024?", "thời hạn: Trong năm 2024", True),
        ("Báo cáo 6 tháng đầu năm nêu gì?", "Sơ kết 06 tháng đầu năm 2023", True),
        ("Đà Nẵng làm gì?", "Hà Nội, TP. Hồ Chí Minh, Đà Nẵng thí điểm", True),
        ("Đà Nẵng làm gì?", "Hà Nội, TP. Hồ Chí Minh thí điểm", False),
        ("kinh phi bao nhieu ty?", "bố trí 29.297.561.000 đồng", True),
        ("kinh phi bao nhieu ty?", "đạt 90% hồ sơ", False),
        ("Theo Chỉ thị 04 giao gì?", "Chỉ thị 04/CT-TTg ngày 11/02/2024", True),
        ("Theo Thông tư 01 giao gì?", "Thông tư 01/2023/TT-VPCP", True),
        ("Theo Chỉ thị 07 giao gì?", "Chỉ thị 04/CT-TTg ngày 11/02/2024", False),
    ],
)
def test_evidence_meets_the_constraints(question: str, evidence: str, met: bool) -> None:
    assert (not unmet(question_constraints(question), evidence)) is met


@pytest.mark.parametrize(
    ("question", "evidence", "met"),
    [
        ("chu tich UBND TP ten gi", "Phó Chủ tịch UBND TP Dương Anh Đức phát biểu", False),
        ("Chủ tịch UBND Thành phố là ai?", "Chủ tịch UBND Thành phố Phan Văn Mãi", True),
        ("phó chủ tịch phụ trách tên gì", "Phó Chủ tịch UBND TP Dương Anh Đức", True),
        ("ai hien la giam doc cong an tp", "Phó Giám đốc Trung tâm dữ liệu", False),
        ("giám đốc sở tên là gì", "Giám đốc Sở Tư pháp ký", True),
    ],
)
def test_a_name_beside_another_title_does_not_answer(question, evidence, met) -> None:
    constraints = question_constraints(question)
    assert [c.kind for c in constraints] == ["role"]
    assert (unmet(constraints, evidence) == []) is met


@pytest.mark.parametrize(
    "question", ["Chủ tịch UBND TP ban hành quyết định nào?", "giám đốc sở phải làm gì"]
)
def test_a_title_in_a_question_not_asking_who_constrains_nothing(question) -> None:
    assert "role" not in kinds(question)


@pytest.mark.parametrize(
    ("question", "evidence", "met"),
    [
        # a plan's target is not what was achieved
        (
            "Thực tế TP đã đạt bao nhiêu % người dân khám bệnh bằng CCCD?",
            "KẾ HOẠCH > II. CHỈ TIÊU | 80% người dân khám, chữa bệnh sử dụng thẻ CCCD",
            False,
        ),
        (
            "ty le thuc te dat duoc la bao nhieu",
            "Mục tiêu: phấn đấu 90% hồ sơ được số hóa",
            False,
        ),
        # a result row states what was done, even beside its target
        (
            "kết quả thực tế cấp được bao nhiêu tài khoản?",
            "phấn đấu đến tháng 6/2023 cấp 40 triệu tài khoản — Hoàn thành, đã cấp được 45 triệu",
            True,
        ),
        ("thuc te da dat bao nhieu", "Báo cáo: 409 cơ sở khám chữa bệnh sử dụng CCCD", True),
    ],
)
def test_an_actual_figure_is_not_met_by_a_target(question: str, evidence: str, met: bool) -> None:
    assert (not unmet(question_constraints(question), evidence)) is met


def test_a_question_about_a_target_asks_no_actual_figure() -> None:
    assert "actual" not in kinds("Chỉ tiêu năm 2024 về khám chữa bệnh bằng CCCD là bao nhiêu %?")


@pytest.mark.parametrize(
    ("question", "money"),
    [
        ("Bảng phụ lục có bao nhiêu dòng nhiệm vụ?", False),
        ("Gói thầu trị giá bao nhiêu đồng?", True),
        ("goi thau bao nhieu dong", True),  # without accents "dong" may be money: kept
    ],
)
def test_rows_counted_are_not_money(question: str, money: bool) -> None:
    assert ("money" in kinds(question)) is money


@pytest.mark.parametrize(
    ("question", "evidence", "met"),
    [
        # a plan numbered "…/KH-…" is not the decision a question names by the same number
        ("Quyết định 1948/QĐ-UBND ký ngày nào?", "Kế hoạch 1948/KH-UBND ngày 12/5/2023", False),
        ("Quyết định 1948 ký ngày nào?", "Quyết định số 1948/QĐ-UBND ngày 12/5/2023", True),
        # an abbreviation before the number names the kind as well
        ("nghi quyet 175 giao gi", "văn bản chỉ đạo: NQ 175", True),
        # a công văn's number carries its issuer's code
        ("công văn 1867 nói gì", "văn bản số 1867/UBND-KSTT ngày 09/5/2023", True),
    ],
)
def test_a_document_number_must_be_of_the_kind_named(question, evidence, met) -> None:
    assert (not unmet(question_constraints(question), evidence)) is met


@pytest.mark.parametrize(
    ("question", "evidence", "met"),
    [
        # the title of another body ("Phó Giám đốc Trung tâm …") does not answer
        (
            "Phó Giám đốc Sở Tư pháp phụ trách đề án là ai?",
            "liên hệ đồng chí Nguyễn Minh Đức – Phó Giám đốc Trung tâm dữ liệu quốc gia",
            False,
        ),
        ("pho giam doc so tu phap la ai", "Phó Giám đốc Sở Tư pháp Trần Văn A", True),
        # the body typed as an abbreviation is met by its full name
        ("giam doc so TTTT ten gi", "Giám đốc Sở Thông tin và Truyền thông Lê Văn B", True),
    ],
)
def test_a_title_belongs_to_the_body_named_after_it(question, evidence, met) -> None:
    assert (not unmet(question_constraints(question), evidence)) is met


def test_the_year_of_an_as_of_date_constrains() -> None:
    assert "year" in kinds("Đến 31/12/2024 có bao nhiêu tài khoản được kích hoạt?")
    assert "money" not in kinds("bố trí kinh phí hạn tháng mấy, xong chưa")


@pytest.mark.parametrize(
    ("question", "evidence", "met"),
    [
        # a district of the home city must be named by the evidence, also inside a list
        ("Quận 7 triển khai mô hình điểm nào?", "duy trì mô hình điểm tại Quận 5, 10, 12", False),
        ("Quan 12 trien khai mo hinh nao", "duy trì mô hình điểm tại Quận 5, 10, 12", True),
        ("TP Thủ Đức được giao chỉ tiêu gì?", "80% thủ tục hành chính được thanh toán trực tuyến", False),
        ("Thủ Đức phối hợp việc gì?", "phối hợp: UBND quận, huyện, thành phố Thủ Đức", True),
    ],
)  # fmt: skip
def test_a_district_needs_evidence_naming_it(question, evidence, met) -> None:
    assert (not unmet(question_constraints(question), evidence)) is met


def test_a_day_asked_is_a_constraint_a_month_does_not_meet() -> None:
    from rag.answerability import answer_states_day

    assert "day" in kinds("hội nghị sơ kết tổ chức ngày nào?")
    assert "day" not in kinds("hội nghị sơ kết tổ chức tháng mấy?")
    assert answer_states_day("gửi trước ngày 17/6/2024")
    assert not answer_states_day("thời hạn: Tháng 6/2024")
