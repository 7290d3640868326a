"""Runs queued document jobs one at a time, each in a fresh worker process, with a watchdog.

One runner thread per API process; several processes (uvicorn ``--workers``) coordinate
through an exclusive ``flock`` on ``var/jobs/.lock``, so builds never overlap. Worker
processes come from a ``forkserver`` that imported the heavy libraries once: a job starts
in well under a second, and the forkserver itself stays single-threaded (forking the
multi-threaded server directly can deadlock in torch/OpenMP).

The watchdog kills a worker over its wall time or resident memory and fails its job with
the reason; then ``settle`` makes the corpus match whatever index version is current.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import multiprocessing
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from api.job_limits import JobLimits
from api.jobs import ADD, Job, JobStore
from api.staging import commit_add, commit_delete, discard, jobs_dir, uploaded_file
from rag.index import MANIFEST_FILE, current_version, read_manifest
from rag.settings import Settings

log = logging.getLogger(__name__)

POLL_S = 0.2
IDLE_WAIT_S = 2.0
LOCK_FILE = ".lock"
# Imported once in the forkserver, so each worker starts with them loaded.
PRELOAD = ["api.job_preload"]

_context_lock = threading.Lock()
_context: multiprocessing.context.BaseContext | None = None


def worker_context() -> multiprocessing.context.BaseContext:
    global _context
    with _context_lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            _context = context
        return _context


def start_forkserver() -> None:
    """Start the forkserver now (it takes seconds to import), not at the first upload."""
    worker_context()
    from multiprocessing import forkserver

    forkserver.ensure_running()


@contextlib.contextmanager
def exclusive(settings: Settings, blocking: bool = True) -> Iterator[bool]:
    """The cross-process job lock; yields False when ``blocking`` is off and it is taken."""
    folder = jobs_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / LOCK_FILE).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def resident_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _applied(settings: Settings, job: Job) -> bool:
    """Whether the current index version already holds the job's change."""
    version = current_version(settings.index_dir)
    if version is None:
        return False
    files = read_manifest(settings.index_dir / version).get("files", {})
    if job.kind == ADD:
        path = uploaded_file(settings, job.id, job.source)
        if not path.exists() or job.source not in files:
            return False
        return files[job.source] == hashlib.sha256(path.read_bytes()).hexdigest()
    return job.source not in files


def settle(settings: Settings, store: JobStore, job: Job, reason: str) -> None:
    """After a worker ended without a verdict (killed, crashed, server restarted): finish the
    job if its version was switched in (and bring the corpus along), else fail it."""
    if _applied(settings, job):
        if job.kind == ADD:
            commit_add(
                settings.corpus_dir,
                job.source,
                uploaded_file(settings, job.id, job.source),
                job.entry,
            )
        else:
            commit_delete(settings.corpus_dir, job.source)
        store.finish(job.id, {"source": job.source, "recovered": True})
    else:
        store.fail(job.id, reason)


def prune_partial_versions(settings: Settings) -> list[str]:
    """Version folders without a manifest were being written when a build died."""
    index_dir = settings.index_dir
    if not index_dir.is_dir():
        return []
    pruned = []
    for path in index_dir.iterdir():
        if path.is_dir() and not (path / MANIFEST_FILE).exists():
            shutil.rmtree(path, ignore_errors=True)
            pruned.append(path.name)
    return pruned


def _watch(process: multiprocessing.process.BaseProcess, limits: JobLimits) -> str | None:
    """Wait for the worker; returns why it was killed, or None if it ended by itself."""
    started = time.monotonic()
    while process.is_alive():
        if time.monotonic() - started > limits.wall_time_s:
            process.kill()
            process.join()
            return (
                f"Quá thời gian xử lý cho phép ({limits.wall_time_s:.0f} s) / "
                f"the job exceeded its wall-time limit ({limits.wall_time_s:.0f} s)"
            )
        if resident_bytes(process.pid or 0) > limits.memory_bytes:
            process.kill()
            process.join()
            mb = limits.memory_bytes // (1024 * 1024)
            return (
                f"Tài liệu cần quá nhiều bộ nhớ (giới hạn {mb} MB) / "
                f"the document needs too much memory (limit {mb} MB)"
            )
        process.join(POLL_S)
    return None


def run_one(settings: Settings, store: JobStore, job: Job) -> None:
    from api.job_worker import run_job

    process = worker_context().Process(
        target=run_job,
        args=(settings.model_dump_json(), str(store.path), job.id),
        name=f"da06-job-{job.id[:8]}",
        daemon=True,
    )
    process.start()
    store.progress(job.id, "starting", 0.01, pid=process.pid)
    killed = _watch(process, JobLimits.from_settings(settings))
    reason = killed or (
        f"Tiến trình xử lý dừng bất thường (mã {process.exitcode}) / the worker process died (exit {process.exitcode})"
    )
    process.close()
    current = store.get(job.id)
    if current is not None and current.state not in ("done", "failed"):
        settle(settings, store, current, reason)
    prune_partial_versions(settings)
    discard(settings, job.id)


class JobRunner:
    """The per-process runner thread; ``on_switch`` reloads the serving state after a job."""

    def __init__(
        self,
        settings: Settings,
        store: JobStore,
        on_switch: Callable[[], None],
        on_finished: Callable[[Job], None] | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.on_switch = on_switch
        self.on_finished = on_finished
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="da06-jobs", daemon=True)

        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run_pending(self) -> int:
        """Run queued jobs until none is left (or another process holds the lock)."""
        ran = 0
        while not self._stop.is_set():
            with exclusive(self.settings, blocking=False) as mine:
                if not mine:
                    return ran
                job = self.store.claim_next()
                if job is None:
                    return ran
                run_one(self.settings, self.store, job)
                ran += 1
                finished = self.store.get(job.id)
                if self.on_finished is not None and finished is not None:
                    self.on_finished(finished)
            self.on_switch()
        return ran

    def _loop(self) -> None:
        try:
            start_forkserver()
        except Exception:  # jobs will try again when they start their worker
            log.exception("starting the job forkserver")
        while not self._stop.is_set():
            try:
                self.run_pending()
            except Exception:  # keep the runner alive; the job itself was failed or settled
                log.exception("document job runner")
            self._wake.wait(IDLE_WAIT_S)
            self._wake.clear()
