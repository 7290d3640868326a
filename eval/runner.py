"""Scores the assistant (and optionally the naive baseline) on a gold question file.

Every question goes through the same code path as ``POST /v1/ask``. Metrics: answer
accuracy (all ``must_contain`` groups present), abstention accuracy on unanswerable items,
citation accuracy (a citation from the gold source covers the gold line), retrieval
recall@5, answer length, latency; per-type breakdown and the list of failures.
"""

from __future__ import annotations

import json
import re
import statistics
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from rag.schemas import Answer
from rag.settings import Settings

RECALL_K = 5


@dataclass(frozen=True)
class GoldItem:
    id: str
    question: str
    type: str
    must_contain: list[list[str]]
    source: str | None
    line: int | None
    answer: str

    @property
    def answerable(self) -> bool:
        return self.source is not None


@dataclass(frozen=True)
class Span:
    source: str
    line_start: int
    line_end: int


def load_gold(path: Path) -> list[GoldItem]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        items.append(
            GoldItem(
                id=row["id"], question=row["question"], type=row.get("type", "general"),
                must_contain=row.get("must_contain") or [], source=row.get("source"),
                line=row.get("line"), answer=row.get("answer", ""),
            )
        )  # fmt: skip
    return items


def _canon(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).casefold()).strip()


def contains_all(answer: str, groups: Sequence[Sequence[str]]) -> bool:
    text = _canon(answer)
    return all(any(_canon(option) in text for option in group) for group in groups)


def covers(span: Span, item: GoldItem) -> bool:
    return span.source == item.source and span.line_start <= (item.line or 0) <= span.line_end


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def score_system(
    items: Sequence[GoldItem],
    ask: Callable[[str], Answer],
    search: Callable[[str, int], list[Span]],
) -> dict:
    rows = []
    for item in items:
        answer = ask(item.question)
        spans = search(item.question, RECALL_K)
        cited = [Span(c.source, c.line_start, c.line_end) for c in answer.citations]
        row = {
            "id": item.id,
            "type": item.type,
            "question": item.question,
            "answer": answer.answer,
            "abstained": answer.abstained,
            "answerable": item.answerable,
            "length": len(answer.answer),
            "latency_ms": answer.timing_ms.get("total", 0.0),
        }
        if item.answerable:
            row["correct"] = (not answer.abstained) and contains_all(
                answer.answer, item.must_contain
            )
            row["citation_ok"] = any(covers(s, item) for s in cited)
            row["recall_ok"] = any(covers(s, item) for s in spans[:RECALL_K])
        else:
            row["correct"] = answer.abstained
        rows.append(row)
    return summarize(rows)


def summarize(rows: list[dict]) -> dict:
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]

    def share(selected: list[dict], key: str) -> float:
        return round(sum(bool(r[key]) for r in selected) / len(selected), 3) if selected else 0.0

    by_type: dict[str, dict] = defaultdict(lambda: {"n": 0, "correct": 0})
    for row in rows:
        by_type[row["type"]]["n"] += 1
        by_type[row["type"]]["correct"] += int(bool(row["correct"]))
    latencies = [r["latency_ms"] for r in rows]
    lengths = [r["length"] for r in answerable if not r["abstained"]]
    return {
        "n": len(rows),
        "answer_accuracy": share(answerable, "correct"),
        "abstention_accuracy": share(unanswerable, "correct"),
        "false_abstentions": sum(r["abstained"] for r in answerable),
        "citation_accuracy": share(answerable, "citation_ok"),
        "recall_at_5": share(answerable, "recall_ok"),
        "answer_chars_median": statistics.median(lengths) if lengths else 0,
        "latency_ms_p50": round(_percentile(latencies, 0.5), 1),
        "latency_ms_p95": round(_percentile(latencies, 0.95), 1),
        "by_type": {
            k: {**v, "accuracy": round(v["correct"] / v["n"], 3)}
            for k, v in sorted(by_type.items())
        },
        "failures": [
            {k: r[k] for k in ("id", "type", "question", "answer", "abstained")}
            | {k: r[k] for k in ("citation_ok", "recall_ok") if k in r}
            for r in rows
            if not r["correct"] or not r.get("citation_ok", True) or not r.get("recall_ok", True)
        ],
    }


def run_evaluation(settings: Settings, gold: Path, with_baseline: bool = False) -> dict:
    from rag.assistant import Assistant

    items = load_gold(gold)
    assistant = Assistant.load(settings)
    assistant.ask("khởi động")  # warm-up: loads the embedding model outside the timings

    def search(question: str, k: int) -> list[Span]:
        return [
            Span(h.chunk.source, h.chunk.line_start, h.chunk.line_end)
            for h in assistant.search(question, k)
        ]

    result = {
        "gold": str(gold),
        "index_version": assistant.version,
        "ours": score_system(items, assistant.ask, search),
    }
    if with_baseline:
        from eval.baseline import NaiveBaseline

        baseline = NaiveBaseline(settings)
        baseline.ask("khởi động")

        def baseline_search(question: str, k: int) -> list[Span]:
            return [Span(h.source, h.line_start, h.line_end) for h in baseline.search(question, k)]

        result["baseline"] = score_system(items, baseline.ask, baseline_search)
    return result


METRICS = (
    ("answer_accuracy", "Answer accuracy (answerable)"),
    ("abstention_accuracy", "Abstention accuracy (unanswerable)"),
    ("citation_accuracy", "Citation accuracy"),
    ("recall_at_5", "Retrieval recall@5"),
    ("answer_chars_median", "Answer length, median chars"),
    ("latency_ms_p50", "Latency p50 (ms)"),
    ("latency_ms_p95", "Latency p95 (ms)"),
)


def print_report(result: dict, console: Console) -> None:
    systems = [s for s in ("ours", "baseline") if s in result]
    table = Table(title=f"Evaluation on {result['gold']} ({result['ours']['n']} questions)")
    table.add_column("metric")
    for system in systems:
        table.add_column(system, justify="right")
    for key, label in METRICS:
        table.add_row(label, *[str(result[s][key]) for s in systems])
    console.print(table)
    types = Table(title="Answer accuracy by question type")
    types.add_column("type")
    types.add_column("n", justify="right")
    for system in systems:
        types.add_column(system, justify="right")
    for name, stats in result["ours"]["by_type"].items():
        types.add_row(
            name, str(stats["n"]), *[str(result[s]["by_type"][name]["accuracy"]) for s in systems]
        )
    console.print(types)
    failures = result["ours"]["failures"]
    console.print(f"{len(failures)} questions with a failure (answer, citation or recall):")
    for failure in failures:
        console.print(
            f"  - {failure['id']} [{failure['type']}] {failure['question'][:90]}", style="dim"
        )
