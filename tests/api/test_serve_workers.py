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
