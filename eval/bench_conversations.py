"""How long saving a conversation turn takes when the store is full (10,000 live
conversations of 6 turns): it must not scan every conversation per ask.

    python eval/bench_conversations.py [--conversations 10000] [--turns 200]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from api.conversations import ConversationStore, conversations, turns
from rag.followup import PreviousTurn


def fill_store(store: ConversationStore, count: int, turns_each: int) -> list[str]:
    """``count`` live conversations of ``turns_each`` turns, written directly."""
    now = time.time()
    ids = [uuid.uuid4().hex for _ in range(count)]
    with store.engine.begin() as db:
        db.execute(conversations.insert(), [{"id": c, "owner": "a", "updated": now} for c in ids])
        db.execute(
            turns.insert(),
            [
                {"conversation": c, "seq": seq, "at": now, "question": "q", "answer": "a"}
                for c in ids
                for seq in range(1, turns_each + 1)
            ],
        )
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--turns", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = ConversationStore(Path(folder) / "c.sqlite", ttl_s=3600, max_turns=6)
        ids = fill_store(store, args.conversations, turns_each=6)
        store.record(ids[0], PreviousTurn(question="q"), "a")  # the first record may sweep
        times = []
        for cid in ids[1 : args.turns + 1]:
            started = time.perf_counter()
            store.record(cid, PreviousTurn(question="q"), "a")
            times.append((time.perf_counter() - started) * 1000)
        store.close()
    print(
        f"{args.conversations} conversations: saving a turn mean {statistics.mean(times):.2f} ms, "
        f"median {statistics.median(times):.2f} ms, max {max(times):.2f} ms (target < 5 ms)"
    )


if __name__ == "__main__":
    main()
