"""Question analysis: intents, document numbers, periods, documents named, entities."""

import pytest

from rag.query import analyse, expansions, find_doc_numbers, find_sources, named_entities
from rag.text import fold
from rag.units import default_gazetteer

ALIASES = {
    "ke-hoach.txt": ["kế hoạch 2024", "kế hoạch năm 2024"],
    "phu-luc-03.txt": ["phụ lục 03", "phụ lục 3"],
    "cong-van.txt": ["công văn 4709", "đề cương"],
}


def ask(question: str):
    units = tuple(default_gazetteer().find_in_text(question))
    return analyse(question, units=units, aliases=ALIASES)


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("Đơn vị nào chủ trì xây dựng cơ sở dữ liệu hộ tịch?", "owner"),
        ("don vi nao chu tri xay dung co so du lieu ho tich", "owner"),
        ("Những đơn vị nào phối hợp với Sở Y tế trong nhiệm vụ này?", "coordinator"),
        ("Thời hạn hoàn thành việc cấp căn cước là khi nào?", "deadline"),
        ("thoi han hoan thanh viec cap can cuoc la khi nao", "deadline"),
        ("Nhiệm vụ này được giao theo văn bản nào?", "directive"),
        ("Việc kết nối dữ liệu hộ tịch đã hoàn thành chưa?", "status"),
        ("Sản phẩm của nhiệm vụ rà soát thủ tục là gì?", "product"),
        ("Sở Y tế chủ trì những nhiệm vụ nào?", "task_list"),
        ("Có bao nhiêu nhiệm vụ trong nhóm an ninh an toàn thông tin?", "count"),
        ("Tỷ lệ hồ sơ trực tuyến đạt bao nhiêu?", "figure"),
    ],
)
def test_intents_with_and_without_diacritics(question: str, intent: str) -> None:
    assert intent in ask(question).intents


def test_general_question_has_general_intent() -> None:
    assert ask("Đề án 06 là gì").intents == ("general",)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("theo Thông báo 276/TB-VPCP", "276tbvpcp"),
        ("Thông báo số 276 / TB - VPCP", "276tbvpcp"),
        ("Chỉ thị số 24-CT/TU của Thành ủy", "24cttu"),
        ("Nghị quyết 98/2023/QH15", "982023qh15"),
        ("Quyết định 06/QĐ-TTg", "06qdttg"),
    ],
)
def test_document_numbers_in_any_spacing(text: str, key: str) -> None:
    assert key in [n.key for n in find_doc_numbers(text)]


@pytest.mark.parametrize(
    ("text", "number"),
    [("theo Chỉ thị 04 của Thủ tướng", "04"), ("theo chi thi 04", "04"), ("Nghị quyết 175", "175")],
)
def test_named_documents_without_full_number(text: str, number: str) -> None:
    assert number in [n.number for n in find_doc_numbers(text)]


def test_years_and_dates_are_not_document_numbers() -> None:
    assert find_doc_numbers("Kế hoạch 2024 đến ngày 1/7/2024") == ()


def test_units_from_abbreviations_and_plain_text() -> None:
    assert "Công an Thành phố" in ask("CATP chủ trì nhiệm vụ nào?").units
    assert "Sở Thông tin và Truyền thông" in ask("so thong tin va truyen thong chu tri gi").units
    assert "Văn phòng Chính phủ" in ask("VPCP giao nhiệm vụ gì").units


def test_document_named_in_question_is_found_and_removed_from_search_terms() -> None:
    analysis = ask("Theo Kế hoạch 2024, ai chủ trì việc số hóa hồ sơ?")
    assert analysis.sources == ("ke-hoach.txt",)
    assert "hoach" not in analysis.tokens and "so_hoa" in analysis.tokens
    assert ask("theo de cuong, dia phuong nao thi diem").sources == ("cong-van.txt",)


def test_periods() -> None:
    assert ask("Việc gì đến hạn trong quý II/2024?").periods == ("Quý II/2024",)
    assert ask("hạn tháng 6 năm 2024").periods == ("Tháng 6/2024",)


def test_abbreviations_expand_to_full_spellings() -> None:
    assert "thu tuc hanh chinh" in expansions("Số hóa hồ sơ TTHC")  # folded keys
    assert "tthc" in expansions("thủ tục hành chính cấp xã")
    analysis = ask("Số hóa hồ sơ TTHC")
    assert "hanh_chinh" in analysis.tokens and "hanh_chinh" not in analysis.core_tokens


@pytest.mark.parametrize(
    ("question", "entities"),
    [
        ("Quận 12 đã tiếp nhận bao nhiêu hồ sơ?", ("Quận 12",)),
        ("Tỉnh Cà Mau đã tích hợp bao nhiêu dịch vụ?", ("Tỉnh Cà Mau", "Cà Mau")),
        ("Mô hình nào được triển khai tại Bình Dương?", ("Bình Dương",)),
        ("UBND TP.HCM ban hành văn bản nào?", ()),
        # A body named by its head word is an entity (checked against the corpus).
        ("Sở Nội vụ chủ trì gì?", ("Sở Nội",)),
    ],
)
def test_named_entities(question: str, entities: tuple[str, ...]) -> None:
    assert named_entities(question) == entities


MANIFEST_ALIASES = {
    "plan.txt": ["kế hoạch 2024", "kế hoạch năm 2024", "phụ lục kế hoạch"],
    "pl1.txt": ["phụ lục I", "phụ lục 1"],
    "pl3.txt": ["phụ lục 03", "phụ lục số 03"],
    "letter.txt": ["công văn 4709", "đề cương"],
    "report.txt": ["báo cáo sơ kết 6 tháng 2023", "báo cáo 6 tháng 2023", "báo cáo năm 2023"],
}


@pytest.mark.parametrize(
    ("question", "source"),
    [
        ("Theo phụ lục KH 2024, ai chủ trì IOC?", "plan.txt"),
        ("KH2024 giao ai", "plan.txt"),
        ("ke hoach nam 2024 noi gi", "plan.txt"),
        ("PL1 ghi kết quả gì", "pl1.txt"),
        ("theo pl i thi sao", "pl1.txt"),
        ("Phụ lục số 1 ghi gì", "pl1.txt"),
        ("PL 03 ghi gì", "pl3.txt"),
        ("phu luc 3 ghi gi", "pl3.txt"),
        ("cv 4709 yeu cau gi", "letter.txt"),
        ("theo đề cương thì sao", "letter.txt"),
        ("BC 6 tháng 2023 nêu gì", "report.txt"),
        ("bao cao 06 thang 2023", "report.txt"),
        # "năm" / "số" before a number is left out as often as it is typed.
        ("BC 2023 kiến nghị gì", "report.txt"),
        ("theo bao cao 2023", "report.txt"),
        ("phụ lục 03 ghi gì", "pl3.txt"),
    ],
)
def test_document_names_as_users_type_them(question: str, source: str) -> None:
    assert find_sources(fold(question), MANIFEST_ALIASES)[0][:1] == (source,)


@pytest.mark.parametrize(
    "question",
    [
        "phụ lục 10 ghi gì",
        "kế hoạch 2025",
        "công văn 47090",
        "báo cáo 2022",
        "bc 2024",
        # "DC" is "dân cư" far more often than "đề cương".
        "ket noi IOC voi CSDLQG ve DC ai chu tri",
    ],
)
def test_near_names_are_not_documents(question: str) -> None:
    assert find_sources(fold(question), MANIFEST_ALIASES)[0] == ()


@pytest.mark.parametrize(
    ("question", "dropped", "kept"),
    [
        # accented question words go, with their plain spelling when nothing else has it
        ("Thông báo số mấy?", {"mấy", "may"}, {"thong", "thông", "số"}),
        ("báo cáo gửi về đâu ạ", {"đâu", "dau", "ạ"}, {"gui"}),
        # "máy chủ" keeps "may": another word of the question is spelt that way
        ("mấy máy chủ đặt ở đâu", {"mấy"}, {"may", "máy", "chu"}),
        # "đầu" (first) is not "đâu" (where)
        ("6 tháng đầu năm", set(), {"đầu", "dau"}),
    ],
)
def test_accented_question_words_are_not_content(question, dropped, kept) -> None:
    tokens = set(analyse(question).core_tokens)
    assert not tokens & dropped
    assert kept <= tokens


@pytest.mark.parametrize(
    ("question", "spelt_out"),
    [
        ("LLTP trên VNeID", "ly lich tu phap"),
        ("KCB bằng CCCD", "kham chua benh"),
        ("BCĐ ĐA06 TP", "de an 06"),
        ("So GD&DT", "giao duc va dao tao"),
    ],
)
def test_domain_abbreviations_are_searched_spelt_out(question: str, spelt_out: str) -> None:
    assert spelt_out in expansions(question)


@pytest.mark.parametrize(
    ("question", "units"),
    [
        ("Sở Quy hoạch - Kiến trúc được giao gì?", ("Sở Quy hoạch",)),
        ("Ban Cơ yếu CP phải báo cáo nội dung gì", ("Ban Cơ yếu",)),
        ("Cuc Vien thong ban hanh van ban nao", ("Cuc Vien thong",)),
        ("So GD&DT trien khai thi diem gi", ()),  # abbreviations are the gazetteer's
        ("cơ sở dữ liệu quốc gia về dân cư", ()),  # no capitalized name after the head
    ],
)
def test_units_named_in_full(question: str, units: tuple[str, ...]) -> None:
    from rag.query import unit_mentions

    assert unit_mentions(question) == units
