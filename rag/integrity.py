"""Is an index version whole? Checksums written at build time, checked before serving it.

A version folder can be damaged after it was built (a disk error, a truncated copy, a file
deleted by hand). Serving it would answer 500 on every request, or worse, answer from a
silently re-created empty Chroma store; checking first lets the server fall back to the
previous good version or say clearly that no index can be served.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from rag.errors import Da06Error
from rag.index import (
    BM25_DIR,
    CHROMA_DIR,
    CHUNKS_FILE,
    CURRENT_FILE,
    DOCUMENTS_FILE,
    MANIFEST_FILE,
    TASKS_FILE,
)

CHECKSUMS_KEY = "checksums"
# Chroma rewrites its own files when a client opens them: checked by structure and count.
UNCHECKSUMMED = (MANIFEST_FILE, CHROMA_DIR)
REQUIRED = (CHUNKS_FILE, DOCUMENTS_FILE, TASKS_FILE, BM25_DIR)
SQLITE_HEADER = b"SQLite format 3\x00"
CHROMA_DB = "chroma.sqlite3"
# What ``ingest.build`` names versions: a timestamp and a fingerprint prefix.
VERSION_NAME = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{0,99}")


class IndexDamaged(Da06Error):
    http_status = 503


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def file_checksums(version_dir: Path) -> dict[str, str]:
    """``{relative path: sha256}`` of the version's own files (for its manifest)."""
    sums = {}
    for path in sorted(version_dir.rglob("*")):
        relative = path.relative_to(version_dir).as_posix()
        if path.is_file() and relative.split("/")[0] not in UNCHECKSUMMED:
            sums[relative] = _sha256(path)
    return sums


def pointed_version(index_dir: Path) -> str | None:
    """The version ``CURRENT`` names, if it is a plain version name (never a path)."""
    pointer = index_dir / CURRENT_FILE
    if not pointer.is_file():
        return None
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise IndexDamaged(f"Tệp CURRENT không đọc được / CURRENT is unreadable: {exc}") from exc
    if not VERSION_NAME.fullmatch(name):
        raise IndexDamaged(f"Tệp CURRENT không hợp lệ / CURRENT names no version: {name[:40]!r}")
    return name


def built_versions(index_dir: Path) -> list[str]:
    """Complete versions (with a manifest), newest first."""
    if not index_dir.is_dir():
        return []
    names = [p.name for p in index_dir.iterdir() if p.is_dir() and (p / MANIFEST_FILE).is_file()]
    return sorted((n for n in names if VERSION_NAME.fullmatch(n)), reverse=True)


def _damaged(version: str, what: str) -> IndexDamaged:
    return IndexDamaged(f"Chỉ mục {version} bị hỏng / index version {version} is damaged: {what}")


def verify_version(version_dir: Path, embedded_chroma: bool, registry_file: bool = True) -> dict:
    """Raise ``IndexDamaged`` unless every part is present and matches its checksum;
    returns the manifest. ``registry_file`` false: the task registry is in the database."""
    version = version_dir.name
    try:
        manifest = json.loads((version_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _damaged(version, f"manifest.json: {exc}") from exc
    for name in REQUIRED:
        if name == TASKS_FILE and not registry_file:
            continue
        if not (version_dir / name).exists():
            raise _damaged(version, f"{name} is missing")
    if embedded_chroma:
        database = version_dir / CHROMA_DIR / CHROMA_DB
        try:
            header = database.open("rb").read(len(SQLITE_HEADER))
        except OSError as exc:
            raise _damaged(version, f"{CHROMA_DIR}/{CHROMA_DB} is missing") from exc
        if header != SQLITE_HEADER:
            raise _damaged(version, f"{CHROMA_DIR}/{CHROMA_DB} is not a SQLite database")
    for relative, expected in (manifest.get(CHECKSUMS_KEY) or {}).items():
        path = version_dir / relative
        if not path.is_file() or _sha256(path) != expected:
            raise _damaged(version, f"{relative} does not match its checksum")
    return manifest
