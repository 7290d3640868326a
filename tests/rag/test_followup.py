"""Follow-up questions refer back to the previous task, list item or document."""

import pytest

from rag.followup import PreviousTurn, next_turn, ordinal_reference
from rag.schemas import Answer
from rag.text import fold


@pytest.mark.parametrize(
    ("question", "ordinal"),
    [
        ("nhiệm vụ thứ 2 hạn bao giờ?", 2),
        ("cái thứ hai thì ai chủ trì", 2),
        ("muc 3 da xong chua", 3),
        ("thứ nhất là gì", 1),
        ("còn thời hạn thì sao?", None),
        ("có bao nhiêu nhiệm vụ", None),
    ],
)
def test_ordinal_reference(question: str, ordinal: int | None) -> None:
    assert ordinal_reference(fold(question)) == ordinal


def test_turn_round_trips_through_its_stored_context() -> None:
    turn = PreviousTurn("q", task_id="t1", task_ids=("a", "b"), source="x.txt")
    assert PreviousTurn.restore("q", "t1", turn.context_json()) == turn
    assert PreviousTurn.restore("q", None, None) == PreviousTurn("q")


def test_abstained_turn_keeps_what_the_previous_turn_knew() -> None:
    previous = PreviousTurn("q", task_id="t1", source="x.txt")
    turn = next_turn("q2", Answer(answer="...", abstained=True), previous)
    assert (turn.task_id, turn.source) == ("t1", "x.txt")


FIELD_FOLLOW_UPS = [
    ("còn thời hạn thì sao?", "thời hạn"),
    ("hạn bao giờ?", "thời hạn"),
    ("phối hợp gồm những ai?", "phối hợp"),
    ("ai phoi hop?", "phối hợp"),
    ("sản phẩm là gì?", "sản phẩm"),
    ("xong chưa?", "kết quả"),
    # The row has no directing document: the card says so first.
    ("văn bản nào chỉ đạo?", "văn bản chỉ đạo: bảng không ghi"),
]


@pytest.mark.parametrize(("follow_up", "field"), FIELD_FOLLOW_UPS)
def test_field_follow_up_after_a_task_answer(assistant, follow_up: str, field: str) -> None:
    first = assistant.ask("Hóa đơn điện tử khởi tạo từ máy tính tiền do đơn vị nào triển khai?")
    assert len(first.tasks) == 1
    answer = assistant.ask(follow_up, next_turn("q", first, None))
    assert answer.tasks and answer.tasks[0].id == first.tasks[0].id
    # The asked field comes first in the card.
    card = answer.answer.split("—", 1)[1]
    assert card.strip().startswith(field) or field == "chủ trì"


@pytest.mark.parametrize("follow_up", ["nhiệm vụ thứ 2 hạn bao giờ?", "cái thứ hai ai phối hợp"])
def test_ordinal_follow_up_after_a_list(assistant, follow_up: str) -> None:
    listing = assistant.ask("Công an Thành phố chủ trì những nhiệm vụ nào trong Kế hoạch 2024?")
    assert len(listing.tasks) > 2
    answer = assistant.ask(follow_up, next_turn("q", listing, None))
    assert answer.tasks and answer.tasks[0].id == listing.tasks[1].id


def test_short_follow_up_stays_in_the_previous_document(assistant) -> None:
    first = assistant.ask("Theo công văn 4709, báo cáo gửi về đâu?")
    source = first.citations[0].source
    answer = assistant.ask("hạn gửi khi nào?", next_turn("q", first, None))
    assert answer.citations and answer.citations[0].source == source


@pytest.mark.parametrize(
    "first_question,follow_up,expected",
    [
        # A figure answered from a passage; the follow-up asks what the passage also says.
        ("KH 2024 cắt giảm TTHC nội bộ tối thiểu bao nhiêu %?", "theo quyết định nào?", "1985"),
        (
            "kh 2024 cat giam thu tuc hanh chinh noi bo it nhat bao nhieu phan tram",
            "theo qd nao",
            "1985",
        ),
        (
            "Kế hoạch 2024 cắt giảm thủ tục nội bộ tối thiểu mấy phần trăm?",
            "văn bản nào vậy",
            "1985",
        ),
    ],
)
def test_follow_up_after_a_prose_answer_keeps_its_subject(
    assistant, first_question: str, follow_up: str, expected: str
) -> None:
    first = assistant.ask(first_question)
    assert not first.abstained
    alone = assistant.ask(follow_up)
    answer = assistant.ask(follow_up, next_turn(first_question, first, None))
    assert expected in answer.answer
    assert expected not in alone.answer


@pytest.mark.parametrize(
    "follow_up",
    [
        "còn triển khai đầy đủ phương án bảo đảm an toàn thông tin thì sao",
        "con trien khai day du phuong an bao dam ATTT thi sao",
        "còn triển khai đầy đủ phương án bảo đảm ATTT thì thế nào",
    ],
)
def test_also_asks_the_previous_field_of_a_new_subject(assistant, follow_up: str) -> None:
    question = "PL I: phê duyệt hồ sơ đề xuất cấp độ cho 100% hệ thống thông tin hạn khi nào"
    first = assistant.ask(question)
    answer = assistant.ask(follow_up, next_turn(question, first, None))
    assert "30/11/2024" in answer.answer
