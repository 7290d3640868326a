"""Scanned documents read by OCR: image uploads and PDF pages without a text layer.

A page image is made grayscale, deskewed (and turned upright by Tesseract's OSD when the
first reading is poor), read with Tesseract's Vietnamese model, its ruled table rebuilt as
tab-delimited rows (:mod:`ingest.scan_tables`) and its text repaired with the corpus's
known OCR confusions (:mod:`rag.ocr_text`). Each page keeps its mean word confidence, so
citations of OCR'd text can say so. Limits (pages per document, seconds per page) come
from the settings; ``on_page(done, total)`` reports progress to an upload job.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageSequence, UnidentifiedImageError

from ingest.ocr_cache import OcrCache, page_key
from ingest.scan_image import deskew, despeckle, has_ink, ink_mask, to_grayscale
from ingest.scan_tables import erase_rules, table_page_lines
from ingest.tesseract import Word, detect_rotation, read_words
from rag.errors import CorruptDocument, EmptyDocument, OcrTimeout, TooManyPages
from rag.ocr_text import correct_ocr_text
from rag.schemas import Chunk, Page
from rag.settings import Settings

PageProgress = Callable[[int, int], None]

IMAGE_SUFFIXES: tuple[str, ...] = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
# A PDF page with fewer letters than this in its text layer is a scan (a stamped page
# number or a scanner's footer is all such pages carry).
MIN_TEXT_LAYER_LETTERS = 16
# Below this mean word confidence (0-100) the page may be upside down or sideways.
UPRIGHT_CONFIDENCE = 60.0
# A lone mark (no letter or digit) read with less confidence is a speck or a rule's end;
# between the two columns of a letter's header it would glue them into one line.
MIN_MARK_CONFIDENCE = 50.0
# Underscores and bars are left by ruling lines and signature lines, never by the text.
RULE_RESIDUE = frozenset("_|")
MIN_UPRIGHT_WORDS = 5


@dataclass(frozen=True)
class OcrOptions:
    language: str = "vie"
    dpi: int = 300
    page_timeout_s: float = 60.0
    max_pages: int = 200
    on_page: PageProgress | None = None
    cache_dir: Path | None = None

    @classmethod
    def from_settings(cls, settings: Settings, on_page: PageProgress | None = None) -> OcrOptions:
        return cls(
            language=settings.ocr_language,
            dpi=settings.ocr_dpi,
            page_timeout_s=settings.ocr_page_timeout_s,
            max_pages=settings.ocr_max_pages,
            on_page=on_page,
            cache_dir=settings.ocr_cache_path,
        )

    @property
    def cache(self) -> OcrCache | None:
        return OcrCache(self.cache_dir) if self.cache_dir else None


@dataclass(frozen=True)
class OcrPage:
    lines: tuple[str, ...]
    confidence: float  # mean word confidence, 0-1, weighted by word length
    seconds: float
    skew_deg: float = 0.0
    rotation: int = 0
    warning: str | None = None


def mean_confidence(words: Sequence[Word]) -> float:
    """Mean Tesseract confidence (0-1) weighted by word length: long words carry the text."""
    weight = sum(len(w.text) for w in words)
    if weight == 0:
        return 0.0
    return round(sum(w.confidence * len(w.text) for w in words) / weight / 100, 4)


def _read(
    gray: Image.Image, options: OcrOptions, label: str, deadline: float
) -> tuple[np.ndarray, list[Word]]:
    """The page's ink mask and its words, read with any ruling lines erased."""
    mask = ink_mask(gray)
    clean = erase_rules(gray, mask)
    words = read_words(clean, options.language, _remaining(deadline, label), label)
    return mask, [w for w in words if not _is_speck(w)]


def _is_speck(word: Word) -> bool:
    if set(word.text) <= RULE_RESIDUE:
        return True
    return word.confidence < MIN_MARK_CONFIDENCE and not any(c.isalnum() for c in word.text)


def _upright_words(
    gray: Image.Image, options: OcrOptions, label: str, deadline: float
) -> tuple[np.ndarray, list[Word], int]:
    mask, words = _read(gray, options, label, deadline)
    if len(words) >= MIN_UPRIGHT_WORDS and mean_confidence(words) * 100 >= UPRIGHT_CONFIDENCE:
        return mask, words, 0
    rotation = detect_rotation(gray, _remaining(deadline, label), label)
    if rotation == 0:
        return mask, words, 0
    # OSD answers clockwise degrees; Pillow turns counter-clockwise.
    turned = gray.rotate(-rotation, expand=True, fillcolor=255)
    mask, words = _read(turned, options, label, deadline)
    return mask, words, rotation


def _remaining(deadline: float, label: str) -> float:
    """Seconds left of the page's time limit, shared by all Tesseract runs on the page."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise OcrTimeout(
            f"OCR {label} vượt giới hạn thời gian mỗi trang / OCR of {label} exceeded the"
            " time limit per page"
        )
    return left


def ocr_image(image: Image.Image, options: OcrOptions, label: str) -> OcrPage:
    """Read one page image; ``label`` names it in messages ("scan.pdf, trang 3")."""
    started = time.monotonic()
    gray = to_grayscale(image)
    if not has_ink(gray):
        return OcrPage((), 0.0, time.monotonic() - started)
    gray, skew = deskew(despeckle(gray))
    mask, words, rotation = _upright_words(gray, options, label, started + options.page_timeout_s)
    table = table_page_lines(mask, words, label)
    lines = tuple(correct_ocr_text(line) for line in table.lines)
    return OcrPage(
        lines=lines,
        confidence=mean_confidence(words),
        seconds=round(time.monotonic() - started, 3),
        skew_deg=skew,
        rotation=rotation,
        warning=table.warning,
    )


def _ocr_page(image: Image.Image, number: int, options: OcrOptions, label: str) -> Page:
    result = ocr_image(image, options, label)
    return Page(
        lines=result.lines,
        number=number,
        ocr_confidence=result.confidence,
        warnings=(result.warning,) if result.warning else (),
    )


def _cached_page(data: bytes, index: int, options: OcrOptions, read: Callable[[], Page]) -> Page:
    cache = options.cache
    if cache is None:
        return read()
    key = page_key(data, index, options.language, options.dpi)
    page = cache.get(key)
    if page is None:
        page = read()
        cache.put(key, page)
    return page


def _too_many(source: str, count: int, limit: int) -> TooManyPages:
    return TooManyPages(
        f"{source} có {count} trang cần OCR, vượt giới hạn {limit} trang; hãy tách tệp"
        f" / {source} has {count} pages to OCR, over the limit of {limit}; split the file"
    )


def _require_text(pages: Sequence[Page], source: str) -> None:
    if not any(line.strip() for page in pages for line in page.lines):
        raise EmptyDocument(
            f"Không đọc được chữ nào trong bản quét {source} (OCR không thấy văn bản)"
            f" / no text could be read from the scan {source} (OCR found none)"
        )


def _image_frames(data: bytes, source: str, max_pages: int) -> Iterator[Image.Image]:
    corrupt = f"Tệp ảnh {source} bị hỏng, không đọc được / image {source} is damaged"
    try:
        image = Image.open(io.BytesIO(data))
        count = getattr(image, "n_frames", 1)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise CorruptDocument(f"{corrupt}: {exc}") from exc
    if count > max_pages:
        raise _too_many(source, count, max_pages)
    try:
        for frame in ImageSequence.Iterator(image):
            frame.load()
            yield frame.copy()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        # Pillow reports a truncated or garbled stream only when the pixels are decoded.
        raise CorruptDocument(f"{corrupt}: {exc}") from exc


def load_image(data: bytes, source: str, ocr: OcrOptions | None = None) -> tuple[Page, ...]:
    """A PNG/JPEG/TIFF scan as pages (one per TIFF frame), read by OCR."""
    options = ocr or OcrOptions()
    frames = list(_image_frames(data, source, options.max_pages))
    pages = []
    for number, frame in enumerate(frames, start=1):
        read = partial(_ocr_page, frame, number, options, f"{source}, trang {number}")
        pages.append(_cached_page(data, number, options, read))
        if options.on_page:
            options.on_page(number, len(frames))
    _require_text(pages, source)
    return tuple(pages)


def _letters(page: Page) -> int:
    return sum(ch.isalpha() for line in page.lines for ch in line)


def _render(document: pdfium.PdfDocument, index: int, dpi: int, source: str) -> Image.Image:
    try:
        return document[index].render(scale=dpi / 72, grayscale=True).to_pil()
    except pdfium.PdfiumError as exc:
        raise CorruptDocument(
            f"Không dựng được trang {index + 1} của {source} / cannot render page {index + 1}"
            f" of {source}: {exc}"
        ) from exc


def _read_pdf_page(
    document: pdfium.PdfDocument, index: int, options: OcrOptions, source: str
) -> Page:
    image = _render(document, index, options.dpi, source)
    return _ocr_page(image, index + 1, options, f"{source}, trang {index + 1}")


def ocr_pages_without_text(
    data: bytes, source: str, pages: tuple[Page, ...], ocr: OcrOptions | None = None
) -> tuple[Page, ...]:
    """PDF pages whose text layer is (nearly) empty replaced by their OCR'd text."""
    options = ocr or OcrOptions()
    scanned = [index for index, page in enumerate(pages) if _letters(page) < MIN_TEXT_LAYER_LETTERS]
    if not scanned:
        return pages
    if len(scanned) > options.max_pages:
        raise _too_many(source, len(scanned), options.max_pages)
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise CorruptDocument(f"PDF {source} bị hỏng / PDF {source} is damaged: {exc}") from exc
    result = list(pages)
    try:
        for done, index in enumerate(scanned, start=1):
            page = pages[index]
            read = _cached_page(
                data, index, options, partial(_read_pdf_page, document, index, options, source)
            )
            if _letters(read) > _letters(page):
                result[index] = replace(read, number=page.number)
            if options.on_page:
                options.on_page(done, len(scanned))
    finally:
        document.close()
    return tuple(result)


def page_warnings(pages: Sequence[Page]) -> tuple[str, ...]:
    return tuple(warning for page in pages for warning in page.warnings)


def mark_ocr_chunks(chunks: Sequence[Chunk], pages: Sequence[Page]) -> list[Chunk]:
    """Chunks of OCR'd pages carry ``ocr_confidence`` so their citations can say "OCR"."""
    confidence = {p.number: p.ocr_confidence for p in pages if p.ocr_confidence is not None}
    if not confidence:
        return list(chunks)
    return [
        replace(chunk, extra={**chunk.extra, "ocr_confidence": confidence[chunk.page]})
        if chunk.page in confidence
        else chunk
        for chunk in chunks
    ]
