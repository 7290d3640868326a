"""A bounded HTTP load test on loopback: N clients post questions in a loop for a fixed time.

Used by ``eval/bench.py``. Each client keeps one connection open and sends the next question
as soon as the previous answer arrives (closed loop), so answers/s is what the server
sustains at that concurrency, and latency percentiles include queueing in the server.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path

import httpx


@dataclass(frozen=True)
class LoadResult:
    clients: int
    seconds: float
    answers: int
    errors: int
    latencies_ms: list[float]

    @property
    def answers_per_s(self) -> float:
        return self.answers / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        return percentile(self.latencies_ms, fraction)


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


async def _client(
    http: httpx.AsyncClient,
    url: str,
    questions: list[str],
    offset: int,
    deadline: float,
    latencies: list[float],
    errors: list[int],
) -> None:
    position = offset
    while time.perf_counter() < deadline:
        question = questions[position % len(questions)]
        position += 1
        started = time.perf_counter()
        try:
            response = await http.post(url, json={"question": question})
            ok = response.status_code == 200
        except httpx.HTTPError:
            ok = False
        if ok:
            latencies.append((time.perf_counter() - started) * 1000)
        else:
            errors.append(1)


async def _run(base_url: str, questions: list[str], clients: int, seconds: float) -> LoadResult:
    latencies: list[float] = []
    errors: list[int] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30.0) as http:
        started = time.perf_counter()
        deadline = started + seconds
        # Clients start at different questions so they do not all ask the same one at once.
        await asyncio.gather(
            *(
                _client(http, "/v1/ask", questions, i * 7, deadline, latencies, errors)
                for i in range(clients)
            )
        )
        elapsed = time.perf_counter() - started
    return LoadResult(clients, elapsed, len(latencies), len(errors), latencies)


def run_load(base_url: str, questions: list[str], clients: int, seconds: float) -> LoadResult:
    return asyncio.run(_run(base_url, questions, clients, seconds))


def process_tree_rss_mb(pid: int) -> dict[int, float]:
    """Resident memory (MB) of a process and its descendants, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    rss: dict[int, float] = {}
    pending = [pid]
    while pending:
        current = pending.pop()
        status = Path(f"/proc/{current}/status")
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss[current] = int(line.split()[1]) / 1024
        except OSError:
            continue
        pending.extend(children.get(current, []))
    return rss
