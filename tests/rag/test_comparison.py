"""Questions that name two documents are asked of each: every named document answers its own
clause, the answer names the document each part comes from, and one document is not held to
what is asked of the other (a sum of money asked of the appendix, a deadline of the plan)."""

import json
from pathlib import Path

import pytest

from rag.multipart import document_clauses, without_asking
from rag.query import document_mentions
from rag.text import fold

ALIASES = {
    source: entry["aliases"]
    for source, entry in json.loads(
        (Path(__file__).parents[2] / "corpus" / "manifest.json").read_text("utf-8")
    ).items()
}
PLAN = "ke-hoach-de-an-06-tphcm-2024.txt"
REPORT = "bao-cao-so-ket-6-thang-2023-tphcm.txt"
APPENDIX_I = "phu-luc-1-ket-qua-nhiem-vu-tphcm-2024.txt"
LETTER = "cong-van-4709-de-cuong-so-ket-6-thang-2024.txt"


@pytest.mark.parametrize(
    "question,expected",
    [
        ("KH 2024 ghi hạn gì, PL I ghi gì?", [PLAN, APPENDIX_I]),
        ("theo bc 2023 bao nhieu co so, con ke hoach 2024 dat chi tieu gi", [REPORT, PLAN]),
        ("cv 4709 hỏi gì, kế hoạch năm 2024 trả lời ra sao", [LETTER, PLAN]),
        ("đề cương và phụ lục 1 nói gì về VNeID", [LETTER, APPENDIX_I]),
        # One document named twice, or a name inside a longer name, is one mention.
        ("phụ lục kế hoạch 2024 có bao nhiêu nhiệm vụ", [PLAN]),
        ("KH 2024 mục IV và kế hoạch 2024 mục V", [PLAN]),
    ],
)
def test_documents_named_apart_in_question_order(question, expected) -> None:
    sources = list(dict.fromkeys(s for _, _, s in document_mentions(fold(question), ALIASES)))
    assert sources == expected


def test_clauses_are_cut_between_the_names() -> None:
    question = "bố trí kinh phí: KH 2024 hạn khi nào, còn PL I báo đã bố trí bao nhiêu?"
    mentions = document_mentions(fold(question), ALIASES)
    clauses = document_clauses(question, mentions)
    assert clauses == ["bố trí kinh phí: KH 2024 hạn khi nào", "còn PL I báo đã bố trí bao nhiêu?"]


@pytest.mark.parametrize(
    "clause,subject",
    [
        ("bố trí kinh phí hạn khi nào", "bố trí kinh phí hạn"),
        ("nói bao nhiêu mô hình điểm", "nói mô hình điểm"),
        ("dong bo du lieu ghi han gi?", "dong bo du lieu ghi han"),
    ],
)
def test_the_subject_drops_question_words(clause, subject) -> None:
    assert without_asking(clause) == subject


@pytest.mark.parametrize(
    "question,expected",
    [
        (
            "Theo KH 2024 việc bố trí kinh phí Đề án 06 hạn khi nào, còn PL I ghi kết quả ra sao?",
            ["Quý I/2024", "29.297.561"],
        ),
        (
            "bo tri kinh phi de an 06: kh 2024 giao ai chu tri, phu luc 1 bao ket qua gi",
            ["Sở Tài chính", "29.297.561"],
        ),
        (
            "kham chua benh bang the can cuoc: bao cao 6 thang 2023 co bao nhieu co so, "
            "ke hoach 2024 dat muc tieu gi",
            ["409"],
        ),
    ],
)
def test_each_named_document_answers_its_clause(assistant, question, expected) -> None:
    answer = assistant.ask(question)
    assert not answer.abstained
    for value in expected:
        assert value in answer.answer
    named = {s for _, _, s in document_mentions(fold(question), assistant.aliases)}
    assert named <= {c.source for c in answer.citations}
    # Each part says which document it comes from.
    assert answer.answer.count("Theo ") >= 2


def test_a_day_asked_of_a_recurring_row_comes_from_the_dated_sentence(assistant) -> None:
    # The letter's table says "Thường xuyên" for sending reports; its body gives the day.
    answer = assistant.ask("công văn 4709 yêu cầu gửi báo cáo trước ngày nào?")
    assert "17/6/2024" in answer.answer


def test_a_recurring_row_still_answers_when_no_day_is_asked(assistant) -> None:
    answer = assistant.ask("trong PL 03 đôn đốc các cơ sở đào tạo hạn bao giờ")
    assert "Thường xuyên" in answer.answer


@pytest.mark.parametrize(
    "question,places",
    [
        ("hồ sơ sức khỏe điện tử thí điểm tại những địa phương nào?", ["Kiên Giang", "Khánh Hòa"]),
        ("ho so suc khoe dien tu thi diem o 7 dia phuong nao", ["Kiên Giang", "Khánh Hòa"]),
    ],
)
def test_a_list_asked_of_a_row_shows_the_items_in_its_text(assistant, question, places) -> None:
    answer = assistant.ask(question)
    for place in places:
        assert place in answer.answer
