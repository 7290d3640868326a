"""Precision and recall of cross-document task links on a hand-checked sample of row pairs.

``eval/data/task_links_sample.jsonl``: 72 pairs (each row's best match in another document,
drawn across the score range) labelled by reading both rows: ``same_task`` is true when the
two rows describe the same assignment (same deliverable and actor), not merely one topic.
Run: ``python eval/task_links.py`` (uses the current index).
"""

from __future__ import annotations

import json
from pathlib import Path

from rag.links import LINK_THRESHOLD, ONE_WAY_THRESHOLD, link_tasks
from rag.schemas import TaskRecord

SAMPLE = Path(__file__).parent / "data" / "task_links_sample.jsonl"
THRESHOLDS = (65.0, 70.0, 75.0, 80.0, 85.0, 90.0)


def load_sample(path: Path = SAMPLE) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _key(source: str, line: int) -> tuple[str, int]:
    return source, line


def precision_recall(
    tasks: list[TaskRecord], sample: list[dict], threshold: float
) -> tuple[float, float, int]:
    """(precision, recall, pairs found) of the stored-link rule on the labelled pairs."""
    ids = {_key(t.source, t.line_start): t.id for t in tasks}
    linked = {frozenset((k.task_id, k.other_id)) for k in link_tasks(tasks, threshold)}
    true_pos = false_pos = false_neg = 0
    for pair in sample:
        a = ids.get(_key(pair["source_a"], pair["line_a"]))
        b = ids.get(_key(pair["source_b"], pair["line_b"]))
        predicted = a is not None and b is not None and frozenset((a, b)) in linked
        if predicted and pair["same_task"]:
            true_pos += 1
        elif predicted:
            false_pos += 1
        elif pair["same_task"]:
            false_neg += 1
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 1.0
    recall = true_pos / (true_pos + false_neg) if true_pos + false_neg else 1.0
    return round(precision, 3), round(recall, 3), true_pos + false_pos


def main() -> None:
    from rag.index import IndexFiles
    from rag.settings import get_settings
    from rag.taskstore import TaskStore

    settings = get_settings()
    files = IndexFiles.load(settings.index_dir)
    store = TaskStore.for_version(settings, files.path)
    tasks = store.all()
    store.close()
    sample = load_sample()
    positives = sum(p["same_task"] for p in sample)
    print(f"hand-checked pairs: {len(sample)} ({positives} same task)")
    for threshold in THRESHOLDS:
        precision, recall, found = precision_recall(tasks, sample, threshold)
        mark = "  <- LINK_THRESHOLD" if threshold == LINK_THRESHOLD else ""
        print(
            f"mutual-best threshold {threshold:5.1f} (one-way {ONE_WAY_THRESHOLD:.0f}): precision {precision:.3f} recall {recall:.3f} ({found}){mark}"
        )


if __name__ == "__main__":
    main()
