"""Build an index version from a corpus folder, atomically.

The new version is written beside the current one and becomes current only when it is
complete (pointer swap); any failure removes the partial version and leaves the previous
one serving. An unchanged corpus (same files, manifest, model and pipeline) is a no-op.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import bm25s

from ingest.chunking import chunk_document
from ingest.document_report import document_report
from ingest.loaders import load_corpus, read_manifest
from ingest.metadata import with_metadata
from ingest.ocr import OcrOptions, mark_ocr_chunks
from ingest.ocr_cache import OCR_PIPELINE_VERSION
from ingest.structure import parse_blocks
from ingest.tasks import extract_tasks
from rag.chroma import chroma_client, collection_name, vector_store
from rag.embedding_cache import CachedEmbeddings
from rag.embeddings import shared_embeddings
from rag.errors import NothingIngested
from rag.index import (
    BM25_DIR,
    CHROMA_DIR,
    CHUNKS_FILE,
    DOCUMENTS_FILE,
    MANIFEST_FILE,
    chunk_to_row,
    current_version,
    set_current_version,
    write_jsonl,
)
from rag.index import (
    read_manifest as read_index_manifest,
)
from rag.integrity import CHECKSUMS_KEY, file_checksums
from rag.links import write_links
from rag.registry_db import drop_registry, prune_registries, registry_writer
from rag.schemas import Chunk, LoadedDocument, TaskRecord
from rag.settings import Settings
from rag.task_groups import write_groups
from rag.taskstore import write_tasks
from rag.text import index_tokens

# Bump when parsing or chunking changes, so an unchanged corpus is still rebuilt.
PIPELINE_VERSION = "9"
KEEP_VERSIONS = 3
# Chunks handed to Chroma (and so to one model.encode call) at a time. sentence-transformers
# sorts each call's texts by length before batching, so a large call pads less; measured on
# the shipped corpus, 128 per call padded 161.7k word pieces for 146.2k real ones.
EMBED_BATCH = 1024

Progress = Callable[[str, int, int], None]


@dataclass
class IngestReport:
    version: str
    skipped: bool
    documents: list[str] = field(default_factory=list)
    chunks: int = 0
    tasks: int = 0
    embedded: int = 0
    reused: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # Per document: tables found, how many became task rows, tables kept as text (by name),
    # and the number/date/title used (see DocumentReport).
    document_reports: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def corpus_fingerprint(docs: list[LoadedDocument], manifest: dict, settings: Settings) -> str:
    digest = hashlib.sha256()
    for doc in sorted(docs, key=lambda d: d.source):
        digest.update(f"{doc.source}\0{doc.content_hash}\n".encode())
    digest.update(json.dumps(manifest, sort_keys=True, ensure_ascii=False).encode())
    digest.update(
        f"{settings.embedding_model}\0{PIPELINE_VERSION}\0{settings.chunk_max_tokens}\0{settings.prose_max_tokens}\0{settings.dense_max_tokens}".encode()
    )
    if any(page.ocr_confidence is not None for doc in docs for page in doc.pages):
        # Same scan bytes, better OCR: the index must be rebuilt too.
        digest.update(f"ocr{OCR_PIPELINE_VERSION}".encode())
    return digest.hexdigest()


def _title(source: str, entry: dict) -> str:
    return entry.get("title") or Path(source).stem.replace("-", " ").replace("_", " ").capitalize()


@dataclass
class ParsedDocument:
    doc: LoadedDocument
    entry: dict
    chunks: list[Chunk]
    tasks: list[TaskRecord]

    def report(self) -> dict:
        return document_report(self.doc, self.entry, self.tasks).to_dict()


def parse_document(doc: LoadedDocument, entry: dict, settings: Settings) -> ParsedDocument:
    # Number, date and title printed on page one fill what the manifest leaves out.
    entry = with_metadata(entry, doc.pages[0].lines if doc.pages else ())
    title = _title(doc.source, entry)
    blocks = parse_blocks(doc)
    tasks = extract_tasks(doc, blocks, title)
    by_line = {(t.page, t.line_start): t for t in tasks}
    chunks = chunk_document(
        blocks,
        title,
        entry.get("kind") or "document",
        by_line,
        settings.chunk_max_tokens,
        settings.prose_max_tokens,
    )
    return ParsedDocument(
        doc=doc, entry=entry, chunks=mark_ocr_chunks(chunks, doc.pages), tasks=tasks
    )


def _document_row(parsed: ParsedDocument) -> dict:
    entry = parsed.entry
    return {
        "source": parsed.doc.source,
        "title": _title(parsed.doc.source, entry),
        "kind": entry.get("kind") or "document",
        "issuer": entry.get("issuer"),
        "number": entry.get("number"),
        "date": entry.get("date"),
        "content_hash": parsed.doc.content_hash,
        "pages": [
            {"number": p.number, "lines": list(p.lines), "ocr_confidence": p.ocr_confidence}
            for p in parsed.doc.pages
        ],
        "chunk_count": len(parsed.chunks),
        "aliases": list(entry.get("aliases") or []),
        "short_title": entry.get("short_title"),
    }


def _new_version(fingerprint: str) -> str:
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{fingerprint[:8]}"


def ingest_corpus(
    settings: Settings,
    corpus_dir: Path | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> IngestReport:
    """Load, parse and index ``corpus_dir``; returns what was done. Raises NothingIngested."""
    started = time.perf_counter()
    corpus_dir = corpus_dir or settings.corpus_dir
    index_dir = settings.index_dir
    on_page = (lambda done, total: progress("ocr", done, total)) if progress else None
    docs, errors = load_corpus(corpus_dir, OcrOptions.from_settings(settings, on_page))
    if not docs:
        raise NothingIngested(
            "Không có tài liệu nào dùng được trong "
            f"{corpus_dir} / nothing usable in {corpus_dir}: " + "; ".join(errors)
        )
    manifest = read_manifest(corpus_dir)
    fingerprint = corpus_fingerprint(docs, manifest, settings)
    current = current_version(index_dir)
    if current and not force:
        existing = read_index_manifest(index_dir / current)
        if existing.get("fingerprint") == fingerprint:
            return IngestReport(
                version=current,
                skipped=True,
                documents=[d.source for d in docs],
                chunks=existing.get("chunk_count", 0),
                tasks=existing.get("task_count", 0),
                errors=errors,
                seconds=time.perf_counter() - started,
                document_reports=existing.get("document_reports", []),
            )
    version = _new_version(fingerprint)
    version_dir = index_dir / version
    try:
        report = _build_version(
            settings, docs, manifest, fingerprint, version, version_dir, errors, progress
        )
    except BaseException:
        _discard_version(settings, version, version_dir)
        raise
    set_current_version(index_dir, version)
    _prune_versions(settings, keep=version)
    report.seconds = time.perf_counter() - started
    return report


def _build_version(
    settings: Settings,
    docs: list[LoadedDocument],
    manifest: dict,
    fingerprint: str,
    version: str,
    version_dir: Path,
    errors: list[str],
    progress: Progress | None,
) -> IngestReport:
    version_dir.mkdir(parents=True, exist_ok=False)
    parsed: list[ParsedDocument] = []
    for position, doc in enumerate(docs, start=1):
        parsed.append(parse_document(doc, manifest.get(doc.source, {}), settings))
        if progress:
            progress("parse", position, len(docs))
    chunks = [c for p in parsed for c in p.chunks]
    tasks = [t for p in parsed for t in p.tasks]
    write_jsonl(version_dir / CHUNKS_FILE, [chunk_to_row(c) for c in chunks])
    write_jsonl(version_dir / DOCUMENTS_FILE, [_document_row(p) for p in parsed])
    with registry_writer(settings, version, version_dir) as registry:
        write_tasks(registry, tasks)
        write_groups(registry, tasks)
        write_links(registry, tasks)
    _write_bm25(version_dir / BM25_DIR, chunks)
    embedded, reused = _write_vectors(settings, version, version_dir, chunks, progress)
    created = datetime.now(UTC).isoformat(timespec="seconds")
    index_manifest = {
        "version": version,
        "fingerprint": fingerprint,
        "pipeline_version": PIPELINE_VERSION,
        "created": created,
        "embedding_model": settings.embedding_model,
        "chunk_count": len(chunks),
        "task_count": len(tasks),
        "files": {d.source: d.content_hash for d in docs},
        "errors": errors,
        "document_reports": [p.report() for p in parsed],
        CHECKSUMS_KEY: file_checksums(version_dir),
    }
    (version_dir / MANIFEST_FILE).write_text(
        json.dumps(index_manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return IngestReport(
        version=version,
        skipped=False,
        documents=[d.source for d in docs],
        chunks=len(chunks),
        tasks=len(tasks),
        embedded=embedded,
        reused=reused,
        errors=errors,
        warnings=[w for d in docs for w in d.warnings],
        document_reports=index_manifest["document_reports"],
    )


def _write_bm25(path: Path, chunks: list[Chunk]) -> None:
    retriever = bm25s.BM25()
    retriever.index([index_tokens(c.text) for c in chunks], show_progress=False)
    retriever.save(str(path))


def _write_vectors(
    settings: Settings,
    version: str,
    version_dir: Path,
    chunks: list[Chunk],
    progress: Progress | None,
) -> tuple[int, int]:
    embeddings = CachedEmbeddings(
        shared_embeddings(
            settings.embedding_model, settings.embedding_batch_size, settings.dense_max_tokens
        ),
        f"{settings.embedding_model}@{settings.dense_max_tokens}",
        settings.embedding_cache_path,
    )
    store = vector_store(settings, version_dir / CHROMA_DIR, version, embeddings)
    for start in range(0, len(chunks), EMBED_BATCH):
        batch = chunks[start : start + EMBED_BATCH]
        store.add_texts(
            texts=[c.dense_text for c in batch],
            metadatas=[c.metadata() for c in batch],
            ids=[c.id for c in batch],
        )
        if progress:
            progress("embed", min(start + EMBED_BATCH, len(chunks)), len(chunks))
    return embeddings.computed, embeddings.reused


def _discard_version(settings: Settings, version: str, version_dir: Path) -> None:
    if settings.database_url:
        with contextlib.suppress(Exception):
            drop_registry(settings, version)
    if settings.chroma_host:
        # Best effort: the server may be unreachable, and the failure being handled matters more.
        with contextlib.suppress(Exception):
            chroma_client(settings, version_dir).delete_collection(
                collection_name(settings, version)
            )
    shutil.rmtree(version_dir, ignore_errors=True)


def _prune_versions(settings: Settings, keep: str) -> None:
    """Keep the newest versions (a reader may still hold the previous one open)."""
    index_dir = settings.index_dir
    versions = sorted(
        p.name for p in index_dir.iterdir() if p.is_dir() and (p / MANIFEST_FILE).exists()
    )
    for name in versions[:-KEEP_VERSIONS]:
        if name != keep:
            _discard_version(settings, name, index_dir / name)
    # Registries whose folder is gone (pruned by another machine, or a build killed after
    # its registry was committed).
    prune_registries(settings, keep=set(versions[-KEEP_VERSIONS:]) | {keep}, newest=keep)
