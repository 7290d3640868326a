"""A document's own number, date and issuer, read from its letterhead, and the questions that
ask for them ("KH 2024 số mấy?", "cv 4709 ban hành ngày nào?")."""

import pytest

from rag.letterhead import read_letterhead

LETTER = [
    "BỘ CÔNG AN",
    "CỤC CẢNH SÁT QLHC VỀ TTXH",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 1234/C06-TTDLDC",
    "V/v hướng dẫn kết nối",
    "Hà Nội, ngày 05 tháng 7 năm 2024",
    "Kính gửi: Công an các tỉnh",
]
DRAFT = [
    "\tỦY BAN NHÂN DÂN",
    "TỈNH BÌNH DƯƠNG",
    "Số:        /KH-UBND",
    "\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Bình Dương, ngày     tháng 4 năm 2024",
    "KẾ HOẠCH",
]
REPORT = [
    "BÁO CÁO",
    "Sơ kết 06 tháng đầu năm 2023",
    "Căn cứ Kế hoạch số 908/KH-UBND ngày 14 tháng 3",
]


def test_a_signed_letter() -> None:
    head = read_letterhead(LETTER)
    assert head.number.text == "1234/C06-TTDLDC" and head.number.complete
    assert head.number.line == 5
    assert head.date.text == "Hà Nội, ngày 05 tháng 7 năm 2024" and head.date.complete
    assert head.issuer.text == "BỘ CÔNG AN CỤC CẢNH SÁT QLHC VỀ TTXH"


def test_a_draft_leaves_number_and_day_blank() -> None:
    head = read_letterhead(DRAFT)
    assert head.number.text == "/KH-UBND" and not head.number.complete
    assert not head.date.complete and "tháng 4 năm 2024" in head.date.text
    assert head.issuer.text == "ỦY BAN NHÂN DÂN TỈNH BÌNH DƯƠNG"


def test_a_document_without_a_letterhead_reads_none() -> None:
    head = read_letterhead(REPORT)
    assert head.number is None and head.date is None and head.issuer is None


@pytest.mark.parametrize(
    "question,expected",
    [
        ("cv 4709 số mấy", "4709/CV-TCTTKĐA"),
        ("công văn 4709 ban hành ngày nào?", "ngày 10 tháng 6 năm 2024"),
        ("cong van 4709 do co quan nao ban hanh", "TỔ CÔNG TÁC"),
        ("ai ban hành kế hoạch 2024", "ỦY BAN NHÂN DÂN"),
        ("kh 2024 ban hanh khi nao", "tháng 3 năm 2024"),
    ],
)
def test_questions_about_the_document_itself(assistant, question, expected) -> None:
    answer = assistant.ask(question)
    assert not answer.abstained
    assert expected in answer.answer
    assert answer.citations[0].line_start <= 20


@pytest.mark.parametrize(
    "question",
    ["KH 2024 số hiệu văn bản là số mấy?", "bc 2023 so may", "báo cáo năm 2023 số hiệu gì"],
)
def test_a_number_not_printed_is_not_guessed(assistant, question) -> None:
    answer = assistant.ask(question)
    assert answer.abstained
    assert "số hiệu" in answer.answer


def test_a_question_about_the_content_is_not_a_letterhead_question(assistant) -> None:
    answer = assistant.ask("cv 4709 yêu cầu gửi báo cáo trước ngày nào?")
    assert "17/6/2024" in answer.answer


def test_two_facts_asked_of_a_document_are_both_answered(assistant) -> None:
    answer = assistant.ask("cv 4709 ban hanh ngay nao, cua co quan nao")
    assert not answer.abstained
    assert "10 tháng 6 năm 2024" in answer.answer and "TỔ CÔNG TÁC" in answer.answer
    assert len(answer.citations) == 2
