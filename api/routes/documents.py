"""Documents in the index: list, read with line numbers, add (upload) and delete (admin).

Adding or deleting is a job (``api.jobs``): the request is checked cheaply and answered
``202 {"job_id", "status_url"}``; parsing, chunking and embedding run in a worker process
under limits (``api.job_worker``), and the corpus changes only once the new index version
is switched in. A failed job changes nothing.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path, PurePosixPath

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.deps import current_assistant
from api.jobs import ADD, DELETE, Job
from api.security import PayloadTooLarge, principal_of, too_large_message
from api.staging import uploaded_file, write_atomically
from api.text_input import single_line, valid_unicode
from ingest.loaders import SUPPORTED_SUFFIXES
from rag.assistant import Assistant
from rag.errors import (
    CorruptDocument,
    DocumentNotFound,
    DuplicateDocument,
    EmptyDocument,
    UnsupportedFileType,
)
from rag.index import StoredDocument
from rag.text import fold

read_router = APIRouter(prefix="/v1", tags=["documents"])
# Adding and deleting (admin): the app includes each router with its role's dependency.
router = APIRouter(prefix="/v1", tags=["documents"])


MAX_STEM_CHARS = 80
READ_CHUNK = 1024 * 1024
MAX_FIELD_CHARS = 300
# What a file of each type starts with: a cheap check before a job is queued.
MAGIC = {".pdf": (b"%PDF-",), ".docx": (b"PK\x03\x04",)}


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


@read_router.get("/documents")
def list_documents(assistant: Assistant = Depends(current_assistant)) -> dict:
    return {"documents": [d.summary() for d in assistant.files.documents.values()]}


def _known(assistant: Assistant, source: str) -> StoredDocument:
    document = assistant.files.documents.get(source)
    if document is None:
        raise DocumentNotFound(
            f"Không có tài liệu “{source}” trong chỉ mục / no document “{source}” in the index"
        )
    return document


@read_router.get("/documents/{source:path}")
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


def manifest_entry(**fields: str | None) -> dict:
    """The manifest fields given with an upload (title, number, date, issuer), one line each."""
    entry = {}
    for name, value in fields.items():
        if value is None or not value.strip():
            continue
        valid_unicode(value)
        entry[name] = single_line(value, MAX_FIELD_CHARS)
    return entry


def check_magic(data: bytes, name: str) -> None:
    prefixes = MAGIC.get(PurePosixPath(name).suffix)
    if prefixes and not data.lstrip()[:8].startswith(prefixes):
        raise CorruptDocument(
            f"Tệp {name} không phải {PurePosixPath(name).suffix} hợp lệ"
            f" / file {name} is not a valid {PurePosixPath(name).suffix} file"
        )


def check_new(assistant: Assistant, corpus_dir: Path, name: str, data: bytes) -> None:
    digest = hashlib.sha256(data).hexdigest()
    for document in assistant.files.documents.values():
        if document.content_hash == digest:
            raise DuplicateDocument(
                f"Tài liệu này đã có trong chỉ mục: {document.source}"
                f" / this document is already indexed as {document.source}"
            )
    if name in assistant.files.documents or (corpus_dir / name).exists():
        raise DuplicateDocument(
            f"Đã có tài liệu tên {name}; hãy đổi tên tệp"
            f" / a document named {name} already exists; rename the file"
        )


def _no_pending(request: Request, name: str) -> None:
    pending = request.app.state.jobs.pending_source(name)
    if pending is not None:
        raise DuplicateDocument(
            f"Tài liệu {name} đang được xử lý (công việc {pending.id})"
            f" / {name} is already being processed (job {pending.id})"
        )


def accepted(request: Request, job: Job, action: str) -> JSONResponse:
    request.app.state.job_runner.wake()
    principal = principal_of(request)
    request.app.state.audit.record(
        principal.subject, action, job.source, "accepted", {"job_id": job.id}
    )
    status_url = f"/v1/jobs/{job.id}"
    return JSONResponse(
        {"job_id": job.id, "status_url": status_url, "state": job.state},
        status_code=202,
        headers={"Location": status_url},
    )


@router.post("/documents", status_code=202)
async def add_document(
    request: Request,
    file: UploadFile = File(..., description="Tệp .txt (UTF-8), .pdf hoặc .docx"),
    title: str | None = Form(None, max_length=MAX_FIELD_CHARS, description="Tiêu đề"),
    number: str | None = Form(None, max_length=MAX_FIELD_CHARS, description="Số hiệu"),
    date: str | None = Form(None, max_length=MAX_FIELD_CHARS, description="Ngày ban hành"),
    issuer: str | None = Form(None, max_length=MAX_FIELD_CHARS, description="Cơ quan ban hành"),
    assistant: Assistant = Depends(current_assistant),
) -> JSONResponse:
    settings = request.app.state.settings
    name = safe_filename(file.filename)
    entry = manifest_entry(title=title, number=number, date=date, issuer=issuer)
    data = await _read_limited(file, settings.max_upload_bytes)
    if not data.strip():
        raise EmptyDocument(f"Tệp {name} rỗng / file {name} is empty")
    check_magic(data, name)
    check_new(assistant, settings.corpus_dir, name, data)
    _no_pending(request, name)
    jobs = request.app.state.jobs
    job_id = jobs.new_id()
    # The file waits in the job's folder; it reaches corpus/ only with its index version.
    await run_in_threadpool(write_atomically, uploaded_file(settings, job_id, name), data)
    job = jobs.create(ADD, name, entry, principal_of(request).subject, job_id=job_id)
    return accepted(request, job, "document.add")


@router.delete("/documents/{source:path}", status_code=202)
def delete_document(
    source: str, request: Request, assistant: Assistant = Depends(current_assistant)
) -> JSONResponse:
    corpus_dir = request.app.state.settings.corpus_dir.resolve()
    path = (corpus_dir / source).resolve()
    on_disk = path.is_relative_to(corpus_dir) and path.is_file()
    # A file left in the corpus but absent from the index (reported at start) is removable too.
    if source not in assistant.files.documents and not on_disk:
        raise DocumentNotFound(
            f"Không có tài liệu “{source}” trong chỉ mục / no document “{source}” in the index"
        )
    _no_pending(request, source)
    job = request.app.state.jobs.create(DELETE, source, None, principal_of(request).subject)
    return accepted(request, job, "document.delete")
