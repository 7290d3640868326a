"""Who signed a document: the signature block, and questions that ask for it."""

import pytest

from rag.signature import asks_signer, find_signature
from rag.text import fold

PLAN_TAIL = ["- Lưu: VT, (KSTT/N).", "\tKT. CHỦ TỊCH", "", "PHÓ CHỦ TỊCH", "", "Dương Anh Đức", ""]


@pytest.mark.parametrize(
    "lines,titles,name",
    [
        (PLAN_TAIL, ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), "Dương Anh Đức"),
        (["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "(đã ký)", "Nguyễn Văn A"], None, None),
        (
            ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "", "", "Thượng tướng Nguyễn Văn Long"],
            ("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"),
            "Thượng tướng Nguyễn Văn Long",
        ),
        (["TỔ TRƯỞNG", "Trần Thị Bích Ngọc"], ("TỔ TRƯỞNG",), "Trần Thị Bích Ngọc"),
        (["Nơi nhận:", "- Như trên;", "- Lưu: VT."], None, None),
        (["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH", "Số: 123/KH-UBND"], None, None),
    ],
)
def test_signature_block(lines, titles, name) -> None:
    found = find_signature(lines)
    if name is None:
        assert found is None or found.name != "Nguyễn Văn A"
        return
    assert found is not None and found.titles == titles and found.name == name
    assert lines[found.line_end - 1].strip() == name


@pytest.mark.parametrize(
    "question,asks",
    [
        ("Ai ký Kế hoạch 2024?", True),
        ("kh 2024 do ai ky vay", True),
        ("nguoi ky bao cao la ai", True),
        ("van ban nay ky boi ai", True),
        ("Người ký công văn 4709 là ai?", True),
        ("báo cáo định kỳ gửi ai", False),
        ("ky bao cao 6 thang 2023 co gi", False),
        ("kỳ báo cáo tính từ ngày nào", False),
    ],
)
def test_signer_questions(question: str, asks: bool) -> None:
    assert asks_signer(fold(question)) is asks


def test_signer_answer_cites_the_block(assistant) -> None:
    answer = assistant.ask("kh 2024 do ai ky vay")
    assert not answer.abstained and "Dương Anh Đức" in answer.answer
    citation = answer.citations[0]
    assert citation.source == "ke-hoach-de-an-06-tphcm-2024.txt"
    assert "Dương Anh Đức" in citation.quote


def test_a_document_without_a_named_signer_abstains(assistant) -> None:
    answer = assistant.ask("Người ký công văn 4709 là ai?")
    assert answer.abstained
