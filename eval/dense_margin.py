"""Measure the dense gate: answer accuracy and latency per margin, on each gold file.

For every margin (``inf`` = always embed the question, ``0`` = embed only on exact ties or
no lexical match) prints the share of questions that ran the dense leg, answer accuracy,
citation accuracy and the median answer time. One index, one process, same questions.

    python eval/dense_margin.py [--gold eval/dev.jsonl ...] [--margins inf,0.05,0.02,0]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from eval.runner import contains_all, covers, load_gold
from rag.assistant import Assistant
from rag.dense_gate import DenseGate
from rag.settings import get_settings


class CountingGate(DenseGate):
    """The gate under test, counting how often it lets the dense leg run."""

    def __init__(self, margin: float) -> None:
        super().__init__(margin)
        object.__setattr__(self, "calls", [0, 0])

    def needs_dense(self, ranking, fusion: str) -> bool:
        needed = super().needs_dense(ranking, fusion)
        self.calls[0] += 1
        self.calls[1] += needed
        return needed


def measure(assistant: Assistant, gold: Path, margin: float) -> dict[str, float]:
    gate = CountingGate(margin)
    assistant.searcher.gate = gate
    items = load_gold(gold)
    answerable = [i for i in items if i.answerable]
    correct = cited = 0
    latencies = []
    for item in items:
        started = time.perf_counter()
        answer = assistant.ask(item.question)
        latencies.append((time.perf_counter() - started) * 1000)
        if item.answerable:
            correct += (not answer.abstained) and contains_all(answer.answer, item.must_contain)
            cited += any(covers(c, item) for c in answer.citations)
        else:
            correct += answer.abstained
    return {
        "dense_share": gate.calls[1] / max(1, gate.calls[0]),
        "accuracy": correct / len(items),
        "citations": cited / max(1, len(answerable)),
        "p50": statistics.median(latencies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, action="append")
    parser.add_argument("--margins", default="inf,0.05,0.03,0.02,0.01,0")
    args = parser.parse_args()
    assistant = Assistant.load(get_settings())
    assistant.warm_up()
    print("| gold | margin | dense run on | accuracy | citations | p50 ms |")
    print("|---|---|---|---|---|---|")
    for gold in args.gold or [Path("eval/dev.jsonl")]:
        for margin in (float(m) for m in args.margins.split(",")):
            r = measure(assistant, gold, margin)
            print(
                f"| {gold.name} | {margin:g} | {r['dense_share']:.0%} | {r['accuracy']:.3f} | "
                f"{r['citations']:.3f} | {r['p50']:.1f} |"
            )


if __name__ == "__main__":
    main()
