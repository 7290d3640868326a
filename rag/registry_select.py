"""Runs a parsed registry query over the task rows: filters, overdue/upcoming views, grouping.

The registry is small (hundreds of rows), so rows are loaded once per index version and
filtered in Python; every predicate is a pure function of one row and the query.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from rag.query import DocumentNumber
from rag.registry_query import GroupRef, RegistryQuery, status_of_key
from rag.schemas import TaskRecord
from rag.taskstore import DONE
from rag.text import fold, squash

DATED = ("date", "range")


@dataclass(frozen=True)
class RegistryRow:
    task: TaskRecord
    group: GroupRef | None = None


def names_directive(directive: str, number: DocumentNumber) -> bool:
    """Whether a directing-document cell names the document (any spelling, no leading zeros)."""
    if number.key != number.number:
        return number.key in squash(directive)
    return re.search(rf"(?<!\d)0*{int(number.number)}(?!\d)", directive) is not None


def _unit_ok(task: TaskRecord, query: RegistryQuery) -> bool:
    if query.unit is None:
        return True
    if query.role == "coordinating":
        return query.unit in task.coordinating_units
    if query.role == "lead":
        return query.unit in task.lead_units
    return query.unit in task.lead_units or query.unit in task.coordinating_units


def _group_ok(row: RegistryRow, query: RegistryQuery) -> bool:
    if query.groups and row.group not in query.groups:
        return False
    return not query.part or (row.group is not None and row.group.part == query.part)


def _deadline_ok(task: TaskRecord, query: RegistryQuery) -> bool:
    if query.deadline_kind and task.deadline.kind != query.deadline_kind:
        return False
    if query.due_from is None and query.due_to is None:
        return True
    end = task.deadline.end if task.deadline.kind in DATED else None
    if end is None:
        return False
    return (query.due_from is None or end >= query.due_from) and (
        query.due_to is None or end <= query.due_to
    )


def _text_ok(task: TaskRecord, query: RegistryQuery) -> bool:
    if query.product and query.product not in fold(task.product or ""):
        return False
    if query.text:
        haystack = fold(" ".join([task.text, task.product or "", task.result or ""]))
        if not all(word in haystack for word in query.text.split()):
            return False
    return not query.directive or any(names_directive(d, query.directive) for d in task.directives)


def matches(row: RegistryRow, query: RegistryQuery, source: str | None) -> bool:
    task = row.task
    if source and task.source != source:
        return False
    if query.status and task.status != status_of_key(query.status).stored:
        return False
    return (
        _unit_ok(task, query)
        and _group_ok(row, query)
        and _deadline_ok(task, query)
        and _text_ok(task, query)
    )


def is_overdue(task: TaskRecord, as_of) -> bool:
    """Not completed and past the end of a dated deadline (recurring tasks never are)."""
    return (
        task.status != DONE
        and task.deadline.kind in DATED
        and task.deadline.end is not None
        and task.deadline.end < as_of
    )


def is_upcoming(task: TaskRecord, as_of, days: int) -> bool:
    end = task.deadline.end
    return (
        task.status != DONE
        and task.deadline.kind in DATED
        and end is not None
        and as_of <= end <= as_of + timedelta(days=days)
    )


def select(
    rows: list[RegistryRow], query: RegistryQuery, source: str | None = None
) -> list[RegistryRow]:
    """Rows of one document (default: the query's first) that pass every filter and view."""
    scope = source if source is not None else query.source
    chosen = [r for r in rows if matches(r, query, scope)]
    if query.operation == "overdue" and query.as_of:
        chosen = [r for r in chosen if is_overdue(r.task, query.as_of)]
    elif query.operation == "upcoming" and query.as_of:
        chosen = [r for r in chosen if is_upcoming(r.task, query.as_of, query.days)]
    return chosen


def group_counts(rows: list[RegistryRow], key: str) -> list[tuple[str, int]]:
    """Counts by status label, group heading or lead unit, largest first."""
    counter: Counter[str] = Counter()
    for row in rows:
        if key == "status":
            counter[row.task.status] += 1
        elif key == "group":
            label = f"{row.group.key}. {row.group.title}" if row.group else "(không nhóm)"
            counter[label] += 1
        else:
            for unit in row.task.lead_units or ["(không ghi)"]:
                counter[unit] += 1
    return counter.most_common()
