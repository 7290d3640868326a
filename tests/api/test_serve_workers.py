"""`da06 serve` starts one worker per core by default, through an import string and a factory."""

from __future__ import annotations

import os

import uvicorn
from typer.testing import CliRunner

from api import cli


def _captured_run(monkeypatch) -> dict:
    calls: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.update(app=app, **kwargs))
    return calls


def test_default_is_one_worker_per_core(monkeypatch) -> None:
    calls = _captured_run(monkeypatch)
    result = CliRunner().invoke(cli.app, ["serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert calls["workers"] == len(os.sched_getaffinity(0)) == cli.default_workers()
    # Each worker process builds its own state from the factory.
    assert calls["app"] == "api.app:create_app" and calls["factory"] is True
    assert calls["port"] == 8123
    # Warm-up must not read as a hung worker.
    assert calls["timeout_worker_healthcheck"] >= 60


def test_workers_option_is_passed_through_and_checked(monkeypatch) -> None:
    calls = _captured_run(monkeypatch)
    assert CliRunner().invoke(cli.app, ["serve", "--workers", "3"]).exit_code == 0
    assert calls["workers"] == 3
    rejected = CliRunner().invoke(cli.app, ["serve", "--workers", "0"])
    assert rejected.exit_code != 0


def test_two_workers_give_one_answer_to_the_same_question(corpus_settings, tmp_path) -> None:
    """A real `da06 serve --workers 2`: the same question asked 20 times over fresh
    connections (spread over both processes) gets one answer and one citation list."""
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DA06_INDEX_DIR": str(corpus_settings.index_dir),
        "DA06_CORPUS_DIR": str(corpus_settings.corpus_dir),
        "DA06_CONVERSATION_DB": str(tmp_path / "conversations.sqlite"),
        "DA06_RATE_LIMIT_DB": str(tmp_path / "ratelimit.sqlite"),
        "DA06_RATE_LIMIT_PER_MINUTE": "0",
        "DA06_API_KEYS": "",
        "HF_HUB_OFFLINE": "1",
    }
    command = [sys.executable, "-m", "api.cli", "serve", "--workers", "2", "--port", str(port)]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        else:
            raise AssertionError("the server did not become ready")
        question = "nhiệm vụ đào tạo, tập huấn an ninh an toàn trên phần mềm MOOC hạn khi nào?"
        seen = set()
        for _ in range(20):
            with httpx.Client(base_url=base, timeout=60) as client:
                body = client.post("/v1/ask", json={"question": question}).json()
            cited = tuple((c["source"], c["line_start"], c["line_end"]) for c in body["citations"])
            seen.add((body["answer"], cited))
        assert len(seen) == 1, seen
    finally:
        server.terminate()
        server.wait(timeout=60)
