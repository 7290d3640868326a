"""Loaders on real files: the shipped corpus plus PDFs and DOCX generated here."""

from __future__ import annotations

import hashlib
import io
import random
import re
import zipfile
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from fpdf.enums import TableBordersLayout

from ingest.loaders import (
    SUPPORTED_SUFFIXES,
    document_title,
    load_corpus,
    load_document,
    read_manifest,
)
from rag.errors import CorruptDocument, EmptyDocument, EncodingError, UnsupportedFileType
from rag.text import normalize

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
PLAN = "ke-hoach-de-an-06-tphcm-2024.txt"
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

LEAD_SENTENCE = "Sở Thông tin và Truyền thông chủ trì"
TABLE_ROWS = [
    ("STT", "Nhiệm vụ", "Đơn vị chủ trì"),
    ("1", "Rà soát thủ tục hành chính", "Văn phòng UBND Thành phố"),
    ("2", "Làm sạch dữ liệu dân cư", "Công an Thành phố"),
]
PAGE_TWO = "Thời hạn hoàn thành: Quý II/2024"


def _pdf(pages: list[list[str]], table_on_first: bool = False) -> FPDF:
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=DEJAVU)
    pdf.set_font("DejaVu", size=10)
    for number, paragraphs in enumerate(pages):
        pdf.add_page()
        for text in paragraphs:
            pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
        if table_on_first and number == 0:
            # No bold heading row: only the regular DejaVu face is registered.
            with pdf.table(
                first_row_as_headings=False, borders_layout=TableBordersLayout.ALL
            ) as table:
                for cells in TABLE_ROWS:
                    row = table.row()
                    for cell in cells:
                        row.cell(cell)
    return pdf


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def two_page_pdf() -> bytes:
    return bytes(_pdf([[LEAD_SENTENCE], [PAGE_TWO]], table_on_first=True).output())


# --- txt -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1, " \tỦY BAN NHÂN DÂN "),  # leading space+tab and trailing space all kept
        (2, ""),  # blank lines count
        (220, "\tTháng 3/2024"),
        (225, "\tSở Thông tin và Truyền thông"),
        (226, "\tCác sở, ban, ngành, địa phương"),
        (227, "\tQuý II/2024"),
    ],
)
def test_txt_lines_keep_file_line_numbers(number: int, expected: str) -> None:
    doc = load_document(CORPUS / PLAN, CORPUS)
    (page,) = doc.pages
    assert page.number is None
    assert page.lines[number - 1] == expected


def test_txt_document_identity() -> None:
    raw = (CORPUS / PLAN).read_bytes()
    doc = load_document(CORPUS / PLAN, CORPUS)
    assert doc.source == PLAN
    assert doc.content_hash == hashlib.sha256(raw).hexdigest()
    # One line per newline: nothing dropped, nothing split on other separators.
    assert len(doc.pages[0].lines) == raw.count(b"\n") == 569


def test_txt_bom_and_crlf(tmp_path: Path) -> None:
    data = "\ufeffKế hoạch\r\n\tQuý II/2024\r\n\r\nThường xuyên\r\n".encode()
    doc = load_document(_write(tmp_path, "sub/windows.txt", data), tmp_path)
    assert doc.source == "sub/windows.txt"
    assert doc.pages[0].lines == ("Kế hoạch", "\tQuý II/2024", "", "Thường xuyên")


def test_txt_only_newline_ends_a_line(tmp_path: Path) -> None:
    # Form feeds (page breaks in text exports) and U+2028 are not line ends for editors.
    data = "Trang 1\x0cTrang 2\nMục\u2028II\n".encode()
    doc = load_document(_write(tmp_path, "trang.txt", data), tmp_path)
    assert doc.pages[0].lines == ("Trang 1\x0cTrang 2", "Mục\u2028II")


@pytest.mark.parametrize(
    ("encoding_name", "data"),
    [
        # "Sở Thông tin và Truyền thông" as Windows-1258 (base letter + combining tone byte).
        ("cp1258", b"S\xf5\xd2 Th\xf4ng tin v\xe0 Truy\xea\xccn th\xf4ng\n"),
        ("latin-1", "Thông báo 276\n".encode("latin-1")),
        ("utf-16", "Thông báo\n".encode("utf-16")),
    ],
)
def test_txt_not_utf8(tmp_path: Path, encoding_name: str, data: bytes) -> None:
    name = f"van-ban-{encoding_name}.txt"
    with pytest.raises(EncodingError) as caught:
        load_document(_write(tmp_path, name, data), tmp_path)
    message = str(caught.value)
    assert name in message
    assert "UTF-8" in message
    assert "không phải UTF-8" in message


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\t\r\n", "\ufeff\n".encode()],
    ids=["empty", "whitespace", "bom-only"],
)
def test_txt_empty(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(EmptyDocument, match="trong.txt"):
        load_document(_write(tmp_path, "trong.txt", data), tmp_path)


@pytest.mark.parametrize("name", ["bang-tong-hop.xlsx", "scan.gif", "README"])
def test_unknown_suffix(tmp_path: Path, name: str) -> None:
    with pytest.raises(UnsupportedFileType) as caught:
        load_document(_write(tmp_path, name, b"data"), tmp_path)
    message = str(caught.value)
    assert name in message
    assert all(suffix in message for suffix in (".txt", ".pdf", ".docx"))


def test_supported_suffixes() -> None:
    # Scans as images are read by OCR (tests/ingest/test_ocr.py).
    assert set(SUPPORTED_SUFFIXES) == {
        ".txt",
        ".pdf",
        ".docx",
        ".png",
        ".jpg",
        ".jpeg",
        ".tif",
        ".tiff",
    }


def test_suffix_is_case_insensitive(tmp_path: Path) -> None:
    doc = load_document(_write(tmp_path, "GHI-CHU.TXT", "Ghi chú\n".encode()), tmp_path)
    assert doc.pages[0].lines == ("Ghi chú",)


# --- pdf -------------------------------------------------------------------


def test_pdf_vietnamese_text_survives(tmp_path: Path, two_page_pdf: bytes) -> None:
    doc = load_document(_write(tmp_path, "ke-hoach.pdf", two_page_pdf), tmp_path)
    lines = [normalize(line) for line in doc.pages[0].lines]
    assert normalize(LEAD_SENTENCE) in lines


@pytest.mark.parametrize("cells", TABLE_ROWS)
def test_pdf_table_row_on_one_line_in_column_order(
    tmp_path: Path, two_page_pdf: bytes, cells: tuple[str, ...]
) -> None:
    doc = load_document(_write(tmp_path, "ke-hoach.pdf", two_page_pdf), tmp_path)
    # Layout extraction keeps columns apart by runs of spaces; plain extraction would not.
    rows = [
        [normalize(part) for part in re.split(r"\s{2,}", line.strip())]
        for line in doc.pages[0].lines
        if line.strip()
    ]
    assert [normalize(cell) for cell in cells] in rows


def test_pdf_pages_numbered_from_one(tmp_path: Path, two_page_pdf: bytes) -> None:
    doc = load_document(_write(tmp_path, "ke-hoach.pdf", two_page_pdf), tmp_path)
    assert [page.number for page in doc.pages] == [1, 2]
    assert [normalize(line) for line in doc.pages[1].lines if line.strip()] == [PAGE_TWO]
    assert doc.content_hash == hashlib.sha256(two_page_pdf).hexdigest()


def test_pdf_with_user_password_is_refused(tmp_path: Path) -> None:
    pdf = _pdf([[LEAD_SENTENCE]])
    pdf.set_encryption(owner_password="chu-so-huu", user_password="mat-khau")
    path = _write(tmp_path, "mat.pdf", bytes(pdf.output()))
    with pytest.raises(CorruptDocument) as caught:
        load_document(path, tmp_path)
    message = str(caught.value)
    assert "mat.pdf" in message
    assert "mã hóa" in message
    assert "encrypted" in message


def test_pdf_with_owner_password_only_still_loads(tmp_path: Path) -> None:
    # Permission-only encryption (no password to open) is common and readable.
    pdf = _pdf([[LEAD_SENTENCE]])
    pdf.set_encryption(owner_password="chu-so-huu")
    doc = load_document(_write(tmp_path, "han-che.pdf", bytes(pdf.output())), tmp_path)
    assert normalize(LEAD_SENTENCE) in [normalize(line) for line in doc.pages[0].lines]


def test_pdf_corrupt(tmp_path: Path) -> None:
    path = _write(tmp_path, "hong.pdf", random.Random(6).randbytes(4096))
    with pytest.raises(CorruptDocument, match="hong.pdf"):
        load_document(path, tmp_path)


def test_pdf_without_text(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50)  # a scan has pictures, not text
    with pytest.raises(EmptyDocument, match="ban-quet.pdf"):
        load_document(_write(tmp_path, "ban-quet.pdf", bytes(pdf.output())), tmp_path)


# --- docx ------------------------------------------------------------------


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("I. VỀ CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH")
    table = document.add_table(rows=3, cols=3)
    for cells, row in zip(TABLE_ROWS, table.rows, strict=True):
        for text, cell in zip(cells, row.cells, strict=True):
            cell.text = text
    # A cell with two paragraphs, and a heading cell spanning two columns.
    table.cell(2, 2).text = "Công an Thành phố\nUBND quận, huyện"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "Nhiệm vụ và đơn vị"
    document.add_paragraph("Thời hạn: Quý II/2024")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_body_order_and_tab_rows(tmp_path: Path) -> None:
    doc = load_document(_write(tmp_path, "ke-hoach.docx", _docx_bytes()), tmp_path)
    (page,) = doc.pages
    assert page.number is None
    assert page.lines == (
        "I. VỀ CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
        "STT\tNhiệm vụ và đơn vị",
        "1\tRà soát thủ tục hành chính\tVăn phòng UBND Thành phố",
        "2\tLàm sạch dữ liệu dân cư\tCông an Thành phố UBND quận, huyện",
        "Thời hạn: Quý II/2024",
    )


@pytest.mark.parametrize(
    "data",
    [
        random.Random(6).randbytes(2048),
        b"PK\x03\x04 truncated zip",
    ],
    ids=["random-bytes", "truncated-zip"],
)
def test_docx_corrupt(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(CorruptDocument, match="hong.docx"):
        load_document(_write(tmp_path, "hong.docx", data), tmp_path)


def test_docx_zip_without_document_part(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ghi-chu.txt", "không phải docx")
    with pytest.raises(CorruptDocument, match="nen.docx"):
        load_document(_write(tmp_path, "nen.docx", buffer.getvalue()), tmp_path)


# --- corpus ----------------------------------------------------------------


def test_load_corpus_keeps_going_past_bad_files(tmp_path: Path) -> None:
    _write(tmp_path, "tot.txt", "Sở Nội vụ chủ trì\n".encode())
    _write(tmp_path, "phu-luc/bang.docx", _docx_bytes())
    _write(tmp_path, "manifest.json", b"{}")
    _write(tmp_path, ".nhap.txt", b"\xff hidden, never read")
    _write(tmp_path, ".git/config", b"\xff hidden folder")
    bad = {
        "hong.pdf": random.Random(6).randbytes(1024),
        "latin.txt": "Thông báo\n".encode("latin-1"),
        "trong.txt": b"",
        "bang-tinh.xlsx": b"PK\x03\x04",
    }
    for name, data in bad.items():
        _write(tmp_path, name, data)

    documents, errors = load_corpus(tmp_path)

    assert [doc.source for doc in documents] == ["phu-luc/bang.docx", "tot.txt"]
    assert len(errors) == len(bad)
    for name in bad:
        assert sum(name in message for message in errors) == 1, name


def test_load_corpus_shipped() -> None:
    documents, errors = load_corpus(CORPUS)
    assert errors == []
    assert [doc.source for doc in documents] == sorted(path.name for path in CORPUS.glob("*.txt"))


# --- manifest --------------------------------------------------------------


def test_manifest_covers_shipped_corpus() -> None:
    manifest = read_manifest(CORPUS)
    assert set(manifest) == {path.name for path in CORPUS.glob("*.txt")}
    assert document_title(PLAN, manifest) == (
        "Kế hoạch triển khai thực hiện Đề án 06 năm 2024 trên địa bàn Thành phố Hồ Chí Minh"
    )


def test_manifest_missing(tmp_path: Path) -> None:
    assert read_manifest(tmp_path) == {}


def test_manifest_invalid(tmp_path: Path) -> None:
    _write(tmp_path, "manifest.json", b"{not json")
    with pytest.raises(CorruptDocument, match="manifest.json"):
        read_manifest(tmp_path)


@pytest.mark.parametrize(
    ("source", "manifest", "expected"),
    [
        ("bao-cao-moi_2024.pdf", {}, "Bao cao moi 2024"),
        ("phu-luc/thong-bao-276.docx", {}, "Thong bao 276"),
        ("phu-luc/a.txt", {"a.txt": {"title": "Phụ lục A"}}, "Phụ lục A"),
        ("a.txt", {"a.txt": {"title": None}}, "A"),
    ],
)
def test_document_title(source: str, manifest: dict, expected: str) -> None:
    assert document_title(source, manifest) == expected
