"""Groups and parts of task tables as data: each row's group heading ("V. Hoàn thiện hệ sinh
thái …", "C Nhiệm vụ của các địa phương") and, where numbering restarts, its part.

Derived from what ingest already records (the row's section and number, in table order) and
stored in ``tasks.sqlite`` (table ``task_groups``) at build time. Phụ lục I restarts its
numbering without a heading: its parts are told apart by the restart and named by who leads
their rows (the ministries and localities together, the ministries, or the localities).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from rag.registry_db import metadata, task_groups_table, writing
from rag.registry_query import GroupRef
from rag.schemas import TaskRecord
from rag.text import fold, normalize

if TYPE_CHECKING:
    from rag.taskstore import TaskStore

# "V. HOÀN THIỆN …", "II. Nhiệm vụ cụ thể …", "C Nhiệm vụ của các địa phương", "A NHÓM DVC".
_HEADING = re.compile(r"^([IVX]{1,4}|[A-E])(?:\.\s*|\s+)(\S.*)$")
# "(13 NHIỆM VỤ)" after a plan heading is a count, not part of the title.
_COUNT_SUFFIX = re.compile(r"\s*\(\s*\d+\s+nhiệm vụ\s*\)\s*$", re.IGNORECASE)
_LOCAL_WORDS = re.compile(r"\b(?:ubnd|uy ban nhan dan|dia phuong|tinh|thanh pho|tp)\b")


def heading_of(section: str) -> tuple[str, str] | None:
    """("V", "Hoàn thiện hệ sinh thái …") for a group heading, None for a document title."""
    match = _HEADING.match(normalize(section))
    if not match:
        return None
    title = _COUNT_SUFFIX.sub("", match.group(2)).strip()
    return match.group(1), title


def part_from_title(title: str) -> str | None:
    """The part a heading announces: common tasks, the ministries', or the localities'."""
    folded = fold(title)
    if "chung" in folded:
        return "common"
    if "dia phuong" in folded:
        return "local"
    if re.search(r"\bbo\b.*\bnganh\b", folded):
        return "ministries"
    return None


def part_from_units(units: Sequence[str]) -> str:
    """Who leads a row: "Các bộ, ngành, địa phương" (common), UBND … (local), a ministry."""
    folded = fold(" ".join(units))
    if re.search(r"\bbo\b", folded) and "nganh" in folded and "dia phuong" in folded:
        return "common"
    if _LOCAL_WORDS.search(folded) and not re.search(r"\bbo\b", folded):
        return "local"
    return "ministries"


def _row_number(row: str) -> int | None:
    match = re.match(r"\d+", row or "")
    return int(match.group(0)) if match else None


def _segments(tasks: Sequence[TaskRecord]) -> list[list[TaskRecord]]:
    """Rows of one document split where the heading changes or the numbering restarts."""
    segments: list[list[TaskRecord]] = []
    previous: TaskRecord | None = None
    for task in tasks:
        number, last = _row_number(task.row), _row_number(previous.row) if previous else None
        restart = number is not None and last is not None and number < last and number <= 1
        if previous is None or task.section != previous.section or restart:
            segments.append([])
        segments[-1].append(task)
        previous = task
    return segments


def derive_groups(tasks: Sequence[TaskRecord]) -> dict[str, GroupRef]:
    """task id -> its group/part, for every row under a heading or in a restarted numbering."""
    found: dict[str, GroupRef] = {}
    sources = dict.fromkeys(t.source for t in tasks)
    for source in sources:
        segments = _segments([t for t in tasks if t.source == source])
        unheaded = [s for s in segments if heading_of(s[0].section) is None]
        for segment in segments:
            heading = heading_of(segment[0].section)
            if heading:
                ref = GroupRef(source, heading[0], heading[1], part_from_title(heading[1]))
            elif len(unheaded) > 1:
                votes = Counter(part_from_units(t.lead_units) for t in segment)
                number = str(unheaded.index(segment) + 1)
                ref = GroupRef(source, "", "", votes.most_common(1)[0][0], number)
            else:
                continue
            for task in segment:
                found[task.id] = ref
    return found


def write_groups(target: Path | Connection, tasks: Sequence[TaskRecord]) -> None:
    """Store the groups beside the task rows (``tasks.sqlite`` or an open transaction)."""
    groups = derive_groups(tasks)
    with writing(target) as db:
        metadata.create_all(db, tables=[task_groups_table])
        if groups:
            db.execute(
                task_groups_table.insert(),
                [
                    {"task_id": i, "group_key": g.key, "group_title": g.title, "part": g.part,
                     "part_number": g.part_number, "position": n}
                    for n, (i, g) in enumerate(groups.items())
                ],
            )  # fmt: skip


def read_groups(store: TaskStore, sources: dict[str, str]) -> dict[str, GroupRef]:
    """task id -> group; ``sources`` maps task id -> source. Empty for older indexes."""
    return {
        task_id: GroupRef(sources[task_id], key, title, part, number)
        for task_id, key, title, part, number in store.groups_rows()
        if task_id in sources
    }
