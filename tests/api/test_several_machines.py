"""Several API machines on one deployment: two ``create_app`` on the same database URL and
index folder are two machines. A conversation started on one continues on the other, rate
limits are counted across both, and both serve the task registry from PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.state import ServingState
from rag.settings import Settings

QUESTION = "Ai chủ trì xây dựng Trung tâm điều hành thông minh IOC?"
INTEGRATION = "khoa-tich-hop-may"


@pytest.fixture(scope="module")
def pg_serving(pg_corpus_settings: Settings) -> Iterator[ServingState]:
    # One loaded index for every "machine" in this module (loading costs seconds); its task
    # registry is read from PostgreSQL: the version folder's tasks.sqlite is not used.
    serving = ServingState(pg_corpus_settings, dense=False)
    yield serving
    serving.close()


@pytest.fixture()
def machines(
    pg_corpus_settings: Settings, pg_serving: ServingState
) -> Iterator[Callable[..., list[TestClient]]]:
    started: list[TestClient] = []

    def start(count: int = 2, **overrides) -> list[TestClient]:
        settings = pg_corpus_settings.model_copy(update=overrides)
        for _ in range(count):
            machine = TestClient(create_app(settings, serving=pg_serving))
            machine.__enter__()
            started.append(machine)
        return started[-count:]

    yield start
    for machine in started:
        machine.__exit__(None, None, None)


def _token(machine: TestClient, subject: str) -> dict[str, str]:
    response = machine.post(
        "/v1/widget-tokens", json={"subject": subject}, headers={"X-API-Key": INTEGRATION}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def test_a_conversation_started_on_one_machine_continues_on_another(machines) -> None:
    a, b = machines(api_keys=f"{INTEGRATION}:integration", widget_secret="bi-mat-chung")
    alice = _token(a, "nguoi-dung-a")  # minted on A, accepted by B: one shared secret
    first = a.post("/v1/ask", json={"question": QUESTION}, headers=alice).json()
    conversation = first["conversation_id"]
    follow_up = {"question": "còn thời hạn thì sao?", "conversation_id": conversation}
    second = b.post("/v1/ask", json=follow_up, headers=alice).json()
    assert second["conversation_id"] == conversation
    # B answered from A's turn (the follow-up resolves to the same task), and either
    # machine reads the whole conversation.
    assert second["tasks"] and second["tasks"][0]["id"] == first["tasks"][0]["id"]
    for machine in (a, b):
        history = machine.app.state.conversations.history(conversation)
        assert [q for q, _ in history] == [QUESTION, follow_up["question"]]
    # Ownership holds across machines: another user sending the id gets a fresh one.
    bob = _token(b, "nguoi-dung-b")
    theirs = a.post("/v1/ask", json=follow_up, headers=bob).json()
    assert theirs["conversation_id"] != conversation


def test_rate_limit_is_counted_across_machines(machines) -> None:
    key = f"khoa-{uuid.uuid4().hex[:8]}"  # a bucket of its own in the shared database
    a, b, c = machines(3, api_keys=f"{key}:read", rate_limit_per_minute=4)
    headers = {"X-API-Key": key}
    codes = [m.get("/v1/units", headers=headers).status_code for m in (a, b, a, b)]
    assert codes == [200, 200, 200, 200]
    for machine in (a, b, c):  # the fifth request is refused wherever it lands
        refused = machine.get("/v1/units", headers=headers)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1


def test_machines_serve_the_registry_from_postgres(machines, pg_corpus_settings) -> None:
    from rag.index import TASKS_FILE, current_version
    from rag.taskstore import TaskFilter, TaskStore

    a, b = machines()
    with a.app.state.serving.lease() as assistant:
        assert assistant.tasks.path is None  # not a file: the version's PostgreSQL schema
    version = current_version(pg_corpus_settings.index_dir)
    embedded = TaskStore(pg_corpus_settings.index_dir / version / TASKS_FILE)
    expected = [t.id for t in embedded.find(TaskFilter(unit="Công an Thành phố", role="lead"))]
    embedded.close()
    for machine in (a, b):
        found = machine.get("/v1/tasks", params={"unit": "catp", "role": "lead"}).json()
        assert [t["id"] for t in found["tasks"]] == expected and expected
