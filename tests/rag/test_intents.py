"""What a question asks for, however it is phrased: paraphrases, no diacritics, typos."""

import pytest

from rag.intents import detect_intents
from rag.text import fold

PHRASINGS = [
    ("Việc bố trí kinh phí phải xong trong thời gian nào?", "deadline"),
    ("hạn bao giờ", "deadline"),
    ("mốc hoàn thành của việc này là khi nào", "deadline"),
    ("xong lúc nào vậy", "deadline"),
    ("viec nay phai hoan thanh truoc ngay nao", "deadline"),
    ("dự kiến hoàn thành vào thời gian nào", "deadline"),
    ("hoan thnah khi nao", "deadline"),
    ("nhiệm vụ này đã xong chưa?", "status"),
    ("da hoan thanh chua", "status"),
    ("kết quả ra sao", "status"),
    ("trung tam da di vao hoat dong chua", "status"),
    ("tình hình thực hiện thế nào rồi", "status"),
    ("đơn vị nào lo việc này", "owner"),
    ("ai chu tri", "owner"),
    ("sở nào phụ trách", "owner"),
    ("giao cho ai", "owner"),
    ("phối hợp gồm những ai", "coordinator"),
    ("don vi nao phoi hop", "coordinator"),
    ("được giao theo văn bản nào", "directive"),
    ("can cu chi thi nao", "directive"),
    ("sản phẩm là gì", "product"),
    ("cho ra san pham gi", "product"),
    ("giám đốc sở thông tin và truyền thông là ai", "person"),
    ("ai ký kế hoạch này", "person"),
    ("kiến nghị Bộ Công an những gì", "list"),
    ("gồm những nhóm nào", "list"),
]


@pytest.mark.parametrize(("question", "intent"), PHRASINGS)
def test_intent_of_a_phrasing(question: str, intent: str) -> None:
    assert intent in detect_intents(fold(question))


@pytest.mark.parametrize(
    "question",
    ["đơn vị nào chủ trì, là ai vậy", "Sở Y tế là cơ quan nào"],
)
def test_asking_for_a_unit_is_not_asking_for_a_person(question: str) -> None:
    assert "person" not in detect_intents(fold(question))


def test_a_listing_stays_ahead_of_the_owner_cue() -> None:
    intents = detect_intents(fold("Những nhiệm vụ nào do CATP chủ trì?"))
    assert intents.index("task_list") < intents.index("owner")


def test_a_question_with_no_cue_is_general() -> None:
    assert detect_intents(fold("Đề án 06")) == ("general",)
