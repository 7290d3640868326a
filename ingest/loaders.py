"""Read corpus files (txt, pdf, docx) into pages of raw lines, one loader per file suffix.

Lines stay raw (no normalization, leading tabs kept) because citations point at
1-based line numbers of the original file and the table parser reads the tabs.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

import docx
from docx.document import Document as DocxDocument
from docx.table import Table
from pypdf import PageObject, PasswordType, PdfReader
from pypdf.errors import DependencyError

from ingest.ocr import IMAGE_SUFFIXES, OcrOptions, load_image, ocr_pages_without_text, page_warnings
from ingest.table_readers import with_tables
from rag.errors import CorruptDocument, Da06Error, EmptyDocument, EncodingError, UnsupportedFileType
from rag.schemas import LoadedDocument, Page

MANIFEST_NAME = "manifest.json"

Loader = Callable[[bytes, str], tuple[Page, ...]]


def _split_lines(text: str) -> tuple[str, ...]:
    # str.splitlines() also breaks on \x0b, \x0c, \u2028 ...; editors and `wc -l` do not,
    # so splitting on "\n" alone keeps our line numbers equal to the file's.
    text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return tuple(lines)


def _require_text(pages: tuple[Page, ...], source: str) -> tuple[Page, ...]:
    if not any(line.strip() for page in pages for line in page.lines):
        raise EmptyDocument(f"Tệp {source} không có nội dung văn bản / file {source} has no text")
    return pages


def load_txt(data: bytes, source: str) -> tuple[Page, ...]:
    try:
        # utf-8-sig drops a leading BOM (Notepad adds one) and is plain UTF-8 otherwise.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"Tệp {source} không phải UTF-8 (byte lỗi ở vị trí {exc.start}); hãy lưu lại với mã UTF-8"
            f" / file {source} is not UTF-8 (bad byte at offset {exc.start}); save it as UTF-8"
        ) from exc
    return _require_text((Page(lines=_split_lines(text), number=None),), source)


def _pdf_page_text(page: PageObject) -> str:
    # Layout mode keeps table columns apart; plain mode glues a row's cells together.
    # Layout mode fails on some fonts/rotations, so plain is the fallback.
    try:
        text = page.extract_text(extraction_mode="layout")
    except Exception:  # pypdf raises many types on odd content streams
        text = ""
    if not text.strip():
        text = page.extract_text()
    return text


def _open_pdf(data: bytes, source: str) -> PdfReader:
    encrypted_msg = (
        f"PDF {source} được mã hóa, không đọc được; hãy gỡ mật khẩu rồi nạp lại"
        f" / PDF {source} is encrypted; remove the password and try again"
    )
    try:
        reader = PdfReader(io.BytesIO(data))
    except DependencyError as exc:
        raise CorruptDocument(encrypted_msg) from exc
    except Exception as exc:  # any parser failure means a broken file
        raise CorruptDocument(
            f"Tệp PDF {source} bị hỏng, không đọc được / PDF {source} is damaged: {exc}"
        ) from exc
    if reader.is_encrypted:
        # Owner-password-only PDFs open with an empty user password; only a real
        # user password blocks reading.
        try:
            opened = reader.decrypt("") != PasswordType.NOT_DECRYPTED
        except Exception:  # e.g. AES without the cryptography package
            opened = False
        if not opened:
            raise CorruptDocument(encrypted_msg)
    return reader


def load_pdf(data: bytes, source: str, ocr: OcrOptions | None = None) -> tuple[Page, ...]:
    reader = _open_pdf(data, source)
    try:
        pages = tuple(
            Page(
                lines=tuple(line.rstrip() for line in _split_lines(_pdf_page_text(page))), number=i
            )
            for i, page in enumerate(reader.pages, start=1)
        )
    except Exception as exc:  # a damaged page tree or stream
        raise CorruptDocument(
            f"Tệp PDF {source} bị hỏng, không đọc được / PDF {source} is damaged: {exc}"
        ) from exc
    # Scanned pages carry no text layer: they are read by OCR.
    pages = ocr_pages_without_text(data, source, pages, ocr)
    if not any(line.strip() for page in pages for line in page.lines):
        raise EmptyDocument(
            f"PDF {source} không có chữ đọc được, kể cả bằng OCR"
            f" / PDF {source} has no readable text, not even by OCR"
        )
    return pages


def _cell_text(text: str) -> str:
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def _table_row_lines(table: Table) -> Iterator[str]:
    for row in table.rows:
        cells = []
        previous = None
        for cell in row.cells:
            # A horizontally merged cell comes back once per grid column it spans.
            if previous is not None and cell._tc is previous:
                continue
            previous = cell._tc
            cells.append(_cell_text(cell.text))
        yield "\t".join(cells) if any(cells) else ""


def _docx_lines(document: DocxDocument) -> Iterator[str]:
    # iter_inner_content walks body children in document order, so text around a
    # table stays before/after its rows (doc.paragraphs + doc.tables would not).
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            yield from _table_row_lines(block)
        else:
            # A manual line break inside a paragraph comes back as "\n".
            yield from block.text.split("\n")


def load_docx(data: bytes, source: str) -> tuple[Page, ...]:
    try:
        lines = tuple(_docx_lines(docx.Document(io.BytesIO(data))))
    except Exception as exc:  # zip, XML and package errors alike
        raise CorruptDocument(
            f"Tệp DOCX {source} bị hỏng, không đọc được / DOCX {source} is damaged: {exc}"
        ) from exc
    return _require_text((Page(lines=lines, number=None),), source)


LOADERS: dict[str, Loader] = {
    ".txt": load_txt,
    ".pdf": load_pdf,
    ".docx": load_docx,
    **dict.fromkeys(IMAGE_SUFFIXES, load_image),
}
# Loaders that may run OCR take its options (limits, progress callback) as a third argument.
READS_SCANS = frozenset({load_pdf, load_image})
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(sorted(LOADERS))


def _source_name(path: Path, corpus_dir: Path) -> str:
    try:
        return path.resolve().relative_to(corpus_dir.resolve()).as_posix()
    except ValueError:
        return path.name


def _loader_for(source: str) -> Loader:
    suffix = PurePosixPath(source).suffix.lower()
    loader = LOADERS.get(suffix)
    if loader is None:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        raise UnsupportedFileType(
            f"Không hỗ trợ loại tệp của {source}; chỉ nhận {supported}"
            f" / unsupported file type: {source}; supported: {supported}"
        )
    return loader


def load_document(path: Path, corpus_dir: Path, ocr: OcrOptions | None = None) -> LoadedDocument:
    """Load one file; raises a :mod:`rag.errors` exception naming the file on any failure."""
    source = _source_name(path, corpus_dir)
    loader = _loader_for(source)
    data = path.read_bytes()
    if not data.strip():
        raise EmptyDocument(f"Tệp {source} rỗng / file {source} is empty")
    pages = loader(data, source, ocr) if loader in READS_SCANS else loader(data, source)
    loaded = LoadedDocument(
        source=source,
        pages=pages,
        content_hash=hashlib.sha256(data).hexdigest(),
        warnings=page_warnings(pages),
    )
    return with_tables(loaded, data, PurePosixPath(source).suffix.lower())


def _corpus_files(corpus_dir: Path) -> list[Path]:
    files = []
    for path in sorted(corpus_dir.rglob("*")):
        relative = path.relative_to(corpus_dir)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if relative.as_posix() == MANIFEST_NAME:
            continue
        files.append(path)
    return files


def load_corpus(
    corpus_dir: Path, ocr: OcrOptions | None = None
) -> tuple[list[LoadedDocument], list[str]]:
    """Load every file under ``corpus_dir``; one bad file becomes a message, not a failed ingest."""
    documents: list[LoadedDocument] = []
    errors: list[str] = []
    for path in _corpus_files(corpus_dir):
        try:
            documents.append(load_document(path, corpus_dir, ocr))
        except Da06Error as exc:
            errors.append(str(exc))
        except OSError as exc:
            source = _source_name(path, corpus_dir)
            errors.append(f"Không đọc được tệp {source} / cannot read {source}: {exc}")
    return documents, errors


def read_manifest(corpus_dir: Path) -> dict[str, dict]:
    """``corpus_dir/manifest.json`` as {source: {title, issuer, number, date, kind}}; {} if absent."""
    path = corpus_dir / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CorruptDocument(
            f"Tệp {MANIFEST_NAME} không hợp lệ / {MANIFEST_NAME} is not valid UTF-8 JSON: {exc}"
        ) from exc
    if not isinstance(manifest, dict) or not all(isinstance(v, dict) for v in manifest.values()):
        raise CorruptDocument(
            f"Tệp {MANIFEST_NAME} phải là đối tượng {{tên tệp: {{...}}}}"
            f" / {MANIFEST_NAME} must map file names to objects"
        )
    return manifest


def document_title(source: str, manifest: dict[str, dict]) -> str:
    """The manifest title, else the file name made readable (``ke-hoach-2024.txt`` → ``Ke hoach 2024``)."""
    name = PurePosixPath(source)
    for key in (source, name.name):
        title = (manifest.get(key) or {}).get("title")
        if title:
            return str(title)
    readable = " ".join(name.stem.replace("_", " ").replace("-", " ").split())
    return readable[:1].upper() + readable[1:] if readable else source
