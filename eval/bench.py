"""Benchmark, side by side in one run: ours vs the naive LangChain baseline, then HTTP load.

1. In process, on each gold file: answer accuracy, citation accuracy and per-answer latency
   (p50/p95, measured around ``ask``) of the assistant and of ``eval/baseline.py``.
2. ``da06 serve`` on a free loopback port (rate limit off): time until ``/readyz`` answers
   ready, the first answer after that, then a closed-loop load test with 1, 8 and 32 clients
   for a fixed duration each, printing answers/s, p50, p95, p99, errors and worker RSS.

    python eval/bench.py [--gold eval/dev.jsonl ...] [--seconds 10] [--clients 1,8,32]
                         [--workers N] [--skip-http] [--skip-baseline]

Needs an index (``da06 ingest``). Prints Markdown tables (the README keeps the latest).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from eval.loadtest import percentile, process_tree_rss_mb, run_load
from eval.runner import GoldItem, contains_all, covers, load_gold
from rag.schemas import Answer
from rag.settings import get_settings

READY_TIMEOUT_S = 600.0


def score(items: list[GoldItem], ask: Callable[[str], Answer]) -> dict[str, float]:
    """Accuracy, citation accuracy and wall-clock latency of one system over a gold file."""
    latencies, correct, answered, cited = [], 0, 0, 0
    answerable = sum(item.answerable for item in items)
    for item in items:
        started = time.perf_counter()
        answer = ask(item.question)
        latencies.append((time.perf_counter() - started) * 1000)
        if item.answerable:
            right = (not answer.abstained) and contains_all(answer.answer, item.must_contain)
            answered += right
            correct += right
            cited += any(covers(c, item) for c in answer.citations)
        else:
            correct += answer.abstained
    return {
        "accuracy": correct / len(items),
        "answerable_accuracy": answered / max(1, answerable),
        "citations": cited / max(1, answerable),
        "p50": statistics.median(latencies),
        "p95": percentile(latencies, 0.95),
    }


def in_process(gold_files: list[Path], with_baseline: bool) -> list[tuple[str, str, dict]]:
    from rag.assistant import Assistant

    settings = get_settings()
    systems: list[tuple[str, Callable[[str], Answer]]] = []
    assistant = Assistant.load(settings)
    assistant.warm_up()
    systems.append(("ours", assistant.ask))
    if with_baseline:
        from eval.baseline import NaiveBaseline

        baseline = NaiveBaseline(settings)
        baseline.ask("khởi động")
        systems.append(("naive baseline", baseline.ask))
    rows = []
    for gold in gold_files:
        items = load_gold(gold)
        for name, ask in systems:
            rows.append((gold.name, name, score(items, ask)))
    return rows


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int, workers: int | None, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--no-access-log"]
    if workers:
        command += ["--workers", str(workers)]
    env = {**os.environ, "DA06_RATE_LIMIT_PER_MINUTE": "0", "HF_HUB_OFFLINE": "1"}
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as handle:
        return subprocess.Popen(command, env=env, stdout=handle, stderr=subprocess.STDOUT)


def wait_ready(base_url: str, server: subprocess.Popen) -> float:
    """Seconds from now until /readyz answers 200 (warm-up done in every worker it reached)."""
    started = time.perf_counter()
    while time.perf_counter() - started < READY_TIMEOUT_S:
        if server.poll() is not None:
            raise RuntimeError(f"server exited with code {server.returncode}")
        try:
            if httpx.get(f"{base_url}/readyz", timeout=30).status_code == 200:
                return time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("server not ready in time")


def first_answers_ms(base_url: str, questions: list[str], count: int = 3) -> list[float]:
    """Latency of the first few answers after ready, each on a fresh connection."""
    timings = []
    for question in questions[:count]:
        started = time.perf_counter()
        httpx.post(f"{base_url}/v1/ask", json={"question": question}, timeout=30).raise_for_status()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def http_bench(questions: list[str], clients: list[int], seconds: float, workers: int | None):
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    server = start_server(port, workers, Path("var/bench-server.log"))
    try:
        ready_s = wait_ready(base_url, server)
        # Every worker warms up at its own startup; wait until all have (readyz hits one).
        time.sleep(1.0)
        first = first_answers_ms(base_url, questions)
        results = [run_load(base_url, questions, n, seconds) for n in clients]
        rss = process_tree_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return ready_s, first, results, rss


def print_in_process(rows: list[tuple[str, str, dict]]) -> None:
    print("| gold | system | accuracy (all) | answerable | citations | p50 ms | p95 ms |")
    print("|---|---|---|---|---|---|---|")
    for gold, name, r in rows:
        print(
            f"| {gold} | {name} | {r['accuracy']:.3f} | {r['answerable_accuracy']:.3f} | "
            f"{r['citations']:.3f} | {r['p50']:.1f} | {r['p95']:.1f} |"
        )


def print_http(ready_s: float, first: list[float], results, rss: dict[int, float]) -> None:
    print(f"\nready after {ready_s:.1f} s; first answers after ready: "
          + ", ".join(f"{t:.0f} ms" for t in first))  # fmt: skip
    print("\n| clients | answers/s | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r.clients} | {r.answers_per_s:.1f} | {r.percentile(0.5):.0f} | "
            f"{r.percentile(0.95):.0f} | {r.percentile(0.99):.0f} | {r.errors} |"
        )
    print("\nRSS after the load (MB, per process): " + ", ".join(f"{v:.0f}" for v in rss.values()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, action="append")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()
    gold_files = args.gold or [Path("eval/dev.jsonl")]
    for gold in gold_files:
        if not gold.is_file():
            sys.exit(f"không thấy tệp {gold} / file not found: {gold}")
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores\n")
    print_in_process(in_process(gold_files, not args.skip_baseline))
    if args.skip_http:
        return
    questions = [item.question for gold in gold_files for item in load_gold(gold)]
    clients = [int(n) for n in args.clients.split(",")]
    print_http(*http_bench(questions, clients, args.seconds, args.workers))
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
