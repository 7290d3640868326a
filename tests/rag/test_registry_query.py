"""Registry questions -> structured queries: table-driven, with the shipped manifest's
document names, the real unit gazetteer and the group headings of the shipped tables."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from rag.registry_query import GroupRef, expand_shorthand, find_as_of, parse_registry_question
from rag.text import fold
from rag.units import default_gazetteer

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
PLAN = "ke-hoach-de-an-06-tphcm-2024.txt"
PL1 = "phu-luc-1-ket-qua-nhiem-vu-tphcm-2024.txt"
PL3 = "phu-luc-03-ket-qua-nhiem-vu-de-an-06.txt"
LETTER = "cong-van-4709-de-cuong-so-ket-6-thang-2024.txt"
TODAY = date(2024, 7, 1)
CATALOG = [
    GroupRef(
        PLAN,
        "V",
        "HOÀN THIỆN HỆ SINH THÁI PHỤC VỤ KẾT NỐI, KHAI THÁC, BỔ SUNG LÀM GIÀU DỮ LIỆU DÂN CƯ",
    ),
    GroupRef(PLAN, "VI", "VỀ ĐẢM BẢO AN NINH AN TOÀN THÔNG TIN"),
    GroupRef(PL3, "C", "Nhiệm vụ của các địa phương", "local"),
    GroupRef(PL1, "", "", "common", "1"),
    GroupRef(PL1, "", "", "local", "2"),
]


def parse(question: str):
    manifest = json.loads((CORPUS / "manifest.json").read_text("utf-8"))
    aliases = {s: entry["aliases"] for s, entry in manifest.items()}
    units = tuple(default_gazetteer().find_in_text(question))
    return parse_registry_question(
        question, units, aliases, CATALOG, [PLAN, PL1, PL3, LETTER], ["4709"], TODAY
    )


@pytest.mark.parametrize(
    ("question", "operation", "source", "status"),
    [
        ("PL1 có bao nhiêu nhiệm vụ đang triển khai?", "count", PL1, "in_progress"),
        ("pl 03 co may nhiem vu chua xong", "count", PL3, "not_done"),
        ("Trong Phụ lục 03, số nhiệm vụ đã hoàn thành là bao nhiêu?", "count", PL3, "done"),
        ("KH 2024 có bao nhiêu nhiệm vụ thực hiện thường xuyên?", "count", PLAN, "recurring"),
        ("Những nhiệm vụ nào trong phụ lục I chưa ghi kết quả?", "list", PL1, "unknown"),
        ("Có mấy nhiệm vụ đang thực hiện trong phụ lục 1?", "count", PL1, "in_progress"),
    ],
)
def test_status_counts_and_lists(question, operation, source, status) -> None:
    query = parse(question)
    assert query is not None
    assert (query.operation, query.source, query.status) == (operation, source, status)


@pytest.mark.parametrize(
    ("question", "unit", "role"),
    [
        ("CATP chủ trì bao nhiêu nhiệm vụ trong kế hoạch 2024?", "Công an Thành phố", "lead"),
        ("Sở TT&TT phối hợp bao nhiêu nhiệm vụ trong KH 2024?", "Sở Thông tin và Truyền thông", "coordinating"),
        ("so y te co bao nhieu nhiem vu trong ke hoach 2024", "Sở Y tế", "lead"),
    ],
)  # fmt: skip
def test_unit_and_role(question, unit, role) -> None:
    query = parse(question)
    assert query is not None and query.operation == "count"
    assert (query.unit, query.role) == (unit, role)


def test_group_by_number_and_by_title_and_part() -> None:
    by_number = parse("Sở Y tế phối hợp bao nhiêu nhiệm vụ thuộc nhóm V?")
    assert [g.key for g in by_number.groups] == ["V"]
    by_title = parse(
        "Nhóm nhiệm vụ hoàn thiện hệ sinh thái trong Kế hoạch 2024 gồm bao nhiêu nhiệm vụ?"
    )
    assert [g.key for g in by_title.groups] == ["V"]
    part = parse(
        "Phần nhiệm vụ của địa phương trong Phụ lục I có bao nhiêu dòng ghi Đã hoàn thành?"
    )
    assert (part.part, part.status, part.source) == ("local", "done", PL1)
    numbered = parse("Phần 2 của PL1 có bao nhiêu nhiệm vụ đang triển khai?")
    assert [g.part_number for g in numbered.groups] == ["2"]


@pytest.mark.parametrize(
    ("question", "due_from", "due_to"),
    [
        ("Những nhiệm vụ nào trong KH 2024 có hạn trong quý II/2024?", date(2024, 4, 1), date(2024, 6, 30)),
        ("nhung nhiem vu nao trong ke hoach 2024 co han trong quy 2 nam 2024", date(2024, 4, 1), date(2024, 6, 30)),
        ("Bao nhiêu nhiệm vụ của Phụ lục 03 phải xong trước 30/6/2024?", None, date(2024, 6, 30)),
        ("Liệt kê nhiệm vụ trong PL1 có thời hạn trong tháng 6/2024", date(2024, 6, 1), date(2024, 6, 30)),
    ],
)  # fmt: skip
def test_deadline_windows(question, due_from, due_to) -> None:
    query = parse(question)
    assert query is not None
    assert (query.due_from, query.due_to) == (due_from, due_to)
    assert query.status is None  # "phải xong trước …" is a deadline, not a status


@pytest.mark.parametrize(
    ("question", "as_of"),
    [
        ("Tính đến ngày 15/8/2024, nhiệm vụ nào của Sở Tư pháp đã quá hạn?", date(2024, 8, 15)),
        ("Hôm nay là 20/6/2024, CATP có bao nhiêu nhiệm vụ trễ hạn?", date(2024, 6, 20)),
        ("den ngay 1/7/2024 so tu phap co nhiem vu nao qua han", date(2024, 7, 1)),
        ("Tính đến ngày 15 tháng 8 năm 2024, những nhiệm vụ nào của Sở Y tế quá hạn?", date(2024, 8, 15)),
    ],
)  # fmt: skip
def test_overdue_as_of(question, as_of) -> None:
    query = parse(question)
    assert query is not None
    assert (query.operation, query.as_of) == ("overdue", as_of)
    assert query.unit is not None


def test_overdue_without_a_date_uses_today() -> None:
    query = parse("Sở Tư pháp có nhiệm vụ nào đã quá hạn?")
    assert query.as_of == TODAY


def test_directive_filter_and_own_document_number() -> None:
    query = parse("bao nhiêu nhiệm vụ căn cứ Chỉ thị 04?")
    assert query.operation == "count" and query.directive.number == "04"
    nq = parse("Phụ lục 03 có bao nhiêu nhiệm vụ theo NQ 175?")
    assert nq.directive.number == "175"
    # "công văn 4709" is a document of the corpus, not a directing document filter.
    letter = parse("Công văn 4709 có bao nhiêu nhiệm vụ chưa hoàn thành?")
    assert letter.directive is None and letter.source == LETTER


def test_product_and_deadline_kind() -> None:
    product = parse("Trong Phụ lục Kế hoạch 2024, có bao nhiêu nhiệm vụ có sản phẩm là Kế hoạch?")
    assert product.product == "ke hoach" and product.source == PLAN
    recurring = parse("KH 2024 có bao nhiêu nhiệm vụ có thời hạn thường xuyên?")
    assert recurring.deadline_kind == "recurring" and recurring.status is None


def test_compare_keeps_the_order_documents_are_named() -> None:
    query = parse(
        "Phụ lục I và Phụ lục 03 ghi kết quả nhiệm vụ tái cấu trúc quy trình khác nhau thế nào?"
    )
    assert query.operation == "compare"
    assert query.sources[:2] == (PL1, PL3)
    assert query.compare_field == "status"
    deadline = parse("Nhiệm vụ IOC: Kế hoạch 2024 và PL1 ghi thời hạn có giống nhau không?")
    assert deadline.sources[:2] == (PLAN, PL1) and deadline.compare_field == "deadline"
    # Named as typed, abbreviations first: the order is read from the aliases' own spellings.
    typed = parse("PL1 và kh2024 ghi thời hạn nhiệm vụ IOC có giống nhau không?")
    assert typed.sources[:2] == (PL1, PLAN)
    typed = parse(
        "pl 03 va phu luc i ghi ket qua nhiem vu tai cau truc quy trinh khac nhau the nao"
    )
    assert typed.sources[:2] == (PL3, PL1)


def test_group_by_status() -> None:
    query = parse("Phụ lục 03 có bao nhiêu nhiệm vụ theo từng tình trạng?")
    assert (query.operation, query.group_by) == ("group_by", "status")


@pytest.mark.parametrize(
    "question",
    [
        "Kế hoạch 2024 có bao nhiêu nhiệm vụ?",  # the document states its own count
        "Ai chủ trì xây dựng Trung tâm điều hành thông minh IOC?",
        "Số hồ sơ đã giải quyết trên Cổng dịch vụ công là bao nhiêu?",
        "Theo đề cương, việc thống kê số nhiệm vụ đã hoàn thành được thể hiện ở phụ lục số mấy?",
        "Hôm nay 20/6/2024, hạn báo cáo theo công văn 4709 đã qua chưa?",
        "Công an Thành phố chủ trì những nhiệm vụ nào trong Kế hoạch 2024?",  # the task listing's
        "Theo Phụ lục 03 kết quả nhiệm vụ, cơ quan nào ban hành thông báo kết luận?",
        "kinh phi cho CATP trong KH 2024 la bao nhieu ty dong",  # money, not rows
    ],
)
def test_not_registry_questions(question: str) -> None:
    assert parse(question) is None


def test_shorthand_and_as_of_are_pure() -> None:
    # Directives are spelled out for the number finder; the corpus's own documents are left
    # as typed ("PL1", "KH 2024"): their aliases find them in any spelling.
    assert expand_shorthand(fold("PL1 và KH 2024, NQ 175")) == "pl1 va kh 2024, nghi quyet 175"
    day, span = find_as_of("tinh den ngay 31/12/2023 co bao nhieu")
    assert day == date(2023, 12, 31) and span is not None
    assert find_as_of("tinh den ngay 31/02/2024")[0] is None  # not a date


@pytest.mark.parametrize(
    ("question", "units"),
    [
        (
            "Sở TT&TT hay CATP chủ trì nhiều nhiệm vụ hơn trong KH 2024?",
            ("Sở Thông tin và Truyền thông", "Công an Thành phố"),
        ),
        ("so sanh so nhiem vu cua so y te va so tu phap trong ke hoach 2024", ("Sở Y tế", "Sở Tư pháp")),
        ("PL03: Bộ Y tế hay Bộ Tài chính có ít nhiệm vụ chưa hoàn thành hơn?", ("Bộ Y tế", "Bộ Tài chính")),
    ],
)  # fmt: skip
def test_two_units_compared_by_count(question, units) -> None:
    query = parse(question)
    assert query is not None and query.operation == "compare_units"
    assert query.units == units


def test_one_unit_with_a_comparative_word_is_a_plain_count() -> None:
    query = parse("Sở Y tế chủ trì bao nhiêu nhiệm vụ trong KH 2024, nhiều hơn năm trước không?")
    assert query is not None and query.operation == "count"
