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
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
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
# Candidate blocking, checked against the all-pairs comparison on the shipped corpus and on
# five times it (identical links; README, "Fifty times the corpus"): a row is compared only
# with rows of other documents that share 3 of its 12 rarest words (fewer for short rows).
BLOCK_KEYS = 12
MIN_SHARED_KEYS = 3
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
    to its head: a task is named in its first words, and longer texts cost more to score."""
    return " ".join(re.findall(r"[0-9a-z]+", fold(task.text[:LINK_CHARS])))


def directive_numbers(task: TaskRecord) -> frozenset[str]:
    return frozenset(n for d in task.directives for n in _NUMBER.findall(d))


def pair_score(a: TaskRecord, b: TaskRecord, text_score: float) -> float:
    """Text similarity plus bonuses for a shared directive number and a shared lead unit."""
    return with_bonus(text_score, bonus_keys(a), bonus_keys(b))


BonusKeys = tuple[frozenset[str], frozenset[str]]


def bonus_keys(task: TaskRecord) -> BonusKeys:
    """What :func:`bonus` compares, computed once per row (not once per scored pair)."""
    return directive_numbers(task), frozenset(task.lead_units)


def with_bonus(text_score: float, a: BonusKeys, b: BonusKeys) -> float:
    # Added one at a time, as the stored scores always were: (x + 6) + 4 can round differently
    # from x + 10 at the first decimal.
    score = text_score
    if a[0] & b[0]:
        score += DIRECTIVE_BONUS
    if a[1] & b[1]:
        score += UNIT_BONUS
    return score


def text_similarity(a: str, b: str) -> float:
    """Average of whole-string and word-set similarity: one alone over-links short rows."""
    return (fuzz.ratio(a, b) + fuzz.token_set_ratio(a, b)) / 2


def best_pairs(tasks: Sequence[TaskRecord]) -> list[TaskLink]:
    """For each row and each other document holding a candidate row (:func:`candidates`), its
    best-scoring candidate there; ordered as the all-pairs comparison ordered them (document
    pair, then direction, then row), because link order is the order answers list them in."""
    texts = [link_text(t) for t in tasks]
    usable = [i for i, text in enumerate(texts) if len(text.split()) >= MIN_WORDS]
    sources = sorted({tasks[i].source for i in usable})
    rank = {source: n for n, source in enumerate(sources)}
    source_of = np.array([rank[tasks[i].source] for i in usable], dtype=np.int64)
    bonuses = [bonus_keys(tasks[i]) for i in usable]
    keyed: list[tuple[tuple[int, int, int, int], TaskLink]] = []
    found = candidates(blocking_keys([texts[i] for i in usable]), source_of)
    for p, others in enumerate(found):
        if not len(others):
            continue
        scores = similarity_matrix([texts[usable[p]]], [texts[usable[q]] for q in others])[0]
        for q, text_score in best_per_source(others, scores, source_of[others]):
            i, j = usable[p], usable[q]
            score = with_bonus(text_score, bonuses[p], bonuses[q])
            mine, theirs = int(source_of[p]), int(source_of[q])
            order = (mine, theirs, 0, i) if mine < theirs else (theirs, mine, 1, i)
            keyed.append((order, TaskLink(tasks[i].id, tasks[j].id, round(score, 1))))
    keyed.sort(key=lambda pair: pair[0])
    return [link for _, link in keyed]


def blocking_keys(texts: Sequence[str], per_row: int = BLOCK_KEYS) -> list[list[str]]:
    """Each text's ``per_row`` rarest words (fewest texts holding them; ties by spelling).
    Rows about one task share their rare words, while common ones ("triển khai", "dữ liệu")
    would put every row in one block."""
    word_sets = [set(text.split()) for text in texts]
    frequency = Counter(word for words in word_sets for word in words)
    return [sorted(words, key=lambda w: (frequency[w], w))[:per_row] for words in word_sets]


def candidates(
    keys: Sequence[Sequence[str]], source_of: np.ndarray, shared: int = MIN_SHARED_KEYS
) -> list[np.ndarray]:
    """For each row, the rows of other documents (ascending) sharing at least
    :func:`shared_needed` of its blocking keys. Replaces comparing every row with every row of
    every other document, which grew with the square of the corpus."""
    postings: dict[str, list[int]] = {}
    for row, row_keys in enumerate(keys):
        for key in row_keys:
            postings.setdefault(key, []).append(row)
    arrays = {key: np.array(rows, dtype=np.int64) for key, rows in postings.items()}
    key_counts = np.array([len(k) for k in keys], dtype=np.int64)
    found = []
    for row, row_keys in enumerate(keys):
        if not row_keys:
            found.append(np.empty(0, dtype=np.int64))
            continue
        others, counts = np.unique(
            np.concatenate([arrays[k] for k in row_keys]), return_counts=True
        )
        needed = shared_needed(np.minimum(key_counts[others], len(row_keys)), shared)
        found.append(others[(counts >= needed) & (source_of[others] != source_of[row])])
    return found


def shared_needed(key_counts: np.ndarray, shared: int = MIN_SHARED_KEYS) -> np.ndarray:
    """Keys two rows must share, from the shorter row's key count: one per four keys, at most
    ``shared``. Short rows ("Rà soát thủ tục hành chính") link on two words in common, which
    three of four would miss."""
    return np.clip(key_counts // 4, 1, shared)


def best_per_source(
    others: np.ndarray, scores: np.ndarray, sources: np.ndarray
) -> list[tuple[int, float]]:
    """(row, score) of the best-scoring row per source; on a tie the first row, as argmax."""
    order = np.lexsort((others, -scores, sources))
    _, first = np.unique(sources[order], return_index=True)
    return [(int(others[order[n]]), float(scores[order[n]])) for n in first]


def similarity_matrix(mine: list[str], theirs: list[str]):
    """:func:`text_similarity` for every pair, computed by rapidfuzz's C scorers (float32, as
    the stored scores were always computed)."""
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
