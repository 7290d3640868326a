"""Short multi-turn memory for ``conversation_id``: SQLite, capped in size, expiring.

Only what a follow-up needs is kept (the last questions and the task they resolved to),
so "còn thời hạn thì sao?" can be answered against the previous question's task.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from pathlib import Path

from rag.followup import PreviousTurn

MAX_CONVERSATIONS = 10_000


class ConversationStore:
    def __init__(
        self, path: Path, ttl_s: int, max_turns: int, max_conversations: int = MAX_CONVERSATIONS
    ) -> None:
        self.ttl_s = ttl_s
        self.max_turns = max_turns
        self.max_conversations = max_conversations
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=30)
        self._lock = threading.Lock()
        with self._lock, self._db:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS turns (conversation TEXT, at REAL, question TEXT, "
                "task_id TEXT, answer TEXT)"
            )
            self._db.execute("CREATE INDEX IF NOT EXISTS turns_conv ON turns (conversation, at)")
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(turns)")}
            if "context" not in columns:
                self._db.execute("ALTER TABLE turns ADD COLUMN context TEXT")

    def ensure(self, conversation_id: str | None) -> str:
        if conversation_id and 0 < len(conversation_id) <= 100:
            return conversation_id
        return uuid.uuid4().hex

    def last_turn(self, conversation_id: str) -> PreviousTurn | None:
        with self._lock:
            row = self._db.execute(
                "SELECT question, task_id, context FROM turns WHERE conversation = ? AND at >= ? "
                "ORDER BY at DESC LIMIT 1",
                (conversation_id, time.time() - self.ttl_s),
            ).fetchone()
        return PreviousTurn.restore(*row) if row else None

    def history(self, conversation_id: str) -> list[tuple[str, str]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT question, answer FROM turns WHERE conversation = ? AND at >= ? ORDER BY at",
                (conversation_id, time.time() - self.ttl_s),
            ).fetchall()
        return [(q, a) for q, a in rows]

    def record(self, conversation_id: str, turn: PreviousTurn, answer: str) -> None:
        now = time.time()
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO turns (conversation, at, question, task_id, answer, context) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    conversation_id,
                    now,
                    turn.question,
                    turn.task_id,
                    answer[:4000],
                    turn.context_json(),
                ),
            )
            self._db.execute(
                "DELETE FROM turns WHERE conversation = ? AND at NOT IN (SELECT at FROM turns "
                "WHERE conversation = ? ORDER BY at DESC LIMIT ?)",
                (conversation_id, conversation_id, self.max_turns),
            )
            self._db.execute("DELETE FROM turns WHERE at < ?", (now - self.ttl_s,))
            self._db.execute(
                "DELETE FROM turns WHERE conversation NOT IN (SELECT conversation FROM turns "
                "GROUP BY conversation ORDER BY MAX(at) DESC LIMIT ?)",
                (self.max_conversations,),
            )

    def close(self) -> None:
        self._db.close()
