"""OCR confusions of this corpus repaired in OCR'd text, so correctly typed questions match."""

from __future__ import annotations

import pytest

from rag.ocr_text import correct_ocr_text
from rag.text import index_tokens


@pytest.mark.parametrize(
    ("ocr", "expected"),
    [
        # Strings as the shipped OCR export (Phụ lục 03) prints them.
        ("Thông báo 2880/TCTTKĐA ngaày", "Thông báo 2880/TCTTKĐA ngày"),
        ("Đaã hoàn thành", "Đã hoàn thành"),
        ("ký ngày 25tháng 7", "ký ngày 25 tháng 7"),
        ("năm 2024Thông tin", "năm 2024 Thông tin"),
        # Misreadings Tesseract makes on scans.
        ("ứng dụng VNelID", "ứng dụng VNeID"),
        ("trước ngày l/7/2024", "trước ngày 1/7/2024"),
        ("năm 2O24", "năm 2024"),
        ("Iần thứ hai, Iuật Căn cước", "lần thứ hai, luật Căn cước"),
    ],
)
def test_known_confusions_are_repaired(ocr: str, expected: str) -> None:
    assert correct_ocr_text(ocr) == expected


@pytest.mark.parametrize(
    "correct",
    [
        "Quý I/2024",
        "Quý II/2024 và Quý IV/2023",
        "mạng Internet, thiết bị IoT",
        "Ích lợi của nồi xoong, rơ-moóc",
        "Nghị quyết 175/NQ-CP",
        "VNeID",
    ],
)
def test_correct_text_is_left_alone(correct: str) -> None:
    assert correct_ocr_text(correct) == correct


def test_correctly_typed_question_shares_tokens_with_repaired_ocr_text() -> None:
    ocr = "Kích hoạt tài khoản VNelID trước ngaày l/7/2024"
    question = "kích hoạt tài khoản VNeID trước ngày 1/7/2024"
    assert set(index_tokens(question)) <= set(index_tokens(correct_ocr_text(ocr)))
    assert not set(index_tokens(question)) <= set(index_tokens(ocr))
