"""The load test against the real app served by uvicorn on loopback."""

from __future__ import annotations

import os

from eval.loadtest import percentile, process_tree_rss_mb, run_load


def test_closed_loop_clients_get_answers_without_errors(live_server_url: str) -> None:
    questions = ["Ai chủ trì số hóa hồ sơ hộ tịch?", "Bao nhiêu hồ sơ trực tuyến được tiếp nhận?"]
    result = run_load(live_server_url, questions, clients=2, seconds=1.0)
    assert result.errors == 0
    assert result.answers >= 2
    assert result.answers_per_s > 0
    assert 0 < result.percentile(0.5) <= result.percentile(0.99)


def test_errors_are_counted_when_the_server_is_gone() -> None:
    result = run_load("http://127.0.0.1:9", ["câu hỏi"], clients=1, seconds=0.2)
    assert result.answers == 0 and result.errors >= 1


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.5) == 51.0 or percentile(values, 0.5) == 50.0
    assert percentile(values, 0.99) == 99.0
    assert percentile([], 0.5) == 0.0


def test_rss_of_this_process_is_read_from_proc() -> None:
    rss = process_tree_rss_mb(os.getpid())
    assert rss[os.getpid()] > 10
