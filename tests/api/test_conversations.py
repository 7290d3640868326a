"""Conversations belong to whoever started them; saving a turn stays cheap when the store
is full (no scan of all conversations per ask)."""

from __future__ import annotations

from pathlib import Path

from api.conversations import ConversationStore
from eval.bench_conversations import fill_store
from rag.assistant import PreviousTurn
from tests.api.conftest import INTEGRATION_KEY, KEYS

QUESTION = "Ai chủ trì xây dựng Trung tâm điều hành thông minh IOC?"


def _token(client, subject: str) -> str:
    response = client.post(
        "/v1/widget-tokens", json={"subject": subject}, headers={"X-API-Key": INTEGRATION_KEY}
    )
    assert response.status_code == 200, response.text
    return response.json()["token"]


def test_ids_are_bound_to_the_caller(make_client) -> None:
    client = make_client(api_keys=KEYS, widget_secret="bi-mat")
    alice = {"Authorization": f"Bearer {_token(client, 'nguoi-dung-a')}"}
    bob = {"Authorization": f"Bearer {_token(client, 'nguoi-dung-b')}"}
    first = client.post("/v1/ask", json={"question": QUESTION}, headers=alice).json()
    conversation = first["conversation_id"]
    mine = client.post(
        "/v1/ask",
        json={"question": "còn thời hạn?", "conversation_id": conversation},
        headers=alice,
    ).json()
    assert mine["conversation_id"] == conversation
    # Another subject with the same id, and made-up ids, get fresh conversations.
    for headers, claimed in ((bob, conversation), (alice, "1"), (bob, "1")):
        theirs = client.post(
            "/v1/ask", json={"question": QUESTION, "conversation_id": claimed}, headers=headers
        ).json()
        assert theirs["conversation_id"] not in (conversation, "1")


def test_store_keeps_last_turns_and_sweeps_expired(tmp_path: Path) -> None:
    now = [1000.0]
    store = ConversationStore(tmp_path / "c.sqlite", ttl_s=60, max_turns=2, clock=lambda: now[0])
    cid = store.ensure(None, "a")
    for n in range(4):
        store.record(cid, PreviousTurn(question=f"q{n}", task_id=None), f"a{n}")
    assert store.history(cid) == [("q2", "a2"), ("q3", "a3")]
    assert store.ensure(cid, "b") != cid and store.ensure(cid, "a") == cid
    now[0] += 120
    assert store.last_turn(cid) is None and store.ensure(cid, "a") != cid
    store.sweep()
    assert store.history(cid) == []
    store.close()


def test_a_full_store_keeps_each_conversation_capped(tmp_path: Path) -> None:
    # How fast a turn is saved at 10k conversations is measured by
    # `python eval/bench_conversations.py`, not asserted here.
    store = ConversationStore(tmp_path / "c.sqlite", ttl_s=3600, max_turns=6)
    ids = fill_store(store, 2_000, turns_each=6)
    for cid in ids[:50]:
        store.record(cid, PreviousTurn(question="q"), "a")
    assert all(len(store.history(cid)) == 6 for cid in ids[:50])
    assert store.last_turn(ids[0]) is not None
    store.close()
