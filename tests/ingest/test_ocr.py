"""OCR of scanned documents with the real Tesseract: synthetic scans drawn in the tests.

Each OCR'd page costs one to two seconds, so the pages are small and each is read once
per module (fixtures below); the pure parts (confusions, grid, TSV) are tested without OCR.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from eval.ocr_accuracy import character_accuracy, row_accuracy, table_cells
from eval.scanned_pages import (
    GROUP_ROW,
    MOTTO_LEFT,
    MOTTO_RIGHT,
    REGULAR,
    TASK_ROWS,
    blank_pdf,
    image_pdf,
    notice_page,
    picture_page,
    png_bytes,
    prose_page,
    table_page,
    uncut_table_page,
)
from ingest.loaders import SUPPORTED_SUFFIXES, load_document
from ingest.ocr import OcrOptions, mark_ocr_chunks, ocr_image
from ingest.scan_image import to_grayscale
from ingest.scan_tables import find_grid
from ingest.structure import parse_blocks
from ingest.tasks import extract_tasks
from ingest.tesseract import parse_tsv, read_words
from rag.errors import CorruptDocument, EmptyDocument, OcrFailed, OcrTimeout, TooManyPages
from rag.schemas import Chunk, Page
from tests.conftest import make_settings

pytestmark = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="tesseract is installed by `make tesseract`"
)


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def prose_read():
    page = prose_page()
    return page, ocr_image(page.image, OcrOptions(), "prose")


@pytest.fixture(scope="module")
def table_doc(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("table-scan")
    path = _write(folder, "phu-luc-quet.png", png_bytes(table_page().image))
    return load_document(path, folder)


# --- reading pages ------------------------------------------------------------------------


def test_prose_scan_reads_at_98_percent_of_characters(prose_read) -> None:
    page, read = prose_read
    assert character_accuracy(" ".join(read.lines), page.text) >= 0.98
    assert 0.8 <= read.confidence <= 1.0


def test_tilted_scan_is_deskewed(prose_read) -> None:
    _, read = prose_read
    # The page was drawn tilted 1.2° counter-clockwise; turning it back is -1.2°.
    assert read.skew_deg == pytest.approx(-1.2, abs=0.3)


def test_scanned_table_gives_task_rows(table_doc) -> None:
    lines = table_doc.pages[0].lines
    # The header row comes first, as the table parser expects.
    header = next(line for line in lines if "\t" in line)
    assert header.split("\t")[0] == "STT"
    assert row_accuracy(table_cells(lines), TASK_ROWS) >= 0.9
    assert table_doc.pages[0].ocr_confidence is not None
    assert table_doc.warnings == ()


def test_scanned_table_feeds_the_task_registry(table_doc) -> None:
    tasks = extract_tasks(table_doc, parse_blocks(table_doc), "Phụ lục quét")
    read = {t.row: (t.text, t.deadline.text) for t in tasks}
    source = {row[0]: (row[1], row[3]) for row in TASK_ROWS}
    matching = [
        number
        for number, (text, deadline) in source.items()
        if number in read
        and character_accuracy(read[number][0], text) >= 0.9
        and character_accuracy(read[number][1], deadline) >= 0.9
    ]
    assert len(matching) / len(source) >= 0.9
    leads = {t.row: t.lead_units for t in tasks}
    assert leads.get("1") == ["Sở Tư pháp"]
    # The merged group row is a heading over the rows after it, not a task.
    sections = {t.row: t.section for t in tasks}
    assert character_accuracy(sections.get("4", ""), GROUP_ROW[0]) >= 0.9
    assert character_accuracy(sections.get("3", ""), GROUP_ROW[0]) < 0.5


def test_table_whose_cells_cannot_be_separated_stays_prose() -> None:
    # Ruled like a table, but the rule-to-rule separators cut through the words.
    from ingest.scan_tables import table_page_lines
    from ingest.tesseract import Word

    mask = np.zeros((400, 1000), dtype=bool)
    for y in (50, 150, 250):
        mask[y : y + 3, 100:900] = True
    mask[50:253, 500:503] = True
    words = [
        Word("Nhiệm", 450, 80, 100, 40, 95, 1, 1, 1),
        Word("vụ", 460, 180, 80, 40, 95, 1, 1, 2),
    ]
    result = table_page_lines(mask, words, "scan.pdf, trang 2")
    assert result.warning and "trang 2" in result.warning
    assert all("\t" not in line for line in result.lines)


def test_ruled_page_without_cells_is_prose_with_an_ingest_warning(tmp_path: Path) -> None:
    page = uncut_table_page()
    path = _write(tmp_path, "khung.png", png_bytes(page.image))
    document = load_document(path, tmp_path)
    assert document.warnings and "khung.png, trang 1" in document.warnings[0]
    assert all("\t" not in line for line in document.pages[0].lines)
    assert character_accuracy(" ".join(document.pages[0].lines), page.text) >= 0.95


def test_find_grid_on_a_drawn_grid() -> None:
    mask = np.zeros((600, 1000), dtype=bool)
    for y in (100, 200, 300, 400):
        mask[y : y + 3, 50:950] = True
    for x in (50, 300, 700, 948):
        mask[100:403, x : x + 3] = True
    grid = find_grid(mask)
    assert grid is not None
    assert len(grid.rules) == 4
    assert [abs(a - b) <= 2 for a, b in zip(grid.separators, (301, 701), strict=True)] == [
        True,
        True,
    ]


def test_page_without_ruling_has_no_grid() -> None:
    mask = np.zeros((300, 800), dtype=bool)
    mask[100:140, 100:130] = True  # a letter-sized blot
    assert find_grid(mask) is None


# --- documents: PDF and image uploads ---------------------------------------------------------


def test_image_suffixes_are_documents() -> None:
    assert {".png", ".jpg", ".jpeg", ".tif", ".tiff"} <= set(SUPPORTED_SUFFIXES)


def test_image_only_pdf_is_answerable_with_ocr_citation(tmp_path: Path) -> None:
    from ingest.build import ingest_corpus
    from rag.assistant import Assistant

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write(corpus, "thong-bao-quet.pdf", image_pdf([notice_page().image]))
    progress: list[tuple[str, int, int]] = []
    settings = make_settings(tmp_path, corpus)
    report = ingest_corpus(settings, progress=lambda *event: progress.append(event))
    assert report.documents == ["thong-bao-quet.pdf"]
    assert ("ocr", 1, 1) in progress

    assistant = Assistant.load(settings)
    try:
        lines = assistant.files.documents["thong-bao-quet.pdf"].lines(1)
        # The two header columns are read apart, each line whole.
        for expected in (*MOTTO_LEFT[:2], *MOTTO_RIGHT[:2]):
            assert max(character_accuracy(line, expected) for line in lines) >= 0.9
        answer = assistant.ask("Có bao nhiêu điểm tiếp nhận hồ sơ được kết nối với ứng dụng VNeID?")
    finally:
        assistant.close()
    assert not answer.abstained
    assert "146" in answer.answer
    cited = answer.citations[0]
    assert (cited.source, cited.page, cited.ocr) == ("thong-bao-quet.pdf", 1, True)
    assert cited.ocr_confidence is not None and 0.8 <= cited.ocr_confidence <= 1.0


def test_scanned_page_inside_a_text_pdf_is_read_alone(tmp_path: Path) -> None:
    # The common case: a typed plan whose last, signed page was scanned.
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", fname=REGULAR)
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 8, "Kế hoạch triển khai Đề án 06 năm 2024 của Sở Tư pháp.")
    pdf.add_page()
    scan = prose_page().image
    pdf.image(scan, x=10, y=10, w=190)
    calls: list[tuple[int, int]] = []
    path = _write(tmp_path, "ke-hoach-ky.pdf", bytes(pdf.output()))
    document = load_document(path, tmp_path, OcrOptions(on_page=lambda d, t: calls.append((d, t))))
    typed, scanned = document.pages
    assert typed.ocr_confidence is None and "Sở Tư pháp" in " ".join(typed.lines)
    assert (scanned.number, calls) == (2, [(1, 1)])
    assert scanned.ocr_confidence is not None
    assert any("146 điểm tiếp nhận" in line for line in scanned.lines)


def test_progress_is_reported_per_page(tmp_path: Path) -> None:
    page = prose_page().image
    tiff = io.BytesIO()
    small = page.resize((page.width // 2, page.height // 2))
    small.save(tiff, "TIFF", save_all=True, append_images=[small])
    calls: list[tuple[int, int]] = []
    path = _write(tmp_path, "hai-trang.tiff", tiff.getvalue())
    document = load_document(path, tmp_path, OcrOptions(on_page=lambda d, t: calls.append((d, t))))
    assert calls == [(1, 2), (2, 2)]
    assert [p.number for p in document.pages] == [1, 2]


# --- bad input: a clear error, nothing indexed changes -----------------------------------------


def test_image_without_text_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "chu-ky.png", png_bytes(picture_page().image))
    with pytest.raises(EmptyDocument, match="chu-ky.png"):
        load_document(path, tmp_path)


def test_corrupt_image_is_refused(tmp_path: Path) -> None:
    data = png_bytes(prose_page().image)
    path = _write(tmp_path, "hong.png", data[: len(data) // 3])
    with pytest.raises(CorruptDocument, match="hong.png"):
        load_document(path, tmp_path)


def test_not_an_image_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "anh.jpg", b"%PDF-1.4 this is not a picture at all")
    with pytest.raises(CorruptDocument, match="anh.jpg"):
        load_document(path, tmp_path)


def test_scan_over_the_page_limit_is_refused_before_any_ocr(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    path = _write(tmp_path, "ban-quet-300-trang.pdf", blank_pdf(300))
    options = OcrOptions(max_pages=200, on_page=lambda d, t: calls.append((d, t)))
    with pytest.raises(TooManyPages, match="300"):
        load_document(path, tmp_path, options)
    assert calls == []


def test_page_time_limit(tmp_path: Path) -> None:
    path = _write(tmp_path, "cham.png", png_bytes(prose_page().image))
    with pytest.raises(OcrTimeout, match="cham.png"):
        load_document(path, tmp_path, OcrOptions(page_timeout_s=0.01))


def test_tesseract_run_over_its_time_is_stopped(prose_read) -> None:
    page, _ = prose_read
    # Loading the Vietnamese model alone takes longer than this.
    with pytest.raises(OcrTimeout, match="trang 9"):
        read_words(page.image, "vie", 0.05, "quet.pdf, trang 9")


def test_bad_scan_leaves_the_index_as_it_was(tmp_path: Path) -> None:
    from ingest.build import ingest_corpus
    from rag.index import current_version

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ghi-chu.txt").write_text("Sở Tư pháp chủ trì làm sạch dữ liệu hộ tịch.\n", "utf-8")
    settings = make_settings(tmp_path, corpus)
    before = ingest_corpus(settings)
    _write(corpus, "hong.png", b"\x89PNG\r\n\x1a\n garbage")
    _write(corpus, "qua-dai.pdf", blank_pdf(300))
    after = ingest_corpus(settings.model_copy(update={"ocr_max_pages": 200}))
    assert after.skipped and after.version == before.version
    assert current_version(settings.index_dir) == before.version
    assert any("hong.png" in e for e in after.errors)
    assert any("qua-dai.pdf" in e and "200" in e for e in after.errors)


# --- settings and provenance -------------------------------------------------------------------


def test_ocr_limits_come_from_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DA06_OCR_MAX_PAGES", "7")
    monkeypatch.setenv("DA06_OCR_PAGE_TIMEOUT_S", "12.5")
    from rag.settings import Settings

    options = OcrOptions.from_settings(Settings(_env_file=None))
    assert (options.max_pages, options.page_timeout_s, options.language) == (7, 12.5, "vie")


def test_chunks_of_ocr_pages_carry_their_confidence() -> None:
    def chunk(page: int) -> Chunk:
        return Chunk(
            id=str(page),
            source="s.pdf",
            title="t",
            doc_kind="d",
            kind="section",
            section="",
            text="x",
            dense_text="x",
            line_start=1,
            line_end=1,
            content_hash="h",
            page=page,
        )

    pages = [Page(("a",), 1), Page(("b",), 2, ocr_confidence=0.91)]
    marked = mark_ocr_chunks([chunk(1), chunk(2)], pages)
    assert [c.ocr_confidence for c in marked] == [None, 0.91]


def test_a_scan_is_read_once_then_served_from_the_ocr_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    image = prose_page().image.crop((0, 0, 2100, 420))
    path = _write(tmp_path, "quet.png", png_bytes(image))
    options = OcrOptions(cache_dir=tmp_path / "ocr-cache")
    first = load_document(path, tmp_path, options)
    # Without Tesseract on PATH only the cache can answer.
    monkeypatch.setenv("PATH", str(tmp_path / "no-binaries"))
    again = load_document(path, tmp_path, options)
    assert again.pages == first.pages
    with pytest.raises(OcrFailed, match="make tesseract"):
        load_document(path, tmp_path, OcrOptions(cache_dir=tmp_path / "other-cache"))


def test_sixteen_bit_scans_keep_their_contrast() -> None:
    # Scanners write 16-bit grayscale PNG/TIFF; a plain 8-bit conversion turns them white.
    deep = Image.fromarray(np.array([[0, 1000], [30000, 65535]], dtype=np.uint16))
    gray = np.asarray(to_grayscale(deep))
    assert gray.tolist() == [[0, 3], [116, 255]]


def test_tesseract_tsv_parsing() -> None:
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n"
        "5\t1\t1\t1\t1\t1\t10\t20\t30\t12\t96.5\tngày\n"
        "5\t1\t1\t1\t1\t2\t45\t20\t20\t12\t-1\t \n"
    )
    (word,) = parse_tsv(tsv)
    assert (word.text, word.left, word.right, word.confidence) == ("ngày", 10, 40, 96.5)


def test_rgba_and_palette_images_read(tmp_path: Path) -> None:
    image = prose_page().image.crop((0, 0, 2100, 420)).convert("RGBA")
    path = _write(tmp_path, "trong-suot.png", png_bytes(image))
    document = load_document(path, tmp_path)
    assert any("THÔNG BÁO" in line for line in document.pages[0].lines)
