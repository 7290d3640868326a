"""Respelling questions in the corpus's words: typos, run-together words, chat forms."""

import pytest

from rag.evidence import TermWeights
from rag.spelling import Speller

PASSAGES = [
    "Kế hoạch kiểm tra của Ban Chỉ đạo tại các sở, ngành.",
    "Kế hoạch triển khai Đề án 06; hoàn thành trong quý II năm 2024.",
    "Sở Thông tin và Truyền thông chủ trì, phối hợp các sở, ngành.",
    "Rà soát dữ liệu dân cư; hướng dẫn phương án sáp nhập.",
    "Quyết định số 3373/QĐ-BYT; máy chủ đặt tại trung tâm dữ liệu.",
    "Thành lập 06 nhóm công tác, trách nhiệm của từng thành viên.",
    "Hoàn thành, hoàn thiện hệ thống thông tin.",
    "Tiếp tục hoàn thiện hệ thống giải quyết thủ tục hành chính.",
    "Hoàn thiện hệ thống định danh; Chỉ thị số 24-CT/TU của Thành ủy.",
]


@pytest.fixture(scope="module")
def speller() -> Speller:
    return Speller(TermWeights(PASSAGES).df)


@pytest.mark.parametrize(
    ("typed", "respelt"),
    [
        # a letter dropped, doubled, swapped or wrong: the neighbour the corpus uses beside
        # the next or previous word wins over a commoner one ("hoach" after "ke", not "hoan")
        ("ke hoah kiem tra", "ke hoach kiem tra"),
        ("thanh lapp 06 nhom", "thanh lap 06 nhom"),
        ("trch nhiem cua so", "trach nhiem cua so"),
        ("huogn dan phuogn an", "huong dan phuong an"),
        ("kiemm tra", "kiem tra"),
        # two words run together
        ("ai chutri", "ai chu tri"),
        ("rasoat du lieu", "ra soat du lieu"),
        # an accent on the wrong letter: the plain spelling of the corpus's word
        ("quyêt định số mấy", "quyet định số mấy"),
        # chat forms
        ("bn nv", "bao nhiêu nhiệm vụ"),
        ("xong chua ko", "xong chua không"),
        ("sp la gj", "sản phẩm la gì"),
        # "j" is no Vietnamese letter
        ("chi thj so may", "chi thi so mấy"),
        # a real syllable the corpus lacks is respelt only inside the corpus's own phrase
        ("hoan thin he thong", "hoan thien he thong"),
        # "may" typed without accents asks how many, unless a machine is meant
        ("so may nhom", "so mấy nhom"),
        ("may chu dat o dau", "may chu dat o dau"),
    ],
)
def test_unknown_words_are_respelt_as_corpus_words(
    speller: Speller, typed: str, respelt: str
) -> None:
    assert speller.respell(typed) == respelt


@pytest.mark.parametrize(
    "typed",
    [
        "Sở Thông tin và Truyền thông chủ trì",  # known words stay as typed
        "Kế hoạch của tỉnh Nghệ An",  # a name the corpus lacks is a reason to abstain
        "LLTP trên VNeID",  # abbreviations are not typos
        "hpo",  # three letters have too many neighbours
        "khi nao xong",  # cue words are kept even when no passage uses them
        "blockchain",  # nothing one edit away: left alone
    ],
)
def test_known_words_names_and_short_words_are_kept(speller: Speller, typed: str) -> None:
    assert speller.respell(typed) == typed
