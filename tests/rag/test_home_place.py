"""Naming the home city ("của TP.HCM", "tphcm") constrains nothing: every shipped document is
about it, and its sentences say "Thành phố" instead. The answer must not change or abstain."""

import pytest

from rag.compose import home_scope

QUESTIONS = [
    ("Kế hoạch Đề án 06 năm 2024{place} có bao nhiêu nhiệm vụ cụ thể?", "49"),
    (
        "Năm 2022 Sở Thông tin và Truyền thông{place} đã đào tạo bao nhiêu cán bộ, công chức?",
        "1.591",
    ),
    ("Tổ Giúp việc Ban chỉ đạo{place} thành lập mấy nhóm công tác?", "nhóm"),
]
PLACES = [" của TP.HCM", " tại tphcm", " ở Thành phố Hồ Chí Minh", " TP HCM"]


@pytest.mark.parametrize("template,expected", QUESTIONS)
@pytest.mark.parametrize("place", PLACES)
def test_naming_the_home_city_keeps_the_answer(assistant, template, expected, place) -> None:
    plain = assistant.ask(template.format(place=""))
    named = assistant.ask(template.format(place=place))
    assert not plain.abstained and not named.abstained
    assert expected in named.answer
    assert named.citations[0].source == plain.citations[0].source


def test_a_national_document_does_not_cover_the_city() -> None:
    assert home_scope("Kế hoạch triển khai Đề án 06 trên địa bàn Thành phố Hồ Chí Minh")
    assert home_scope(None, "Ủy ban nhân dân TP.HCM")
    assert not home_scope("Công văn 4709/CV-TCTTKĐA về báo cáo kết quả", "Tổ công tác")
