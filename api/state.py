"""The serving state: the loaded assistant for the current index version, swapped on re-ingest.

Requests borrow the assistant through ``lease()``; a swap retires the old one, and it is
closed (Chroma client, SQLite, its memory) when its last lease ends, so swaps do not pile
up open files. A version is verified before it serves (``rag.integrity``); a damaged one
is skipped for the previous good version, and when none is left every request gets a 503
that says why.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from rag.assistant import Assistant
from rag.errors import IndexNotFound
from rag.integrity import IndexDamaged, built_versions, pointed_version, verify_version
from rag.registry_db import RegistryMissing, check_registry
from rag.settings import Settings

log = logging.getLogger(__name__)

# How often a worker looks at the index pointer: several API workers share one index folder
# (and a Chroma server), and one of them may have switched to a new version.
POINTER_CHECK_S = 2.0


@dataclass
class _Held:
    assistant: Assistant
    leases: int = 0
    retired: bool = False


def _vector_count(assistant: Assistant) -> int | None:
    vectors = assistant.searcher.vectors
    if vectors is None:
        return None
    return vectors._collection.count()


def load_verified(settings: Settings, version: str, dense: bool) -> Assistant:
    """Load ``version`` after checking its files; a store with missing vectors is damaged."""
    embedded = dense and not settings.chroma_host
    manifest = verify_version(
        settings.index_dir / version,
        embedded_chroma=embedded,
        registry_file=not settings.database_url,
    )
    try:
        check_registry(settings, version, manifest.get("task_count"))
    except RegistryMissing as exc:
        raise IndexDamaged(str(exc)) from exc
    try:
        assistant = Assistant.load(settings, dense=dense, version=version)
    except Exception as exc:  # unreadable parts: JSON, bm25 arrays, SQLite
        raise IndexDamaged(
            f"Chỉ mục {version} không nạp được / index version {version} cannot be loaded: "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    expected = manifest.get("chunk_count")
    found = _vector_count(assistant) if embedded else None
    if found is not None and expected is not None and found != expected:
        close_assistant(assistant)
        raise IndexDamaged(
            f"Chỉ mục {version} thiếu vectơ ({found}/{expected}) / "
            f"index version {version} has {found} of {expected} vectors"
        )
    return assistant


def _return_freed_memory() -> None:
    # A version's arrays and strings are freed into malloc's arenas, which glibc keeps:
    # measured +40 MB RSS over 20 swaps without this, flat with it.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def close_assistant(assistant: Assistant) -> None:
    try:
        assistant.close()
    except Exception:  # closing must never fail a request
        log.exception("closing index version %s", assistant.version)
    gc.collect()
    _return_freed_memory()


class ServingState:
    """Holds one ``Assistant``; a new index version is loaded aside and swapped in one assignment."""

    def __init__(self, settings: Settings, dense: bool = True) -> None:
        self.settings = settings
        self.dense = dense
        self._held: _Held | None = None
        self._lock = threading.Lock()
        self._load_lock = threading.Lock()
        self._checked_at = 0.0
        # Versions found damaged, with the reason: never retried until they change.
        self.rejected: dict[str, str] = {}
        self.warm_up_ms: float | None = None

    # ---- loading ---------------------------------------------------------------------

    def _candidates(self) -> list[str]:
        index_dir = self.settings.index_dir
        try:
            pointed = pointed_version(index_dir)
        except IndexDamaged as exc:
            self.rejected["CURRENT"] = str(exc)
            pointed = None
        if pointed is None and "CURRENT" not in self.rejected:
            raise IndexNotFound(
                f"Chưa có chỉ mục trong {index_dir}; hãy chạy 'da06 ingest' / "
                f"no index in {index_dir}; run 'da06 ingest'"
            )
        older = [v for v in built_versions(index_dir) if v != pointed]
        return ([pointed] if pointed else []) + older

    def _load_best(self) -> Assistant:
        for version in self._candidates():
            if version in self.rejected:
                continue
            try:
                assistant = load_verified(self.settings, version, self.dense)
            except IndexDamaged as exc:
                log.error("%s", exc)
                self.rejected[version] = str(exc)
                continue
            if self.rejected:
                log.warning("serving index version %s; skipped: %s", version, self.rejected)
            return assistant
        reasons = "; ".join(self.rejected.values())
        raise IndexDamaged(
            "Không có phiên bản chỉ mục nào dùng được; hãy chạy lại 'da06 ingest' / "
            f"no usable index version; run 'da06 ingest' again ({reasons})"
        )

    def _install(self, assistant: Assistant) -> None:
        with self._lock:
            old, self._held = self._held, _Held(assistant)
            close_now = old is not None and old.leases == 0
            if old is not None:
                old.retired = True
        if close_now and old is not None:
            close_assistant(old.assistant)

    def _current(self) -> _Held:
        if self._held is None:
            with self._load_lock:
                if self._held is None:
                    self._install(self._load_best())
                    self._checked_at = time.monotonic()
        elif time.monotonic() - self._checked_at > POINTER_CHECK_S:
            self._checked_at = time.monotonic()
            self.refresh()
        held = self._held
        assert held is not None
        return held

    # ---- serving -----------------------------------------------------------------------

    @contextlib.contextmanager
    def lease(self) -> Iterator[Assistant]:
        """The current assistant, kept open until the block ends even if a swap happens."""
        while True:
            held = self._current()
            with self._lock:
                if not held.retired:
                    held.leases += 1
                    break
        try:
            yield held.assistant
        finally:
            with self._lock:
                held.leases -= 1
                close_now = held.retired and held.leases == 0
            if close_now:
                close_assistant(held.assistant)

    @property
    def assistant(self) -> Assistant:
        """The current assistant without a lease (health checks, tests)."""
        return self._current().assistant

    @property
    def version(self) -> str | None:
        held = self._held
        return held.assistant.version if held else None

    @property
    def warmed(self) -> bool:
        return self.warm_up_ms is not None

    def warm_up(self) -> bool:
        """Load the current index and answer the warm-up questions once (rag/warmup.py); False
        when there is no usable index yet (the server starts and warms up with the first)."""
        if self.warmed:
            return True
        try:
            with self.lease() as assistant:
                self.warm_up_ms = assistant.warm_up()
        except (IndexNotFound, IndexDamaged):
            return False
        return True

    def ready(self) -> bool:
        try:
            return self.assistant is not None
        except (IndexNotFound, IndexDamaged):
            return False

    def refresh(self) -> None:
        """Load the current version if it changed (after an ingest by this or another worker)."""
        try:
            latest = pointed_version(self.settings.index_dir)
        except IndexDamaged:
            return
        held = self._held
        if latest is None or latest in self.rejected or (held and latest == held.assistant.version):
            return
        with self._load_lock:
            try:
                fresh = load_verified(self.settings, latest, self.dense)
            except IndexDamaged as exc:
                log.error("%s", exc)
                self.rejected[latest] = str(exc)
                return
            # Warmed aside, so the first question on the new version is not the slow one.
            fresh.warm_up()
            self._install(fresh)

    def close(self) -> None:
        with self._lock:
            held, self._held = self._held, None
        if held is not None:
            held.retired = True
            if held.leases == 0:
                close_assistant(held.assistant)
