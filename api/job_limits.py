"""What one uploaded document may cost, checked in the job's worker process.

Each check runs before the expensive step it guards: the zip directory (DOCX) before any
XML is inflated, the PDF page count before any page is extracted, the character count
before structure parsing, the chunk count before embedding. Memory and wall time are
enforced on the worker process itself (``api.job_worker``, ``api.job_runner``).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from rag.errors import Da06Error
from rag.schemas import LoadedDocument
from rag.settings import Settings


class LimitExceeded(Da06Error):
    http_status = 422


@dataclass(frozen=True)
class JobLimits:
    decompressed_bytes: int
    pages: int
    characters: int
    chunks: int
    wall_time_s: float
    memory_bytes: int

    @classmethod
    def from_settings(cls, settings: Settings) -> JobLimits:
        return cls(
            decompressed_bytes=settings.job_max_decompressed_bytes,
            pages=settings.job_max_pages,
            characters=settings.job_max_characters,
            chunks=settings.job_max_chunks,
            wall_time_s=settings.job_wall_time_s,
            memory_bytes=settings.job_memory_mb * 1024 * 1024,
        )


def _over(what_vi: str, what_en: str, found: int, limit: int) -> LimitExceeded:
    return LimitExceeded(
        f"Tài liệu vượt giới hạn {what_vi}: {found:,} > {limit:,}"
        f" / the document exceeds the {what_en} limit: {found:,} > {limit:,}"
    )


def declared_unzipped_size(path: Path) -> int:
    """Total uncompressed size a DOCX (zip) declares; a lying entry fails its CRC on read."""
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return 0  # not a zip: the DOCX loader reports it as corrupt


def declared_page_count(path: Path) -> int:
    """The page tree's ``/Count``, read without visiting any page."""
    try:
        reader = PdfReader(path, strict=False)
        return int(reader.trailer["/Root"]["/Pages"]["/Count"])
    except (PdfReadError, KeyError, TypeError, ValueError, OSError):
        return 0  # unreadable: the PDF loader reports it as corrupt


def check_file(path: Path, limits: JobLimits) -> None:
    suffix = path.suffix.lower()
    if suffix == ".docx":
        size = declared_unzipped_size(path)
        if size > limits.decompressed_bytes:
            raise _over("dung lượng giải nén", "decompressed size", size, limits.decompressed_bytes)
    if suffix == ".pdf":
        pages = declared_page_count(path)
        if pages > limits.pages:
            raise _over("số trang", "page", pages, limits.pages)


def check_loaded(document: LoadedDocument, limits: JobLimits) -> None:
    pages = len(document.pages)
    if pages > limits.pages:
        raise _over("số trang", "page", pages, limits.pages)
    characters = sum(len(line) + 1 for page in document.pages for line in page.lines)
    if characters > limits.characters:
        raise _over("số ký tự", "character", characters, limits.characters)


def check_chunks(count: int, limits: JobLimits) -> None:
    if count > limits.chunks:
        raise _over("số đoạn (chunk)", "chunk", count, limits.chunks)
