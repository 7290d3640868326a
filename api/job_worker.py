"""The worker process of one document job: check limits, parse, build, switch, commit.

Runs in its own process (started by ``api.job_runner``) under resource limits, so a
decompression bomb or a 100,000-page PDF costs that process, never the API server: the
address space is capped with ``setrlimit``, the process runs niced, and it dies with the
server. Every outcome is written to the job store; a Python-level failure becomes a failed
job with its reason, anything worse is noticed by the runner's watchdog.
"""

from __future__ import annotations

import contextlib
import ctypes
import inspect
import os
import resource
import signal
from pathlib import Path

from api.job_limits import JobLimits, check_chunks, check_file, check_loaded
from api.jobs import ADD, Job, JobStore
from api.staging import (
    STAGED_CORPUS_DIR,
    commit_add,
    commit_delete,
    job_dir,
    stage_corpus,
    uploaded_file,
)
from ingest.build import IngestReport, ingest_corpus, parse_document
from ingest.document_report import report_for
from ingest.loaders import load_document
from ingest.ocr import OcrOptions
from rag.errors import Da06Error, DuplicateDocument
from rag.index import DOCUMENTS_FILE, current_version, read_jsonl
from rag.schemas import LoadedDocument
from rag.settings import Settings
from rag.taskstore import TaskStore

PR_SET_PDEATHSIG = 1
# Share of the progress bar each build stage reported by ``ingest_corpus`` covers.
STAGE_SPANS = {"load": (0.0, 0.1), "parse": (0.2, 0.4), "embed": (0.4, 0.93)}
MEMORY_MESSAGE = (
    "Tài liệu cần quá nhiều bộ nhớ (giới hạn {mb} MB) / "
    "the document needs too much memory (limit {mb} MB)"
)


def _address_space() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


def limit_this_process(limits: JobLimits) -> None:
    """Cap what this process may take on top of what it already maps (the loaded libraries)."""
    ceiling = _address_space() + limits.memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    with contextlib.suppress(OSError):
        os.nice(10)  # the API keeps answering while a job parses and embeds
    with contextlib.suppress(Exception):
        import torch

        torch.set_num_threads(1)  # one core for the job, the other for the API
    with contextlib.suppress(OSError, AttributeError):
        # Die with the parent: an orphaned worker must not switch an index after a restart.
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class JobProgress:
    """Turns build callbacks into the job's stage and 0–1 progress in the shared store."""

    def __init__(self, store: JobStore, job_id: str) -> None:
        self.store = store
        self.job_id = job_id

    def stage(self, name: str, progress: float) -> None:
        self.store.progress(self.job_id, name, progress, pid=os.getpid())

    def __call__(self, stage: str, done: int, total: int) -> None:
        low, high = STAGE_SPANS.get(stage, (0.4, 0.93))
        self.stage(stage, low + (high - low) * (done / total if total else 1.0))

    def on_page(self, done: int, total: int) -> None:
        """For loaders that report pages (OCR): the load stage's share of the bar."""
        self("load", done, total)


def _indexed_documents(settings: Settings) -> list[dict]:
    version = current_version(settings.index_dir)
    if version is None:
        return []
    return read_jsonl(settings.index_dir / version / DOCUMENTS_FILE)


def check_not_indexed(loaded: LoadedDocument, indexed: list[dict]) -> None:
    lines = [list(p.lines) for p in loaded.pages]
    for row in indexed:
        # Same bytes, or the same text re-exported (PDF/DOCX embed their creation time).
        if row["content_hash"] == loaded.content_hash or lines == [
            p["lines"] for p in row["pages"]
        ]:
            raise DuplicateDocument(
                f"Tài liệu này đã có trong chỉ mục: {row['source']}"
                f" / this document is already indexed as {row['source']}"
            )


def _build(settings: Settings, staged: Path, progress: JobProgress) -> IngestReport:
    options = {}
    if "on_page" in inspect.signature(ingest_corpus).parameters:
        options["on_page"] = progress.on_page
    return ingest_corpus(settings, staged, progress=progress, **options)


def document_summary(settings: Settings, version: str, source: str, report: IngestReport) -> dict:
    """What the build reports about one document: manifest fields, chunks, tables, tasks."""
    version_dir = settings.index_dir / version
    summary: dict = {"source": source}
    for row in read_jsonl(version_dir / DOCUMENTS_FILE):
        if row["source"] == source:
            keep = ("title", "kind", "issuer", "number", "date", "chunk_count")
            summary.update({k: row.get(k) for k in keep})
    tasks = TaskStore.for_version(settings, version_dir)
    try:
        summary["tasks"] = tasks.count(source)
    finally:
        tasks.close()
    summary.setdefault("tables", None)
    # Tables found, tables that became tasks, tables kept as text, number/date read.
    summary.update(report_for(version_dir, source) or {})
    # A build that reports per-document counts (tables, task rows, OCR pages) adds them here.
    for value in vars(report).values():
        if isinstance(value, dict) and isinstance(value.get(source), dict):
            summary.update(value[source])
    return summary


def run_add(settings: Settings, job: Job, progress: JobProgress, limits: JobLimits) -> dict:
    path = uploaded_file(settings, job.id, job.source)
    progress.stage("load", 0.02)
    check_file(path, limits)
    # Settings' OCR limits apply to scans, with per-page progress; the OCR cache spares the
    # build a second read.
    loaded = load_document(path, path.parent, OcrOptions.from_settings(settings, progress.on_page))
    check_loaded(loaded, limits)
    check_not_indexed(loaded, _indexed_documents(settings))
    progress.stage("parse", 0.12)
    check_chunks(len(parse_document(loaded, job.entry, settings).chunks), limits)
    staged = job_dir(settings, job.id) / STAGED_CORPUS_DIR
    stage_corpus(settings.corpus_dir, staged, job.source, path, job.entry)
    report = _build(settings, staged, progress)
    if job.source not in report.documents:
        reasons = "; ".join(e for e in report.errors if job.source in e) or "?"
        raise Da06Error(f"Không nạp được {job.source} / could not load {job.source}: {reasons}")
    progress.stage("switch", 0.95)
    commit_add(settings.corpus_dir, job.source, path, job.entry)
    return document_summary(settings, report.version, job.source, report)


def run_delete(settings: Settings, job: Job, progress: JobProgress) -> dict:
    staged = job_dir(settings, job.id) / STAGED_CORPUS_DIR
    progress.stage("stage", 0.05)
    stage_corpus(settings.corpus_dir, staged, job.source, None, None)
    report = _build(settings, staged, progress)
    progress.stage("switch", 0.95)
    commit_delete(settings.corpus_dir, job.source)
    return {"source": job.source, "deleted": True, "index_version": report.version}


def run_job(settings_json: str, store_path: str, job_id: str) -> None:
    """Process entry point: everything the job does, ending in ``finish`` or ``fail``."""
    settings = Settings.model_validate_json(settings_json)
    limits = JobLimits.from_settings(settings)
    limit_this_process(limits)
    store = JobStore(Path(store_path))
    try:
        job = store.get(job_id)
        if job is None:
            return
        progress = JobProgress(store, job_id)
        if job.kind == ADD:
            document = run_add(settings, job, progress, limits)
        else:
            document = run_delete(settings, job, progress)
        store.finish(job_id, document)
    except Da06Error as exc:
        store.fail(job_id, str(exc))
    except MemoryError:
        store.fail(job_id, MEMORY_MESSAGE.format(mb=settings.job_memory_mb))
    except Exception as exc:  # a parser bug fails this job, not the server
        store.fail(
            job_id, f"Lỗi khi xử lý tài liệu / processing failed: {type(exc).__name__}: {exc}"
        )
    finally:
        store.close()
