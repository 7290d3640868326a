"""Scores the assistant (and optionally the naive baseline) on a gold question file.

Every question goes through the same code path as ``POST /v1/ask``. Metrics: answer
accuracy (all ``must_contain`` groups present), abstention accuracy on unanswerable items,
citation accuracy (a citation from the gold source covers the gold line), retrieval
recall@5, answer length, latency; per-type breakdown and the list of failures.

A gold file whose lines hold ``turns`` is a set of conversations: each is played turn by
turn through the conversation memory ``POST /v1/ask`` keeps for a ``conversation_id``, and
every turn is scored like a single question; first turns and follow-ups are reported apart.
"""

from __future__ import annotations

import hashlib
import json
import re
import statistics
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

from api.conversations import ConversationStore, ask_in_conversation
from rag.assistant import Assistant, validate_question
from rag.followup import PreviousTurn
from rag.schemas import Answer
from rag.settings import Settings

RECALL_K = 5
FIRST_TURN = "first-turn"
FOLLOW_UP = "follow-up"
# The conversation owner the runner plays as (the API's is the caller's key or token subject).
EVAL_OWNER = "eval"


@dataclass(frozen=True)
class GoldItem:
    id: str
    question: str
    type: str
    must_contain: list[list[str]]
    source: str | None
    line: int | None
    answer: str
    # Optional: phrases a correct answer must not hold ("chưa hoàn thành" when it is done).
    must_not_contain: list[str] = field(default_factory=list)
    # Breakdown key of generated questions ("task/deadline", "prose/figure", …); None for gold.
    family: str | None = None

    @property
    def answerable(self) -> bool:
        return self.source is not None

    @property
    def group(self) -> str:
        return self.family or self.type

    @classmethod
    def from_row(cls, row: dict) -> GoldItem:
        family = f"{row['family']}/{row['intent']}" if row.get("family") else None
        return cls(
            id=row["id"], question=row["question"], type=row.get("type", "general"),
            must_contain=row.get("must_contain") or [], source=row.get("source"),
            line=row.get("line"), answer=row.get("answer", ""),
            must_not_contain=row.get("must_not_contain") or [], family=family,
        )  # fmt: skip


@dataclass(frozen=True)
class Span:
    source: str
    line_start: int
    line_end: int


@dataclass(frozen=True)
class Conversation:
    """Questions asked one after the other in one conversation; each turn is a gold item
    of type ``first-turn`` or ``follow-up``."""

    id: str
    turns: list[GoldItem]

    @classmethod
    def from_row(cls, row: dict) -> Conversation:
        turns = [
            GoldItem.from_row(
                {"id": f"{row['id']}#{index}", "type": FOLLOW_UP if index else FIRST_TURN}
                | {k: v for k, v in turn.items() if k not in ("id", "type")}
            )
            for index, turn in enumerate(row["turns"])
        ]
        return cls(id=row["id"], turns=turns)


def _rows(path: Path) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def load_gold(path: Path) -> list[GoldItem]:
    return [GoldItem.from_row(row) for row in _rows(path)]


def _canon(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).casefold()).strip()


def contains_all(answer: str, groups: Sequence[Sequence[str]]) -> bool:
    text = _canon(answer)
    return all(any(_canon(option) in text for option in group) for group in groups)


def contains_none(answer: str, phrases: Sequence[str]) -> bool:
    text = _canon(answer)
    return not any(_canon(phrase) in text for phrase in phrases)


def covers(span: Span, item: GoldItem) -> bool:
    return span.source == item.source and span.line_start <= (item.line or 0) <= span.line_end


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def score_answer(item: GoldItem, answer: Answer, spans: Sequence[Span]) -> dict:
    """One question's row: its answer against the gold item, its citations and retrieval."""
    cited = [Span(c.source, c.line_start, c.line_end) for c in answer.citations]
    row = {
        "id": item.id,
        "type": item.type,
        "group": item.group,
        "question": item.question,
        "answer": answer.answer,
        "abstained": answer.abstained,
        "answerable": item.answerable,
        "length": len(answer.answer),
        "latency_ms": answer.timing_ms.get("total", 0.0),
        "cited": [[s.source, s.line_start, s.line_end] for s in cited],
    }
    if item.answerable:
        row["correct"] = (
            not answer.abstained
            and contains_all(answer.answer, item.must_contain)
            and contains_none(answer.answer, item.must_not_contain)
        )
        row["source_ok"] = any(s.source == item.source for s in cited)
        row["citation_ok"] = any(covers(s, item) for s in cited)
        row["recall_ok"] = any(covers(s, item) for s in spans[:RECALL_K])
    else:
        row["correct"] = answer.abstained
    return row


def score_system(
    items: Sequence[GoldItem],
    ask: Callable[[str], Answer],
    search: Callable[[str, int], list[Span]],
) -> dict:
    rows = []
    for item in items:
        answer = ask(item.question)
        rows.append(score_answer(item, answer, search(item.question, RECALL_K)))
    return summarize(rows)


def score_conversations(
    conversations: Sequence[Conversation],
    converse: Callable[[str, str | None], Answer],
    search: Callable[[str, int], list[Span]],
) -> dict:
    """Plays each conversation: ``converse(question, conversation_id)`` answers a turn and
    returns the conversation id to continue with (``None`` starts a conversation)."""
    rows = []
    for conversation in conversations:
        conversation_id = None
        for index, item in enumerate(conversation.turns):
            answer = converse(item.question, conversation_id)
            conversation_id = answer.conversation_id
            row = score_answer(item, answer, search(item.question, RECALL_K))
            rows.append(row | {"conversation": conversation.id, "turn_index": index})
    return summarize(rows) | conversation_summary(rows)


def _turn_counts(rows: list[dict]) -> tuple[int, int, float | None]:
    correct = sum(bool(r["correct"]) for r in rows)
    return correct, len(rows), _share(rows, "correct")


def conversation_summary(rows: list[dict]) -> dict:
    """Turn accuracy (answered right, or abstained when unanswerable) of first turns, of
    follow-ups and of all turns, and how many conversations had every turn right."""
    summary: dict = {"conversations": len({r["conversation"] for r in rows})}
    for name, selected in (
        ("first_turns", [r for r in rows if r["turn_index"] == 0]),
        ("follow_ups", [r for r in rows if r["turn_index"] > 0]),
        ("turns", rows),
    ):
        correct, n, accuracy = _turn_counts(selected)
        summary |= {f"{name}_correct": correct, f"{name}_n": n, f"{name}_accuracy": accuracy}
    wrong = {r["conversation"] for r in rows if not r["correct"]}
    summary["conversations_all_correct"] = summary["conversations"] - len(wrong)
    return summary


def answers_digest(rows: list[dict]) -> str:
    """One hash of every answer, abstention and citation span: two runs that print the same
    digest answered every question identically."""
    keyed = sorted((r["id"], r["answer"], r["abstained"], r["cited"]) for r in rows)
    payload = json.dumps(keyed, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _breakdown(rows: list[dict], key: str) -> dict[str, dict]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return {
        name: {
            "n": len(members),
            "correct": sum(bool(r["correct"]) for r in members),
            "accuracy": round(sum(bool(r["correct"]) for r in members) / len(members), 3),
            "citation_accuracy": _share([r for r in members if r["answerable"]], "citation_ok"),
        }
        for name, members in sorted(groups.items())
    }


def _share(selected: list[dict], key: str) -> float | None:
    return round(sum(bool(r[key]) for r in selected) / len(selected), 3) if selected else None


def summarize(rows: list[dict]) -> dict:
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    abstained = [r for r in rows if r["abstained"]]

    def share(selected: list[dict], key: str) -> float:
        return _share(selected, key) or 0.0

    latencies = [r["latency_ms"] for r in rows]
    lengths = [r["length"] for r in answerable if not r["abstained"]]
    return {
        "n": len(rows),
        "answer_accuracy": share(answerable, "correct"),
        "abstention_accuracy": share(unanswerable, "correct"),
        # Of the questions it abstained on, the share that truly had no answer; recall is the
        # share of unanswerable questions it abstained on (= abstention accuracy).
        "abstention_precision": round(
            sum(not r["answerable"] for r in abstained) / len(abstained), 3
        )
        if abstained
        else None,
        "abstention_recall": share(unanswerable, "abstained"),
        "false_abstentions": sum(r["abstained"] for r in answerable),
        "source_accuracy": share(answerable, "source_ok"),
        "citation_accuracy": share(answerable, "citation_ok"),
        "recall_at_5": share(answerable, "recall_ok"),
        "answer_chars_median": statistics.median(lengths) if lengths else 0,
        "latency_ms_p50": round(_percentile(latencies, 0.5), 1),
        "latency_ms_p95": round(_percentile(latencies, 0.95), 1),
        "answers_sha256": answers_digest(rows),
        "by_type": _breakdown(rows, "type"),
        "by_group": _breakdown(rows, "group"),
        "failures": [
            {k: r[k] for k in ("conversation", "turn_index") if k in r}
            | {k: r[k] for k in ("id", "type", "group", "question", "answer", "abstained")}
            | {"correct": bool(r["correct"]), "cited": r["cited"]}
            | {k: r[k] for k in ("source_ok", "citation_ok", "recall_ok") if k in r}
            for r in rows
            if not r["correct"] or not r.get("citation_ok", True) or not r.get("recall_ok", True)
        ],
    }


@dataclass(frozen=True)
class System:
    """What a scored system answers with: a lone question, a conversation's turn
    (``converse(question, conversation_id)``) and the retrieval behind an answer."""

    ask: Callable[[str], Answer]
    converse: Callable[[str, str | None], Answer]
    search: Callable[[str, int], list[Span]]


@dataclass(frozen=True)
class EvalSet:
    """A named list of questions scored together (a gold file or a synthetic sample)."""

    name: str
    items: list[GoldItem]

    def score(self, system: System) -> dict:
        return score_system(self.items, system.ask, system.search)


@dataclass(frozen=True)
class ConversationSet:
    """A named list of conversations, each scored turn by turn."""

    name: str
    conversations: list[Conversation]

    def score(self, system: System) -> dict:
        return score_conversations(self.conversations, system.converse, system.search)


def gold_set(path: Path) -> EvalSet | ConversationSet:
    """A gold file as a question set, or as a conversation set when its lines hold turns."""
    rows = _rows(path)
    if rows and "turns" in rows[0]:
        return ConversationSet(path.stem, [Conversation.from_row(row) for row in rows])
    return EvalSet(path.stem, [GoldItem.from_row(row) for row in rows])


def run_sets(
    settings: Settings, sets: Sequence[EvalSet | ConversationSet], with_baseline: bool = False
) -> dict:
    """Scores every set through the same code path as ``POST /v1/ask``."""
    assistant = Assistant.load(settings)
    assistant.ask("khởi động")  # warm-up: loads the embedding model outside the timings
    try:
        return score_sets(settings, assistant, sets, with_baseline)
    finally:
        assistant.close()


def synthetic_set(settings: Settings, n: int, seed: int, out: Path | None = None) -> EvalSet:
    """A fixed-seed synthetic sample generated from the current index version (also written
    to ``out`` when given, in the gold-file format)."""
    from eval.synthetic import generate, load_index, write_jsonl

    files, tasks = load_index(settings.index_dir)
    generated = generate(files, tasks, n, seed)
    if out is not None:
        write_jsonl(generated, out)
    items = [GoldItem.from_row(i.to_json()) for i in generated]
    return EvalSet(f"synthetic-{n}-s{seed}", items)


@contextmanager
def conversation_store(settings: Settings) -> Iterator[ConversationStore]:
    """A conversation store of the API's kind in a temporary folder (the index stays read-only)."""
    with tempfile.TemporaryDirectory(prefix="da06-eval-") as folder:
        store = ConversationStore(
            Path(folder) / "conversations.sqlite",
            settings.conversation_ttl_s,
            settings.conversation_max_turns,
        )
        try:
            yield store
        finally:
            store.close()


def score_sets(
    settings: Settings,
    assistant: Assistant,
    sets: Sequence[EvalSet | ConversationSet],
    with_baseline: bool,
) -> dict:
    # Recall@5 is read from the retrieval the answer was composed from, not from a second
    # search: the same ranking, at half the cost on a busy machine.
    retrieved: dict[str, list] = {}

    def answer(question: str, previous: PreviousTurn | None) -> Answer:
        hits, composition, timing = assistant.compose(
            validate_question(question, settings.max_question_chars), previous
        )
        retrieved[question] = hits
        return composition.to_answer(timing)

    def search(question: str, k: int) -> list[Span]:
        hits = retrieved.pop(question, None) or assistant.search(question, k)
        return [Span(h.chunk.source, h.chunk.line_start, h.chunk.line_end) for h in hits[:k]]

    result: dict = {"index_version": assistant.version, "sets": {}}
    with conversation_store(settings) as store:

        def converse(question: str, conversation_id: str | None) -> Answer:
            return ask_in_conversation(store, conversation_id, EVAL_OWNER, question, answer)

        ours = System(lambda question: answer(question, None), converse, search)
        for eval_set in sets:
            result["sets"][eval_set.name] = {"ours": eval_set.score(ours)}
    if with_baseline:
        for eval_set, scores in zip(sets, _baseline_scores(settings, sets), strict=True):
            result["sets"][eval_set.name]["baseline"] = scores
    return result


def _baseline_scores(settings: Settings, sets: Sequence[EvalSet | ConversationSet]) -> list[dict]:
    """The naive baseline keeps no conversation: it answers every turn on its own."""
    from eval.baseline import NaiveBaseline

    baseline = NaiveBaseline(settings)
    baseline.ask("khởi động")

    def baseline_search(question: str, k: int) -> list[Span]:
        return [Span(h.source, h.line_start, h.line_end) for h in baseline.search(question, k)]

    system = System(baseline.ask, lambda question, _: baseline.ask(question), baseline_search)
    return [eval_set.score(system) for eval_set in sets]


def run_evaluation(settings: Settings, gold: Path, with_baseline: bool = False) -> dict:
    """One gold file, in the single-set report shape (``{"gold", "ours", "baseline"}``)."""
    result = run_sets(settings, [gold_set(gold)], with_baseline)
    scores = next(iter(result["sets"].values()))
    return {"gold": str(gold), "index_version": result["index_version"], **scores}


METRICS = (
    ("n", "Questions"),
    ("answer_accuracy", "Answer accuracy (answerable)"),
    ("abstention_precision", "Abstention precision"),
    ("abstention_recall", "Abstention recall (unanswerable)"),
    ("source_accuracy", "Cites gold source"),
    ("citation_accuracy", "Gold line cited"),
    ("recall_at_5", "Retrieval recall@5"),
    ("answer_chars_median", "Answer length, median chars"),
    ("latency_ms_p50", "Latency p50 (ms)"),
    ("latency_ms_p95", "Latency p95 (ms)"),
    ("answers_sha256", "Answers hash (sha256, first 12)"),
    ("conversations", "Conversations"),
    ("first_turns", "First turns right"),
    ("follow_ups", "Follow-ups right"),
    ("turns", "All turns right"),
)
# Turn counts of conversation sets, shown as "right/n (share)".
TURN_COUNTS = frozenset(["first_turns", "follow_ups", "turns"])


def _cell(key: str, value: object) -> str:
    if value is None:
        return "–"
    return str(value)[:12] if key == "answers_sha256" else str(value)


def _metric_cell(key: str, scores: dict) -> str:
    """One set's value of a metric; "–" where it does not apply (turns of a question set)."""
    if key in TURN_COUNTS:
        if f"{key}_n" not in scores:
            return "–"
        return f"{scores[f'{key}_correct']}/{scores[f'{key}_n']} ({scores[f'{key}_accuracy']})"
    return _cell(key, scores.get(key))


def print_sets_report(result: dict, console: Console, failures_shown: int = 15) -> None:
    """Sets side by side, then the per-family breakdown of generated sets, then failures."""
    columns = [
        (name, system)
        for name, scores in result["sets"].items()
        for system in ("ours", "baseline")
        if system in scores
    ]
    table = Table(title=f"Evaluation, index {result['index_version']}")
    table.add_column("metric")
    for name, system in columns:
        table.add_column(name if system == "ours" else f"{name} (baseline)", justify="right")
    for key, label in METRICS:
        table.add_row(label, *[_metric_cell(key, result["sets"][n][s]) for n, s in columns])
    console.print(table)
    for name, scores in result["sets"].items():
        groups = scores["ours"]["by_group"]
        if not any("/" in g for g in groups):
            continue
        breakdown = Table(title=f"{name}: by family")
        for column in ("family", "n", "accuracy", "gold line cited"):
            breakdown.add_column(column, justify="left" if column == "family" else "right")
        for group, stats in groups.items():
            breakdown.add_row(
                group, str(stats["n"]), str(stats["accuracy"]),
                _cell("", stats["citation_accuracy"]),
            )  # fmt: skip
        console.print(breakdown)
    for name, scores in result["sets"].items():
        failures = scores["ours"]["failures"]
        console.print(
            f"{name}: {len(failures)} questions with a failure (answer, citation or recall)"
        )
        for failure in failures[:failures_shown]:
            where = (
                f"{failure['conversation']} turn {failure['turn_index']}"
                if "conversation" in failure
                else failure["id"]
            )
            # Not markup: "[owner]" or a question's brackets would be read as rich style tags.
            console.print(
                f"  - {where} [{failure['group']}] {failure['question'][:100]}",
                style="dim",
                markup=False,
            )


def print_report(result: dict, console: Console) -> None:
    """The single-set report of :func:`run_evaluation`."""
    sets = {"sets": {result["gold"]: {k: result[k] for k in ("ours", "baseline") if k in result}}}
    print_sets_report({"index_version": result["index_version"], **sets}, console)
