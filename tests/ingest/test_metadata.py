import json

import pytest

from ingest.metadata import read_metadata, with_metadata
from tests.conftest import CORPUS

LETTER = """**TỔ CÔNG TÁC TRIỂN KHAI ĐỀ ÁN
PHÁT TRIỂN ỨNG DỤNG DỮ LIỆU VỀ DÂN
CƯ, ĐỊNH DANH VÀ XÁC THỰC DIỆN TỬ**
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 4709/CV-TCTTKĐA
V/v báo cáo kết quả triển khai Đề án 06
trong 6 tháng đầu năm 2024
Hà Nội, ngày 10 tháng 6 năm 2024
Kính gửi: UBND các tỉnh""".splitlines()

# A PDF's text puts the two header columns on one line.
PLAN_PDF = """ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
THÀNH PHỐ HỒ CHÍ MINH Độc lập - Tự do - Hạnh phúc
Số: 1234/KH-UBND Thành phố Hồ Chí Minh, ngày 15 tháng 3 năm 2024
KẾ HOẠCH
Triển khai thực hiện Đề án 06 năm 2024
trên địa bàn Thành phố Hồ Chí Minh
Căn cứ Quyết định số 06/QĐ-TTg ngày 06 tháng 01 năm 2022""".splitlines()


def test_letter_number_date_issuer_and_subject():
    meta = read_metadata(LETTER)
    assert meta.number == "4709/CV-TCTTKĐA"
    assert meta.date == "2024-06-10"
    assert meta.issuer.startswith("TỔ CÔNG TÁC TRIỂN KHAI ĐỀ ÁN")
    assert (
        meta.title == "Công văn về báo cáo kết quả triển khai Đề án 06 trong 6 tháng đầu năm 2024"
    )


def test_plan_from_pdf_lines():
    meta = read_metadata(PLAN_PDF)
    assert meta.number == "1234/KH-UBND"
    assert meta.date == "2024-03-15"
    assert meta.issuer == "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH"
    assert meta.kind == "plan"
    assert (
        meta.title
        == "Kế hoạch triển khai thực hiện Đề án 06 năm 2024 trên địa bàn Thành phố Hồ Chí Minh"
    )
    assert meta.entry()["short_title"] == "Kế hoạch số 1234/KH-UBND"


@pytest.mark.parametrize(
    "lines",
    [
        ["Số:           /KH-UBND", "Thành phố Hồ Chí Minh, ngày    tháng 3 năm 2024"],
        ["Một đoạn văn không có số hiệu.", "Ngày nào đó."],
    ],
)
def test_blank_number_and_date_stay_unknown(lines):
    meta = read_metadata(lines)
    assert meta.number is None and meta.date is None


def test_given_fields_win_over_the_page():
    entry = with_metadata({"title": "Tên do người nạp nhập", "number": None}, PLAN_PDF)
    assert entry["title"] == "Tên do người nạp nhập"
    assert entry["number"] == "1234/KH-UBND"
    assert entry["date"] == "2024-03-15"


def test_recitals_and_sentences_do_not_give_the_number_or_date():
    lines = [
        "BÁO CÁO",
        "Sơ kết 06 tháng đầu năm 2023",
        "Căn cứ Quyết định số 06/QĐ-TTg ngày 06 tháng 01 năm 2022 của Thủ tướng Chính phủ;",
        "Số: 99/BC-UBND",
    ]
    meta = read_metadata(lines)
    assert (meta.number, meta.date, meta.issuer) == (None, None, None)
    assert meta.kind == "report"


@pytest.mark.parametrize(
    "source",
    [
        "cong-van-4709-de-cuong-so-ket-6-thang-2024.txt",
        "ke-hoach-de-an-06-tphcm-2024.txt",
        "bao-cao-so-ket-6-thang-2023-tphcm.txt",
        "phu-luc-03-ket-qua-nhiem-vu-de-an-06.txt",
    ],
)
def test_shipped_first_pages_agree_with_the_manifest(source):
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))[source]
    meta = read_metadata((CORPUS / source).read_text(encoding="utf-8").split("\n")[:60])
    assert meta.number == manifest["number"]
    if meta.date:
        assert meta.date == manifest["date"]
