"""Documents in the index: list, read with line numbers, add (upload) and delete (admin).

Changing the corpus rebuilds the index atomically (``ingest_corpus``) under the serving
state's write lock; if the rebuild fails the corpus file change is undone and the previous
index version keeps serving.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import uuid
from pathlib import Path, PurePosixPath

from fastapi import APIRouter, Depends, File, Query, UploadFile
from starlette.concurrency import run_in_threadpool

from api.deps import current_assistant, serving_state
from api.security import PayloadTooLarge, require_admin, require_read, too_large_message
from api.state import ServingState
from ingest.build import ingest_corpus
from ingest.document_report import report_for
from ingest.loaders import SUPPORTED_SUFFIXES, load_document
from ingest.ocr import OcrOptions
from rag.assistant import Assistant
from rag.errors import (
    Da06Error,
    DocumentNotFound,
    DuplicateDocument,
    EmptyDocument,
    UnsupportedFileType,
)
from rag.index import StoredDocument
from rag.schemas import LoadedDocument
from rag.text import fold

router = APIRouter(prefix="/v1", tags=["documents"])


class IndexingFailed(Da06Error):
    http_status = 422


MAX_STEM_CHARS = 80
READ_CHUNK = 1024 * 1024
# Deleted files wait here during the re-ingest; the loader skips dot-folders.
TRASH_DIR = ".trash"


def safe_filename(name: str | None) -> str:
    """An uploaded name as a safe corpus file name: ascii ``[a-z0-9-]`` stem + known suffix.

    Never a path: directories (``../../x.pdf``, ``C:\\tmp\\x.pdf``) are dropped, Vietnamese
    letters are folded (``Kế hoạch.pdf`` -> ``ke-hoach.pdf``).
    """
    base = re.split(r"[\\/]", name or "")[-1].strip()
    path = PurePosixPath(base)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        raise UnsupportedFileType(
            f"Không hỗ trợ loại tệp “{base[:80]}”; chỉ nhận {supported}"
            f" / unsupported file type “{base[:80]}”; supported: {supported}"
        )
    stem = re.sub(r"[^a-z0-9]+", "-", fold(path.stem)).strip("-")[:MAX_STEM_CHARS].strip("-")
    return f"{stem or 'tai-lieu'}{suffix}"


def _document_lines(document: StoredDocument) -> list[dict]:
    return [
        {"page": page["number"], "n": number, "text": text, **_ocr_mark(page)}
        for page in document.pages
        for number, text in enumerate(page["lines"], start=1)
    ]


def _ocr_mark(page: dict) -> dict:
    """Lines of a scanned page carry its OCR confidence, so the viewer can say so."""
    confidence = page.get("ocr_confidence")
    return {} if confidence is None else {"ocr_confidence": confidence}


@router.get("/documents", dependencies=[Depends(require_read)])
def list_documents(assistant: Assistant = Depends(current_assistant)) -> dict:
    return {"documents": [d.summary() for d in assistant.files.documents.values()]}


def _known(assistant: Assistant, source: str) -> StoredDocument:
    document = assistant.files.documents.get(source)
    if document is None:
        raise DocumentNotFound(
            f"Không có tài liệu “{source}” trong chỉ mục / no document “{source}” in the index"
        )
    return document


@router.get("/documents/{source:path}", dependencies=[Depends(require_read)])
def read_document(
    source: str,
    start: int | None = Query(None, ge=1, description="Dòng đầu (mặc định: từ đầu)"),
    end: int | None = Query(None, ge=1, description="Dòng cuối (mặc định: đến hết)"),
    page: int | None = Query(None, ge=1, description="Chỉ trang này (PDF)"),
    assistant: Assistant = Depends(current_assistant),
) -> dict:
    """A document's lines; a citation viewer asks for a range (Phụ lục 03 is ~16,000 lines)."""
    document = _known(assistant, source)
    lines = [
        line
        for line in _document_lines(document)
        if (page is None or line["page"] == page)
        and (start is None or line["n"] >= start)
        and (end is None or line["n"] <= end)
    ]
    return {"document": document.summary(), "lines": lines}


async def _read_limited(upload: UploadFile, limit: int) -> bytes:
    data = bytearray()
    while chunk := await upload.read(READ_CHUNK):
        data.extend(chunk)
        if len(data) > limit:
            raise PayloadTooLarge(too_large_message(limit))
    return bytes(data)


def _check_parses(data: bytes, name: str, ocr: OcrOptions | None = None) -> LoadedDocument:
    """Load the upload from a private temporary copy, so a bad file never enters the corpus."""
    with tempfile.TemporaryDirectory(prefix="da06-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return load_document(path, Path(folder), ocr)


def _same_text(loaded: LoadedDocument, stored: StoredDocument) -> bool:
    return [list(p.lines) for p in loaded.pages] == [p["lines"] for p in stored.pages]


def _check_new(assistant: Assistant, corpus_dir: Path, name: str, loaded: LoadedDocument) -> None:
    for document in assistant.files.documents.values():
        # Same bytes, or the same text re-exported (PDF/DOCX embed their creation time).
        if document.content_hash == loaded.content_hash or _same_text(loaded, document):
            raise DuplicateDocument(
                f"Tài liệu này đã có trong chỉ mục: {document.source}"
                f" / this document is already indexed as {document.source}"
            )
    if name in assistant.files.documents or (corpus_dir / name).exists():
        raise DuplicateDocument(
            f"Đã có tài liệu tên {name}; hãy đổi tên tệp"
            f" / a document named {name} already exists; rename the file"
        )


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex}.part"
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _reingest(state: ServingState, required: str | None = None) -> str:
    """Rebuild the index from the corpus folder and serve it; returns the new version."""
    try:
        report = ingest_corpus(state.settings, state.settings.corpus_dir)
    except Da06Error:
        raise
    except Exception as exc:  # a parser bug must not become a 500 with a half-changed corpus
        raise IndexingFailed(
            f"Không lập chỉ mục được tài liệu / indexing failed: {type(exc).__name__}: {exc}"
        ) from exc
    if required is not None and required not in report.documents:
        reasons = "; ".join(e for e in report.errors if required in e) or "?"
        raise IndexingFailed(f"Không nạp được {required} / could not load {required}: {reasons}")
    state.refresh()
    return report.version


@router.post("/documents", dependencies=[Depends(require_admin)])
async def add_document(
    file: UploadFile = File(..., description="Tệp .txt (UTF-8), .pdf hoặc .docx"),
    state: ServingState = Depends(serving_state),
) -> dict:
    settings = state.settings
    name = safe_filename(file.filename)
    data = await _read_limited(file, settings.max_upload_bytes)
    if not data.strip():
        raise EmptyDocument(f"Tệp {name} rỗng / file {name} is empty")
    # OCR of a scan takes seconds per page: off the event loop. Settings' OCR limits apply
    # to uploads, and the OCR cache spares the ingest a second read.
    loaded = await run_in_threadpool(_check_parses, data, name, OcrOptions.from_settings(settings))
    # Ingest is CPU-bound and blocking; the threadpool keeps the event loop serving reads.
    return await run_in_threadpool(_add_locked, state, settings.corpus_dir, name, data, loaded)


def _add_locked(
    state: ServingState, corpus_dir: Path, name: str, data: bytes, loaded: LoadedDocument
) -> dict:
    with state.write_lock:
        _check_new(state.assistant, corpus_dir, name, loaded)
        target = corpus_dir / name
        _write_atomically(target, data)
        try:
            version = _reingest(state, name)
        except BaseException:
            # The failed build was discarded; removing the file makes the corpus match the
            # version that is still serving.
            target.unlink(missing_ok=True)
            raise
        assistant = state.assistant
        added = _known(assistant, name)
    return {
        "added": added.summary(),
        "chunks": added.chunk_count,
        "tasks": assistant.tasks.count(name),
        "index_version": version,
        # Tables found, tables that became tasks, tables kept as text, number/date read.
        "document": report_for(state.settings.index_dir / version, name),
    }


@router.delete("/documents/{source:path}", dependencies=[Depends(require_admin)])
def delete_document(source: str, state: ServingState = Depends(serving_state)) -> dict:
    corpus_dir = state.settings.corpus_dir.resolve()
    with state.write_lock:
        _known(state.assistant, source)
        path = (corpus_dir / source).resolve()
        if not path.is_relative_to(corpus_dir) or not path.is_file():
            raise DocumentNotFound(
                f"Tài liệu “{source}” không còn trong thư mục tài liệu"
                f" / “{source}” is not in the corpus folder"
            )
        trash = corpus_dir / TRASH_DIR
        trash.mkdir(exist_ok=True)
        parked = trash / f"{uuid.uuid4().hex}-{path.name}"
        os.replace(path, parked)
        try:
            version = _reingest(state)
        except BaseException:
            os.replace(parked, path)
            raise
        parked.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            trash.rmdir()
    return {"deleted": source, "index_version": version}
