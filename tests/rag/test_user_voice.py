"""Questions typed the way officials type them answer as their careful spelling does."""

import pytest


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # a document's number asked of its subject: the cited number, not a count
        ("ke hoach kiem tra cua BCD tai cac so nganh la KH so may", "1470"),
        ("Kế hoạch kiểm tra của Ban Chỉ đạo tại các sở, ngành là kế hoạch số mấy?", "1470"),
        ("bo y te ban hanh quyet dinh dac ta nguon luc y te so may", "3373"),
        # typos, run-together words and chat forms
        ("ke hoah kiem tra cua BCD tai cac so nganh so may", "1470"),
        ("kh 2024 co tong cong bn nhiem vu cu the", "49"),
        ("bo tri kinh phi DA06 theo PL ke hoach 2024 han khi nao vay", "Quý I/2024"),
    ],
)
def test_user_voice_questions_are_answered(assistant, typed: str, expected: str) -> None:
    answer = assistant.ask(typed)
    assert not answer.abstained
    assert expected in answer.answer


def test_an_actual_figure_is_not_answered_with_the_plans_target(assistant) -> None:
    answer = assistant.ask(
        "Thực tế TP đã đạt bao nhiêu % người dân khám chữa bệnh bằng CCCD năm 2024?"
    )
    assert answer.abstained


@pytest.mark.parametrize(
    "question",
    [
        # the plan is a draft: its number is blank ("Số: /KH-UBND"), whoever is named as issuer
        "kế hoạch đề án 06 năm 2024 của UBND TP số hiệu bao nhiêu?",
        "KH 2024 cua UBND thanh pho so may",
        # a sum of money is never a count of table rows
        "ngân sách cho Công an Thành phố trong KH 2024 là bao nhiêu tỷ đồng?",
        # a year met by one document and a period by another answer nothing asked
        "tỷ lệ hồ sơ nộp trực tuyến của TP 6 tháng đầu năm 2024 đạt bao nhiêu %?",
    ],
)
def test_questions_the_documents_do_not_answer_abstain(assistant, question: str) -> None:
    assert assistant.ask(question).abstained


def test_items_numbered_inside_a_sentence_are_listed(assistant) -> None:
    answer = assistant.ask("Tổ giúp việc thành lập mấy nhóm công tác, gồm những nhóm nào?")
    assert "gồm 6 nội dung" in answer.answer
    assert "Tuyên truyền" in answer.answer and "Hậu cần" in answer.answer


@pytest.mark.parametrize(
    ("question", "row"),
    [
        ("nhiệm vụ số 15 trong KH 2024 ai chủ trì?", "15"),
        ("nv so 04 ke hoach 2024 han khi nao", "04"),
        ("STT 29 của kế hoạch 2024 là việc gì", "29"),
    ],
)
def test_a_row_named_by_its_number_answers_from_that_row(assistant, question, row) -> None:
    answer = assistant.ask(question)
    assert not answer.abstained
    assert answer.tasks and answer.tasks[0].row == row


def test_a_row_number_the_table_skips_is_said_plainly(assistant) -> None:
    answer = assistant.ask("nhiệm vụ số 02 trong phụ lục KH 2024 là gì?")
    assert answer.abstained and "không có dòng số 02" in answer.answer


def test_a_unit_no_document_mentions_gets_no_task(assistant) -> None:
    answer = assistant.ask("Sở Quy hoạch - Kiến trúc được giao gì trong việc xây dựng IOC?")
    assert answer.abstained and "Sở Quy hoạch" in answer.answer
