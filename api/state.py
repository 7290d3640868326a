"""The serving state: the loaded assistant for the current index version, swapped on re-ingest."""

from __future__ import annotations

import threading
import time

from rag.assistant import Assistant
from rag.errors import IndexNotFound
from rag.index import current_version
from rag.settings import Settings

# How often a worker looks at the index pointer: several API workers share one index folder
# (and a Chroma server), and one of them may have switched to a new version.
POINTER_CHECK_S = 2.0


class ServingState:
    """Holds one ``Assistant``; a new index version is loaded aside and swapped in one assignment."""

    def __init__(self, settings: Settings, dense: bool = True) -> None:
        self.settings = settings
        self.dense = dense
        self._assistant: Assistant | None = None
        self._lock = threading.Lock()
        self._checked_at = 0.0
        self.write_lock = threading.Lock()
        self.warm_up_ms: float | None = None

    @property
    def assistant(self) -> Assistant:
        if self._assistant is None:
            with self._lock:
                if self._assistant is None:
                    self._assistant = Assistant.load(self.settings, dense=self.dense)
                    self._checked_at = time.monotonic()
        elif time.monotonic() - self._checked_at > POINTER_CHECK_S:
            self._checked_at = time.monotonic()
            self.refresh()
        return self._assistant

    def ready(self) -> bool:
        try:
            return self.assistant is not None
        except IndexNotFound:
            return False

    @property
    def warmed(self) -> bool:
        return self.warm_up_ms is not None

    def warm_up(self) -> bool:
        """Load the current index and answer the warm-up questions once; False when there is
        no index yet (the server starts anyway and warms up with the first index)."""
        if self.warmed:
            return True
        try:
            self.warm_up_ms = self.assistant.warm_up()
        except IndexNotFound:
            return False
        return True

    def refresh(self) -> None:
        """Load the current version if it changed (after an ingest by this or another worker)."""
        latest = current_version(self.settings.index_dir)
        if latest is None or (self._assistant is not None and latest == self._assistant.version):
            return
        fresh = Assistant.load(self.settings, dense=self.dense)
        # Warmed aside, so the first question on the new version is not the slow one.
        fresh.warm_up()
        with self._lock:
            self._assistant = fresh
