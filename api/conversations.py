"""Short multi-turn memory for ``conversation_id``: owned, capped in size, expiring.

Only what a follow-up needs is kept (the last questions and the task they resolved to),
so "còn thời hạn thì sao?" can be answered against the previous question's task.

Ids are made here, never taken from the caller: an id a caller sends continues the
conversation only if that caller (API key or widget-token subject) created it; anyone
else gets a fresh one. Saving a turn touches one conversation's rows through indexes;
expiry and the size cap run as a sweep at most every ``SWEEP_EVERY_S``, not on every ask.
The store is a SQLite file shared by one machine's API worker processes, or with
``DA06_DATABASE_URL`` the PostgreSQL tables shared by every machine (SQLAlchemy Core, the
same statements on both).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Column, Float, Index, Integer, MetaData, Table, Text, func, inspect, select

from api.stores import open_store
from rag.followup import PreviousTurn, next_turn
from rag.schemas import Answer

MAX_CONVERSATIONS = 10_000
SWEEP_EVERY_S = 60.0

metadata = MetaData()
conversations = Table(
    "conversations", metadata,
    Column("id", Text, primary_key=True), Column("owner", Text, nullable=False),
    Column("updated", Float, nullable=False),
    Index("conversations_updated", "updated"),
    sqlite_with_rowid=False,
)  # fmt: skip
turns = Table(
    "turns", metadata,
    Column("conversation", Text, primary_key=True), Column("seq", Integer, primary_key=True),
    Column("at", Float, nullable=False), Column("question", Text), Column("task_id", Text),
    Column("answer", Text), Column("context", Text),
    sqlite_with_rowid=False,
)  # fmt: skip
# Built once, values passed at execute: ``insert().values(...)`` builds (and cache-keys) a new
# statement per call, which cost more CPU than SQLite's own work (measured 850 vs 380 µs for
# a new conversation with its first turn).
NEW_CONVERSATION = conversations.insert()
NEW_TURN = turns.insert()


class ConversationStore:
    def __init__(
        self,
        location: Path | str,
        ttl_s: int,
        max_turns: int,
        max_conversations: int = MAX_CONVERSATIONS,
        clock=time.time,
    ) -> None:
        """``location``: a SQLite file, or a database URL (``DA06_DATABASE_URL``)."""
        self.ttl_s = ttl_s
        self.max_turns = max_turns
        self.max_conversations = max_conversations
        self.clock = clock
        self.engine, self._reader, self._owned = open_store(location)
        self._swept = 0.0
        self._sweep_lock = threading.Lock()
        with self.engine.begin() as db:
            metadata.create_all(db, checkfirst=True)
            columns = {c["name"] for c in inspect(db).get_columns("turns")}
            if "context" not in columns:  # a store written before follow-ups kept their context
                db.exec_driver_sql("ALTER TABLE turns ADD COLUMN context TEXT")

    def ensure(self, conversation_id: str | None, owner: str) -> str:
        """``conversation_id`` if ``owner`` holds it and it is live, else a new id for ``owner``."""
        held = self.held(conversation_id, owner)
        if held is not None:
            return held
        fresh = uuid.uuid4().hex
        with self.engine.begin() as db:
            db.execute(NEW_CONVERSATION, {"id": fresh, "owner": owner, "updated": self.clock()})
        return fresh

    def held(self, conversation_id: str | None, owner: str) -> str | None:
        """``conversation_id`` if ``owner`` holds it and it is live, else None (nothing written)."""
        if not conversation_id:
            return None
        c = conversations.c
        with self._reader.connect() as db:
            row = db.execute(select(c.owner, c.updated).where(c.id == conversation_id)).first()
        if row and row[0] == owner and row[1] >= self.clock() - self.ttl_s:
            return conversation_id
        return None

    def start(self, owner: str, turn: PreviousTurn, answer: str) -> str:
        """A new conversation for ``owner`` holding its first turn: one transaction, where
        ``ensure`` then ``record`` take two and read back what this one already knows."""
        now = self.clock()
        fresh = uuid.uuid4().hex
        with self.engine.begin() as db:
            db.execute(NEW_CONVERSATION, {"id": fresh, "owner": owner, "updated": now})
            db.execute(NEW_TURN, self._turn_row(fresh, 1, now, turn, answer))
        self._sweep_if_due(now)
        return fresh

    def last_turn(self, conversation_id: str) -> PreviousTurn | None:
        t = turns.c
        with self._reader.connect() as db:
            row = db.execute(
                select(t.question, t.task_id, t.context)
                .where(t.conversation == conversation_id, t.at >= self.clock() - self.ttl_s)
                .order_by(t.seq.desc())
                .limit(1)
            ).first()
        return PreviousTurn.restore(*row) if row else None

    def history(self, conversation_id: str) -> list[tuple[str, str]]:
        t = turns.c
        with self._reader.connect() as db:
            rows = db.execute(
                select(t.question, t.answer)
                .where(t.conversation == conversation_id, t.at >= self.clock() - self.ttl_s)
                .order_by(t.seq)
            ).all()
        return [(q, a) for q, a in rows]

    def record(self, conversation_id: str, turn: PreviousTurn, answer: str) -> None:
        now = self.clock()
        c, t = conversations.c, turns.c
        with self.engine.begin() as db:
            # Two machines answering the same conversation take turns on its row (PostgreSQL
            # row lock; SQLite's BEGIN IMMEDIATE already serialises every writer).
            db.execute(select(c.id).where(c.id == conversation_id).with_for_update())
            last = db.execute(
                select(func.max(t.seq)).where(t.conversation == conversation_id)
            ).scalar()
            seq = (last or 0) + 1
            db.execute(NEW_TURN, self._turn_row(conversation_id, seq, now, turn, answer))
            if seq > self.max_turns:
                db.execute(
                    turns.delete().where(
                        t.conversation == conversation_id, t.seq <= seq - self.max_turns
                    )
                )
            db.execute(conversations.update().where(c.id == conversation_id).values(updated=now))
        self._sweep_if_due(now)

    @staticmethod
    def _turn_row(
        conversation_id: str, seq: int, now: float, turn: PreviousTurn, answer: str
    ) -> dict:
        return {
            "conversation": conversation_id, "seq": seq, "at": now, "question": turn.question,
            "task_id": turn.task_id, "answer": answer[:4000], "context": turn.context_json(),
        }  # fmt: skip

    def _sweep_if_due(self, now: float) -> None:
        if now - self._swept > SWEEP_EVERY_S:
            self._swept = now
            self._sweep(now)

    def sweep(self) -> None:
        self._sweep(self.clock())

    def _sweep(self, now: float) -> None:
        """Drop expired conversations, then the oldest beyond the cap."""
        c, t = conversations.c, turns.c
        with self._sweep_lock, self.engine.begin() as db:
            cutoff = now - self.ttl_s
            over = db.execute(
                select(c.updated).order_by(c.updated.desc()).limit(1).offset(self.max_conversations)
            ).first()
            if over is not None:
                cutoff = max(cutoff, over[0] + 1e-6)
            stale = select(c.id).where(c.updated < cutoff)
            db.execute(turns.delete().where(t.conversation.in_(stale)))
            db.execute(conversations.delete().where(c.updated < cutoff))

    def count(self) -> int:
        with self._reader.connect() as db:
            return int(db.execute(select(func.count()).select_from(conversations)).scalar_one())

    def close(self) -> None:
        if self._owned:
            self.engine.dispose()


def ask_in_conversation(
    store: ConversationStore,
    conversation_id: str | None,
    owner: str,
    question: str,
    answer: Callable[[str, PreviousTurn | None], Answer],
) -> Answer:
    """One turn of a conversation, as ``POST /v1/ask`` plays it: the owner's conversation
    (else a new one), answered against its last turn, this turn recorded for the next."""
    held = store.held(conversation_id, owner)
    previous = store.last_turn(held) if held else None
    result = answer(question, previous)
    turn = next_turn(question, result, previous)
    if held:
        store.record(held, turn, result.answer)
    else:
        # Created only now, with its first turn: a question that fails leaves no empty row.
        held = store.start(owner, turn, result.answer)
    result.conversation_id = held
    return result
