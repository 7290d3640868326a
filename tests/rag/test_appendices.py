"""Appendices inside a document: where each starts and ends, the title under its heading, the
appendix a question names, and answers scoped to it."""

import pytest

from rag.appendices import appendix_number, appendix_spans, appendix_title, named_appendices
from rag.text import fold

LETTER = [
    "Kính gửi: các Bộ, ngành (theo Phụ lục số 07 gửi kèm).",
    "",
    "PHỤ LỤC 01",
    "",
    "THỐNG KÊ CÁC NHIỆM VỤ",
    "THEO CÁC CHỈ THỊ",
    "STT\tNội dung\tĐơn vị",
    "1\tRà soát\tBộ Tư pháp",
    "Phụ lục số 2:",
    "Kết quả triển khai (dòng thường, không phải tiêu đề)",
    "PHỤ LỤC IV",
    "SỐ LIỆU DỊCH VỤ CÔNG",
]


def test_each_heading_runs_to_the_next() -> None:
    assert appendix_spans(LETTER) == [("1", 3, 8), ("2", 9, 10), ("4", 11, 12)]
    assert appendix_spans(["Không có phụ lục nào", "theo Phụ lục 01 gửi kèm"]) == []


def test_the_title_is_the_capitalised_lines_under_the_heading() -> None:
    assert appendix_title(LETTER, 3) == ("THỐNG KÊ CÁC NHIỆM VỤ THEO CÁC CHỈ THỊ", 6)
    assert appendix_title(LETTER, 9) == ("", 9)
    assert appendix_title(LETTER, 11) == ("SỐ LIỆU DỊCH VỤ CÔNG", 12)


@pytest.mark.parametrize("token,number", [("05", "5"), ("5", "5"), ("v", "5"), ("IV", "4")])
def test_numbers_in_any_spelling(token, number) -> None:
    assert appendix_number(token) == number


@pytest.mark.parametrize(
    "question,number",
    [
        ("PL 05 cv 4709 liệt kê gì", "5"),
        ("phụ lục số 07 của đề cương dùng để làm gì", "7"),
        ("pl02 cv 4709: ai lo", "2"),
        ("theo phu luc iii thi sao", "3"),
        ("Kế hoạch 2024 giao ai", None),
        ("plan 5 là gì", None),
    ],
)
def test_the_appendix_a_question_names(question, number) -> None:
    found = named_appendices(fold(question))
    assert (found[0][0] if found else None) == number


def test_a_document_name_is_not_an_appendix_inside_one() -> None:
    question = fold("phụ lục 03 có bao nhiêu nhiệm vụ")
    assert named_appendices(question, [(0, 10)]) == []


@pytest.mark.parametrize(
    "question,title_word",
    [
        ("phụ lục 07 của cv 4709 dùng để làm gì?", "TIỆN ÍCH"),
        ("pl 7 de cuong de lam gi", "TIỆN ÍCH"),
        ("PL 02 công văn 4709 báo kết quả nhiệm vụ của nghị quyết nào, giai đoạn nào", "175"),
        ("phu luc 4 cua de cuong ve viec gi", "422"),
    ],
)
def test_what_an_appendix_is_for(assistant, question, title_word) -> None:
    answer = assistant.ask(question)
    assert not answer.abstained
    assert title_word in answer.answer
    citation = answer.citations[0]
    assert citation.source.startswith("cong-van-4709")


def test_a_row_question_searches_inside_the_named_appendix(assistant) -> None:
    answer = assistant.ask("PL02 cv 4709: bố trí nguồn điện cho trung tâm dữ liệu do bộ nào lo?")
    assert "Bộ Công Thương" in answer.answer
    spans = assistant.appendices[("cong-van-4709-de-cuong-so-ket-6-thang-2024.txt", "2")]
    assert answer.citations[0].line_start > spans.lines[0]


def test_a_unit_asked_of_an_appendix_is_not_answered_by_its_title(assistant) -> None:
    answer = assistant.ask("PL 02 cv 4709 Bộ Xây dựng chủ trì mấy nhiệm vụ?")
    assert "Phụ lục 02 là" not in answer.answer
