"""Pure parts of the synthetic generator: how questions are typed, how answers may be spelled."""

import random

import pytest

from eval.answer_variants import (
    deadline_groups,
    directive_variants,
    number_variants,
    unit_variants,
)
from eval.runner import contains_all
from eval.surface import abbreviate, add_typo, lower_first, strip_diacritics
from rag.units import default_gazetteer

ABBREVIATIONS = [
    ["Sở Thông tin và Truyền thông", "Sở TT&TT", "STTTT"],
    ["cơ sở dữ liệu quốc gia", "CSDLQG"],
    ["cơ sở dữ liệu", "CSDL"],
    ["thủ tục hành chính", "TTHC"],
]


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("Sở Thông tin và Truyền thông chủ trì", "So Thong tin va Truyen thong chu tri"),
        ("Đề án 06 hạn bao giờ?", "De an 06 han bao gio?"),
        ("Uỷ ban nhân dân", "Uy ban nhan dan"),
    ],
)
def test_strip_diacritics_keeps_case_and_maps_d(typed: str, plain: str) -> None:
    assert strip_diacritics(typed) == plain


def test_abbreviate_prefers_the_longest_long_form() -> None:
    text, changed = abbreviate(
        "kết nối cơ sở dữ liệu quốc gia về dân cư và cơ sở dữ liệu hộ tịch",
        ABBREVIATIONS,
        random.Random(1),
    )
    assert changed
    assert text == "kết nối CSDLQG về dân cư và CSDL hộ tịch"


def test_abbreviate_leaves_text_without_long_forms() -> None:
    assert abbreviate("ai làm việc này", ABBREVIATIONS, random.Random(1)) == (
        "ai làm việc này",
        False,
    )


@pytest.mark.parametrize("seed", range(20))
def test_add_typo_changes_one_word_by_one_letter(seed: int) -> None:
    question = "ai chủ trì triển khai học bạ số CSDLQG"
    typo = add_typo(question, random.Random(seed), frozenset({"CSDLQG"}))
    before, after = question.split(), typo.split()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(changed) == 1
    original, slipped = changed[0]
    assert original != "CSDLQG"
    assert abs(len(original) - len(slipped)) <= 1
    assert sorted(original) == sorted(slipped) or set(slipped) <= set(original)


def test_lower_first_keeps_abbreviations() -> None:
    assert lower_first("Hạn bao giờ") == "hạn bao giờ"
    assert lower_first("CATP chủ trì gì") == "CATP chủ trì gì"


@pytest.mark.parametrize(
    ("cell", "answer"),
    [
        ("Quý II/2024", "Thời hạn: quý 2/2024 [1]."),
        ("Quý II/2024", "hạn Quý II năm 2024"),
        ("Tháng 9/2024", "phải xong trong tháng 09/2024"),
        ("Tháng 06/2023", "tháng 6 năm 2023"),
        ("12/2023", "hạn 12/2023"),
        ("15/12/2023", "trước ngày 15/12/2023"),
        ("Trong năm 2024", "trong năm 2024"),
        ("Thực hiện thường xuyên", "Thời hạn: thường xuyên"),
    ],
)
def test_deadline_groups_accept_the_usual_spellings(cell: str, answer: str) -> None:
    groups = deadline_groups(cell)
    assert groups and contains_all(answer, groups)


def test_deadline_groups_are_empty_without_a_time_expression() -> None:
    assert deadline_groups("Theo lộ trình của Đề án do Bộ Công an đề xuất") == []
    assert deadline_groups("") == []


def test_deadline_groups_do_not_accept_another_quarter() -> None:
    assert not contains_all("hạn quý III/2024", deadline_groups("Quý II/2024"))


@pytest.mark.parametrize(
    ("directive", "expected"),
    [
        ("Thông báo số 62/TB-VPCP ngày 01/3/2022", {"62/TB-VPCP", "Thông báo 62"}),
        ("Chỉ thị 04/CT-TTg ngày 11/02/2024", {"04/CT-TTg", "Chỉ thị số 04"}),
        ("Nghị quyết 144/NQ-CP ngày 10/9/2023", {"144/NQ-CP", "Nghị quyết 144"}),
        ("Thông báo 7604/TCTTKĐA ngày 20/9/2024", {"7604/TCTTKĐA", "Thông báo 7604"}),
    ],
)
def test_directive_variants(directive: str, expected: set[str]) -> None:
    assert expected <= set(directive_variants(directive))


def test_directive_without_number_has_no_variants() -> None:
    assert directive_variants("Chỉ đạo của Thủ tướng Chính phủ") == []


@pytest.mark.parametrize(
    ("number", "spellings"),
    [
        ("1.542", {"1.542", "1542"}),
        ("80,1", {"80,1", "80.1"}),
        ("2.126.154", {"2.126.154", "2126154"}),
        ("433", {"433"}),
    ],
)
def test_number_variants(number: str, spellings: set[str]) -> None:
    assert set(number_variants(number)) == spellings


def test_unit_variants_hold_the_canonical_name_and_abbreviations() -> None:
    variants = unit_variants("Sở TT&TT", default_gazetteer())
    assert "Sở Thông tin và Truyền thông" in variants
    assert "STTTT" in variants
