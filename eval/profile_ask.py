"""CPU and wall time of ``Assistant.ask`` per answer over gold files, and where it goes.

Wall-clock numbers are noisy on a shared machine; CPU time of this process
(``time.process_time``) is what one answer costs whatever else runs. Prints mean, median,
p95 and max of both, the slowest questions, and optionally a cProfile of all passes.

    python eval/profile_ask.py eval/dev.jsonl eval/dev-b.jsonl [--rounds 2] [--cprofile N]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import time
from pathlib import Path

from eval.loadtest import percentile
from eval.runner import load_gold
from rag.assistant import Assistant
from rag.settings import get_settings


def measure(assistant: Assistant, questions: list[str]) -> list[tuple[float, float, str]]:
    """(CPU ms, wall ms, question) per answer."""
    rows = []
    for question in questions:
        cpu, wall = time.process_time(), time.perf_counter()
        assistant.ask(question)
        rows.append(
            ((time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000, question)
        )
    return rows


def summary(name: str, values: list[float]) -> str:
    return (
        f"{name}: mean {statistics.fmean(values):.2f} ms, median {statistics.median(values):.2f}, "
        f"p95 {percentile(values, 0.95):.2f}, max {max(values):.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="+", type=Path)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--cprofile", type=int, default=0, help="print the top N functions")
    parser.add_argument("--slowest", type=int, default=8)
    args = parser.parse_args()
    questions = [item.question for gold in args.gold for item in load_gold(gold)]
    assistant = Assistant.load(get_settings())
    assistant.warm_up()
    print(f"load average {os.getloadavg()[0]:.2f}; {len(questions)} questions")
    profiler = cProfile.Profile() if args.cprofile else None
    for round_no in range(1, args.rounds + 1):
        if profiler:
            profiler.enable()
        rows = measure(assistant, questions)
        if profiler:
            profiler.disable()
        print(f"round {round_no}: " + summary("CPU", [r[0] for r in rows]))
        print(f"round {round_no}: " + summary("wall", [r[1] for r in rows]))
    for cpu, wall, question in sorted(rows, reverse=True)[: args.slowest]:
        print(f"  {cpu:7.2f} ms CPU {wall:7.2f} ms wall  {question[:90]}")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.cprofile)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.cprofile)


if __name__ == "__main__":
    main()
