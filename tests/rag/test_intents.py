"""What a question asks for, however it is phrased: paraphrases, no diacritics, typos."""

import csv
from collections import defaultdict
from pathlib import Path

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


PHRASING_FILE = Path(__file__).parent / "data" / "intent_phrasings.tsv"
# The file's "list" family asks for a unit's or a document's tasks (a registry listing).
SAME_FAMILY = {"list": {"list", "task_list"}}
# Share of each family's phrasings whose intent must be recognised.
MIN_RECALL = {"list": 0.8, "count": 0.85}


def _phrasings() -> dict[str, list[str]]:
    families: dict[str, list[str]] = defaultdict(list)
    with PHRASING_FILE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            families[row["intent"]].append(row["phrasing"])
    return families


@pytest.mark.parametrize("family", sorted(_phrasings()))
def test_intent_recall_over_written_phrasings(family: str) -> None:
    phrasings = _phrasings()[family]
    assert len(phrasings) >= 150
    wanted = SAME_FAMILY.get(family, {family})
    missed = [q for q in phrasings if not wanted & set(detect_intents(fold(q)))]
    recall = 1 - len(missed) / len(phrasings)
    assert recall >= MIN_RECALL.get(family, 0.95), missed[:10]


@pytest.mark.parametrize(
    "question",
    [
        "6 bộ ngành phải số hóa 338 trường dữ liệu là những ai?",
        "truong hop nao thi ai duoc mien phi",
        "trường thông tin nào do ai cập nhật",
    ],
)
def test_words_that_only_look_like_a_title_ask_for_no_person(question) -> None:
    # "trường" (a data field, a case) folds to the same word as "trưởng" (a head of office).
    assert "person" not in detect_intents(fold(question))


def test_a_head_of_office_is_still_a_person() -> None:
    assert "person" in detect_intents(fold("trưởng phòng PC06 là ai"))


@pytest.mark.parametrize(
    "question",
    ["chu tich UBND TP ten gi", "giám đốc Sở TTTT tên là gì", "ai hien la giam doc cong an tp"],
)
def test_asking_the_name_of_a_title_holder(question) -> None:
    assert "person" in detect_intents(fold(question))
