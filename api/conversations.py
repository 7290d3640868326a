"""Short multi-turn memory for ``conversation_id``: SQLite, owned, capped in size, expiring.

Only what a follow-up needs is kept (the last questions and the task they resolved to),
so "còn thời hạn thì sao?" can be answered against the previous question's task.

Ids are made here, never taken from the caller: an id a caller sends continues the
conversation only if that caller (API key or widget-token subject) created it; anyone
else gets a fresh one. Saving a turn touches one conversation's rows through indexes;
expiry and the size cap run as a sweep at most every ``SWEEP_EVERY_S``, not on every ask.
The file is shared by API worker processes.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from pathlib import Path

from rag.followup import PreviousTurn

MAX_CONVERSATIONS = 10_000
SWEEP_EVERY_S = 60.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, updated REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS conversations_updated ON conversations (updated);
CREATE TABLE IF NOT EXISTS turns (
    conversation TEXT NOT NULL, seq INTEGER NOT NULL, at REAL NOT NULL,
    question TEXT, task_id TEXT, answer TEXT, context TEXT,
    PRIMARY KEY (conversation, seq)
) WITHOUT ROWID;
"""


class ConversationStore:
    def __init__(
        self,
        path: Path,
        ttl_s: int,
        max_turns: int,
        max_conversations: int = MAX_CONVERSATIONS,
        clock=time.time,
    ) -> None:
        self.ttl_s = ttl_s
        self.max_turns = max_turns
        self.max_conversations = max_conversations
        self.clock = clock
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=30, isolation_level=None)
        self._lock = threading.Lock()
        self._swept = 0.0
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(turns)")}
            if "context" not in columns:  # a store written before follow-ups kept their context
                self._db.execute("ALTER TABLE turns ADD COLUMN context TEXT")

    def ensure(self, conversation_id: str | None, owner: str) -> str:
        """``conversation_id`` if ``owner`` holds it and it is live, else a new id for ``owner``."""
        now = self.clock()
        with self._lock:
            if conversation_id:
                row = self._db.execute(
                    "SELECT owner, updated FROM conversations WHERE id = ?", (conversation_id,)
                ).fetchone()
                if row and row[0] == owner and row[1] >= now - self.ttl_s:
                    return conversation_id
            fresh = uuid.uuid4().hex
            self._db.execute("INSERT INTO conversations VALUES (?, ?, ?)", (fresh, owner, now))
        return fresh

    def last_turn(self, conversation_id: str) -> PreviousTurn | None:
        with self._lock:
            row = self._db.execute(
                "SELECT question, task_id, context FROM turns WHERE conversation = ? AND at >= ? "
                "ORDER BY seq DESC LIMIT 1",
                (conversation_id, self.clock() - self.ttl_s),
            ).fetchone()
        return PreviousTurn.restore(*row) if row else None

    def history(self, conversation_id: str) -> list[tuple[str, str]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT question, answer FROM turns WHERE conversation = ? AND at >= ? "
                "ORDER BY seq",
                (conversation_id, self.clock() - self.ttl_s),
            ).fetchall()
        return [(q, a) for q, a in rows]

    def record(self, conversation_id: str, turn: PreviousTurn, answer: str) -> None:
        now = self.clock()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                last = self._db.execute(
                    "SELECT MAX(seq) FROM turns WHERE conversation = ?", (conversation_id,)
                ).fetchone()[0]
                seq = (last or 0) + 1
                self._db.execute(
                    "INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        conversation_id,
                        seq,
                        now,
                        turn.question,
                        turn.task_id,
                        answer[:4000],
                        turn.context_json(),
                    ),
                )
                self._db.execute(
                    "DELETE FROM turns WHERE conversation = ? AND seq <= ?",
                    (conversation_id, seq - self.max_turns),
                )
                self._db.execute(
                    "UPDATE conversations SET updated = ? WHERE id = ?", (now, conversation_id)
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            if now - self._swept > SWEEP_EVERY_S:
                self._swept = now
                self._sweep(now)

    def sweep(self) -> None:
        with self._lock:
            self._sweep(self.clock())

    def _sweep(self, now: float) -> None:
        """Drop expired conversations, then the oldest beyond the cap."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            cutoff = now - self.ttl_s
            over = self._db.execute(
                "SELECT updated FROM conversations ORDER BY updated DESC LIMIT 1 OFFSET ?",
                (self.max_conversations,),
            ).fetchone()
            if over is not None:
                cutoff = max(cutoff, over[0] + 1e-6)
            self._db.execute(
                "DELETE FROM turns WHERE conversation IN "
                "(SELECT id FROM conversations WHERE updated < ?)",
                (cutoff,),
            )
            self._db.execute("DELETE FROM conversations WHERE updated < ?", (cutoff,))
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM conversations").fetchone()[0]

    def close(self) -> None:
        self._db.close()
