"""Benchmark: answer latency without an LLM (the default extractive path).

Runs every question of a gold file several times through the same code path as
``POST /v1/ask`` and prints p50/p95/max in milliseconds. Target on a 2-core machine:
p50 < 60 ms, p95 < 150 ms.

    python eval/bench_query.py [--gold eval/dev.jsonl] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from eval.runner import load_gold
from rag.assistant import Assistant
from rag.settings import get_settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=Path("eval/dev.jsonl"))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    assistant = Assistant.load(get_settings())
    questions = [item.question for item in load_gold(args.gold)]
    assistant.ask(questions[0])  # loads the embedding model outside the timings
    timings = []
    for _ in range(args.rounds):
        for question in questions:
            started = time.perf_counter()
            assistant.ask(question)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    print(
        f"{len(timings)} answers: p50 {statistics.median(timings):.1f} ms, "
        f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
