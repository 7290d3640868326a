"""Questions that ask two things are split into parts; part answers share one citation list."""

import pytest

from rag.multipart import merge_citations, split_question
from rag.schemas import Citation


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        (
            "Có bao nhiêu thẻ CCCD đã đồng bộ với thẻ BHYT và bao nhiêu cơ sở khám chữa bệnh đã dùng CCCD?",
            2,
        ),
        ("cong an da thu nhan bao nhieu ho so cccd va bao nhieu ho so dinh danh dien tu?", 2),
        ("Tổng cộng bao nhiêu thủ tục hành chính, và cấp xã giải quyết bao nhiêu thủ tục?", 2),
        ("Đề án được phê duyệt bằng quyết định nào, ngày nào?", 1),
        ("Tổ được tổ chức thành mấy nhóm công tác và theo văn bản nào?", 1),
        ("Nhiệm vụ này đã xong chưa? Kết quả cụ thể thế nào?", 1),
        ("Những đơn vị nào phối hợp với Công an Thành phố?", 1),
    ],
)
def test_split_question(question: str, parts: int) -> None:
    assert len(split_question(question)) == parts


def _citation(number: int, line: int) -> Citation:
    return Citation(id=number, source="a.txt", title="A", line_start=line, line_end=line, quote="q")


def test_merge_renumbers_the_second_part_and_reuses_shared_places() -> None:
    first = [_citation(1, 10)]
    second = [_citation(1, 20), _citation(2, 10)]
    merged, text = merge_citations(first, second, "x [1]; y [2].")
    assert [(c.id, c.line_start) for c in merged] == [(1, 10), (2, 20)]
    assert text == "x [2]; y [1]."


@pytest.mark.parametrize(
    "question",
    [
        "ket noi IOC thanh pho voi CSDLQG ve DC theo co che mo thi ai chu tri, phoi hop gom nhung ai",
        "Kết nối IOC Thành phố với CSDLQG về dân cư theo cơ chế mở: ai chủ trì, phối hợp với ai?",
    ],
)
def test_a_part_that_only_asks_stays_with_its_subject(assistant, question) -> None:
    answer = assistant.ask(question)
    assert not answer.abstained
    assert "Sở Thông tin và Truyền thông" in answer.answer
    assert "Công an Thành phố" in answer.answer  # a coordinating unit: the second part
    assert "Không tìm thấy thông tin cho" not in answer.answer
