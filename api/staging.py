"""Where a document job keeps its files until its index version is switched in.

``var/jobs/<job_id>/`` holds the uploaded file and a staged copy of the corpus (hard links)
with the change applied; the index is built from the staged copy. Only after the new
version is current does the change reach ``corpus/`` (``commit``), so a failed or killed
job leaves the corpus as it was. ``commit`` is idempotent: recovery after a crash between
the pointer switch and the corpus change simply runs it again.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

from ingest.loaders import MANIFEST_NAME, read_manifest
from rag.settings import Settings

UPLOAD_DIR = "upload"
STAGED_CORPUS_DIR = "corpus"
SETTINGS_FILE = "settings.json"


def jobs_dir(settings: Settings) -> Path:
    return settings.index_dir.parent / "jobs"


def job_dir(settings: Settings, job_id: str) -> Path:
    return jobs_dir(settings) / job_id


def uploaded_file(settings: Settings, job_id: str, source: str) -> Path:
    return job_dir(settings, job_id) / UPLOAD_DIR / source


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed
        shutil.copy2(source, target)


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex}.part"
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _write_manifest(corpus_dir: Path, manifest: dict) -> None:
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    write_atomically(corpus_dir / MANIFEST_NAME, text.encode("utf-8"))


def changed_manifest(manifest: dict, source: str, entry: dict | None) -> dict:
    """The manifest with ``source``'s entry set (``entry``) or removed (None); pure."""
    changed = {k: v for k, v in manifest.items() if k != source}
    if entry is not None:
        changed[source] = {**manifest.get(source, {}), **entry}
    return changed


def stage_corpus(
    corpus_dir: Path, staged: Path, source: str, added: Path | None, entry: dict | None
) -> None:
    """``staged`` = the corpus with ``source`` added from ``added`` (or removed when None)."""
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir(parents=True)
    for path in sorted(corpus_dir.rglob("*")):
        relative = path.relative_to(corpus_dir)
        skip = any(p.startswith(".") for p in relative.parts) or not path.is_file()
        if skip or relative.as_posix() in (MANIFEST_NAME, source):
            continue
        _link_or_copy(path, staged / relative)
    if added is not None:
        _link_or_copy(added, staged / source)
    _write_manifest(staged, changed_manifest(read_manifest(corpus_dir), source, entry))


def commit_add(corpus_dir: Path, source: str, added: Path, entry: dict) -> None:
    if added.exists():
        target = corpus_dir / source
        _link_or_copy(added, corpus_dir / f".{source}.incoming")
        os.replace(corpus_dir / f".{source}.incoming", target)
    manifest = read_manifest(corpus_dir)
    if entry and manifest.get(source) != {**manifest.get(source, {}), **entry}:
        _write_manifest(corpus_dir, changed_manifest(manifest, source, entry))


def commit_delete(corpus_dir: Path, source: str) -> None:
    (corpus_dir / source).unlink(missing_ok=True)
    manifest = read_manifest(corpus_dir)
    if source in manifest:
        _write_manifest(corpus_dir, changed_manifest(manifest, source, None))


def discard(settings: Settings, job_id: str) -> None:
    shutil.rmtree(job_dir(settings, job_id), ignore_errors=True)
