"""CPU time of one ``POST /v1/ask`` through the whole app (middlewares, auth, validation,
conversation store, JSON), and where it goes; beside it, ``Assistant.ask`` alone.

The app is called as ASGI in this process, with no HTTP client or socket: what is measured
is the app's own work (uvicorn's parsing is outside; ``--server`` measures a real
``da06 serve`` from its processes' CPU counters). CPU time (``time.process_time``) because
wall time on a shared machine measures the neighbours.

    python eval/profile_http.py eval/dev-b.jsonl [--rounds 3] [--cprofile 30]
        [--answers var/answers.jsonl] [--server --workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import statistics
import time
from pathlib import Path

import httpx

from eval.loadtest import percentile
from eval.runner import load_gold
from rag.settings import get_settings


def ask_scope(body: bytes) -> dict:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/ask",
        "raw_path": b"/v1/ask",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1:8000"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def call_ask(app, question: str) -> tuple[int, bytes]:
    """One request straight into the ASGI app; (status, response body)."""
    body = json.dumps({"question": question}, ensure_ascii=False).encode()
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    status, chunks = 0, []

    async def receive() -> dict:
        return messages.pop() if messages else {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(ask_scope(body), receive, send)
    return status, b"".join(chunks)


def summary(values: list[float]) -> str:
    return (
        f"mean {statistics.fmean(values):.2f} ms, median {statistics.median(values):.2f}, "
        f"p95 {percentile(values, 0.95):.2f}"
    )


def run_threads_inline() -> None:
    """cProfile sees one thread: sync endpoints and dependencies then run in the loop's thread
    (for the profile only; the thread hand-off itself is then not measured)."""
    import anyio.to_thread

    async def inline(func, *args, **_options):
        return func(*args)

    anyio.to_thread.run_sync = inline


async def in_process(questions: list[str], rounds: int, top: int, answers: Path | None) -> None:
    from api.app import create_app

    if top:
        run_threads_inline()

    app = create_app(get_settings())
    async with app.router.lifespan_context(app):
        assistant = app.state.serving.assistant
        profiler = cProfile.Profile() if top else None
        bodies: list[bytes] = []
        for round_no in range(1, rounds + 1):
            http_ms, ask_ms = [], []
            for question in questions:
                started = time.process_time()
                if profiler:
                    profiler.enable()
                status, body = await call_ask(app, question)
                if profiler:
                    profiler.disable()
                http_ms.append((time.process_time() - started) * 1000)
                assert status == 200, (status, body[:200])
                if round_no == 1:
                    bodies.append(body)
                started = time.process_time()
                assistant.ask(question)
                ask_ms.append((time.process_time() - started) * 1000)
            print(f"round {round_no}: POST /v1/ask CPU {summary(http_ms)}")
            print(f"round {round_no}: Assistant.ask CPU {summary(ask_ms)}")
            overhead = statistics.fmean(http_ms) - statistics.fmean(ask_ms)
            print(f"round {round_no}: outside ask {overhead:.2f} ms per request")
        if answers:
            write_answers(answers, bodies)
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def write_answers(path: Path, bodies: list[bytes]) -> None:
    """The ``answer`` and ``citations`` of each response, as the API encoded them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for body in bodies:
            payload = json.loads(body)
            kept = {"answer": payload["answer"], "citations": payload["citations"]}
            out.write(json.dumps(kept, ensure_ascii=False, sort_keys=True) + "\n")


def tree_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process and its live descendants (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
        times[int(stat.parent.name)] = (int(fields[11]) + int(fields[12])) / tick
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        total += times.get(current, 0.0)
        pending.extend(p for p, parent in parents.items() if parent == current)
    return total


def idle_cpu_per_s(pid: int, seconds: float = 3.0, settled: float = 0.05) -> float:
    """CPU seconds per second the server spends unasked, once the other workers and the job
    forkservers have finished starting (readyz answers from one worker only)."""
    for _ in range(40):
        before = tree_cpu_s(pid)
        time.sleep(seconds)
        rate = (tree_cpu_s(pid) - before) / seconds
        if rate < settled:
            break
    return rate


def server(questions: list[str], rounds: int, workers: int) -> None:
    """CPU of a real ``da06 serve`` (all its processes) per answer, one client in a loop."""
    from eval.bench import free_port, start_server, wait_ready

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    process = start_server(port, workers, Path("var/profile-http-server.log"))
    try:
        wait_ready(base_url, process)
        time.sleep(2.0)
        with httpx.Client(base_url=base_url, timeout=30) as http:
            for question in questions:  # first pass: memoized texts filled in every worker
                http.post("/v1/ask", json={"question": question}).raise_for_status()
            idle = idle_cpu_per_s(process.pid)
            before, started = tree_cpu_s(process.pid), time.perf_counter()
            for _ in range(rounds):
                for question in questions:
                    http.post("/v1/ask", json={"question": question}).raise_for_status()
            spent = tree_cpu_s(process.pid) - before
            spent -= idle * (time.perf_counter() - started)
        count = rounds * len(questions)
        print(
            f"server CPU {spent * 1000 / count:.2f} ms per answer over {count} answers "
            f"(less {idle * 1000:.1f} ms/s of idle background CPU: job runners, pointer checks)"
        )
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="+", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cprofile", type=int, default=0, help="print the top N functions")
    parser.add_argument("--answers", type=Path, help="write answer + citations per question")
    parser.add_argument("--server", action="store_true", help="measure a real da06 serve")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    questions = [item.question for gold in args.gold for item in load_gold(gold)]
    print(f"load average {os.getloadavg()[0]:.2f}; {len(questions)} questions")
    if args.server:
        server(questions, args.rounds, args.workers)
    else:
        asyncio.run(in_process(questions, args.rounds, args.cprofile, args.answers))
    print(f"load average after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
