"""The same task across documents: link rows of the plan, Phụ lục I, Phụ lục 03 and the 4709
templates that describe one task, and list where linked rows disagree.

A national task appears in several tables with the wording trimmed or extended ("Rà soát,
đánh giá và tái cấu trúc …" vs "Rà soát đánh giá và tái cấu trúc toàn bộ …"), so rows are
compared on normalized task text (folded words, no punctuation), with a bonus for shared
directive numbers and lead units. The threshold was chosen on a hand-checked sample of
pairs (``eval/data/task_links_sample.jsonl``; precision/recall in the README). Links are
computed at build time and stored in ``tasks.sqlite`` (table ``task_links``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process
from sqlalchemy import Connection

from rag.registry_db import metadata, task_links_table, writing
from rag.schemas import TaskRecord
from rag.text import fold

if TYPE_CHECKING:
    from rag.taskstore import TaskStore

# Chosen on the hand-checked sample (see README, "Questions over the registry"): pairs that
# are each other's best match link from 75; a one-way best match (the other row has a
# closer twin, as Phụ lục 03 repeats tasks) links only from 88.
LINK_THRESHOLD = 75.0
ONE_WAY_THRESHOLD = 88.0
DIRECTIVE_BONUS = 6.0
UNIT_BONUS = 4.0
MIN_WORDS = 4
LINK_CHARS = 180
_NUMBER = re.compile(r"(?<![0-9])0*(\d{2,5})(?![0-9])")


@dataclass(frozen=True)
class TaskLink:
    task_id: str
    other_id: str
    score: float


@dataclass(frozen=True)
class Conflict:
    """Two linked rows that disagree on a field: deadline, lead unit or status."""

    field: str  # "deadline", "lead", "status"
    task: TaskRecord
    other: TaskRecord


def link_text(task: TaskRecord) -> str:
    """Task text as compared: folded words only (tables wrap and punctuate differently), cut
    to its head: a task is named in its first words, and pairwise scoring is quadratic."""
    return " ".join(re.findall(r"[0-9a-z]+", fold(task.text[:LINK_CHARS])))


def directive_numbers(task: TaskRecord) -> frozenset[str]:
    return frozenset(n for d in task.directives for n in _NUMBER.findall(d))


def pair_score(a: TaskRecord, b: TaskRecord, text_score: float) -> float:
    """Text similarity plus bonuses for a shared directive number and a shared lead unit."""
    score = text_score
    if directive_numbers(a) & directive_numbers(b):
        score += DIRECTIVE_BONUS
    if set(a.lead_units) & set(b.lead_units):
        score += UNIT_BONUS
    return score


def text_similarity(a: str, b: str) -> float:
    """Average of whole-string and word-set similarity: one alone over-links short rows."""
    return (fuzz.ratio(a, b) + fuzz.token_set_ratio(a, b)) / 2


def best_pairs(tasks: Sequence[TaskRecord]) -> list[TaskLink]:
    """For each row and each other document, its best-scoring row there (any score)."""
    texts = [link_text(t) for t in tasks]
    usable = [i for i, text in enumerate(texts) if len(text.split()) >= MIN_WORDS]
    sources = sorted({tasks[i].source for i in usable})
    by_source = {s: [i for i in usable if tasks[i].source == s] for s in sources}
    pairs: list[TaskLink] = []
    for position, source in enumerate(sources):
        for other_source in sources[position + 1 :]:
            mine, theirs = by_source[source], by_source[other_source]
            scores = similarity_matrix([texts[i] for i in mine], [texts[j] for j in theirs])
            # One matrix serves both directions: rows look for columns, columns for rows.
            for rows, cols, matrix in ((mine, theirs, scores), (theirs, mine, scores.T)):
                best = matrix.argmax(axis=1)
                for position_in, i in enumerate(rows):
                    j = cols[int(best[position_in])]
                    text_score = float(matrix[position_in][best[position_in]])
                    score = pair_score(tasks[i], tasks[j], text_score)
                    pairs.append(TaskLink(tasks[i].id, tasks[j].id, round(score, 1)))
    return pairs


def similarity_matrix(mine: list[str], theirs: list[str]):
    """:func:`text_similarity` for every pair, computed by rapidfuzz's C scorers."""
    whole = process.cdist(mine, theirs, scorer=fuzz.ratio)
    words = process.cdist(mine, theirs, scorer=fuzz.token_set_ratio)
    return (whole + words) / 2


def link_tasks(tasks: Sequence[TaskRecord], threshold: float = LINK_THRESHOLD) -> list[TaskLink]:
    """Links (both directions) for mutual best matches from ``threshold`` and one-way best
    matches from :data:`ONE_WAY_THRESHOLD`."""
    best = {(p.task_id, p.other_id): p.score for p in best_pairs(tasks)}
    linked: dict[tuple[str, str], float] = {}
    for (a, b), score in best.items():
        back = best.get((b, a))
        mutual = back is not None and min(score, back) >= threshold
        if mutual or score >= ONE_WAY_THRESHOLD:
            linked[(a, b)] = score
            linked[(b, a)] = max(score, back or 0.0)
    return [TaskLink(a, b, score) for (a, b), score in linked.items()]


def write_links(target: Path | Connection, tasks: Sequence[TaskRecord]) -> int:
    """Store the links beside the task rows (``tasks.sqlite`` or an open transaction);
    returns how many were written."""
    links = link_tasks(tasks)
    with writing(target) as db:
        metadata.create_all(db, tables=[task_links_table])
        if links:
            db.execute(
                task_links_table.insert(),
                [
                    {"task_id": link.task_id, "other_id": link.other_id, "score": link.score,
                     "position": n}
                    for n, link in enumerate(links)
                ],
            )  # fmt: skip
    return len(links)


def read_links(store: TaskStore) -> dict[str, list[tuple[str, float]]]:
    """task id -> [(linked task id, score)]; empty for an index built before links existed."""
    links: dict[str, list[tuple[str, float]]] = {}
    for task_id, other_id, score in store.links_rows():
        links.setdefault(task_id, []).append((other_id, score))
    return links


def _lead_key(task: TaskRecord) -> frozenset[str]:
    return frozenset(task.lead_units)


def _deadline_differs(a: TaskRecord, b: TaskRecord) -> bool:
    """Different due days, or a dated row against a recurring one ("Thường xuyên")."""
    if not a.deadline.text or not b.deadline.text:
        return False
    if a.deadline.end and b.deadline.end:
        return a.deadline.end != b.deadline.end
    kinds = {a.deadline.kind, b.deadline.kind}
    return "recurring" in kinds and (a.deadline.end or b.deadline.end) is not None


def disagreements(a: TaskRecord, b: TaskRecord) -> list[str]:
    """Fields on which two linked rows disagree; a field either row leaves blank is no conflict."""
    fields = []
    if _deadline_differs(a, b):
        fields.append("deadline")
    if a.lead_units and b.lead_units and not (_lead_key(a) & _lead_key(b)):
        fields.append("lead")
    known = {"unknown"}
    if a.status not in known and b.status not in known and a.status != b.status:
        fields.append("status")
    return fields


def conflicts(tasks_by_id: dict[str, TaskRecord], links: dict[str, list]) -> list[Conflict]:
    """Each disagreeing linked pair once (ordered by source, then line)."""
    found = []
    for task_id, others in links.items():
        for other_id, _ in others:
            if task_id >= other_id or task_id not in tasks_by_id or other_id not in tasks_by_id:
                continue
            a, b = sorted(
                (tasks_by_id[task_id], tasks_by_id[other_id]),
                key=lambda t: (t.source, t.line_start),
            )
            found.extend(Conflict(field, a, b) for field in disagreements(a, b))
    return sorted(found, key=lambda c: (c.task.source, c.task.line_start, c.field))
