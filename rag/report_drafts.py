"""Report drafts: the 4709 letter's task-table templates (its Phụ lục 01 and 02) filled from
the task registry for one unit as of a date (task, directing document, lead unit, deadline,
result columns and an overdue flag).

Templates are data (``data/report_templates.json``); this module only selects and lays out
rows. Writing the files (DOCX, CSV) is ``rag/report_files.py``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

from rag.errors import UnknownReportTemplate
from rag.query import DocumentNumber
from rag.registry_select import RegistryRow, is_overdue, names_directive
from rag.schemas import TaskRecord

# Rows of documents without parts (the city's own plan) are the locality's tasks.
DEFAULT_PART = "local"
MARK = "x"


@dataclass(frozen=True)
class ReportTemplate:
    key: str
    title: str
    columns: tuple[tuple[str, str], ...]  # (header, field)
    groups: tuple[tuple[str, str, str], ...]  # (part, label, title)
    directive: str | None


@dataclass(frozen=True)
class ReportGroup:
    label: str
    title: str
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class ReportDraft:
    template: ReportTemplate
    unit: str | None
    as_of: date
    groups: tuple[ReportGroup, ...]

    @property
    def headers(self) -> list[str]:
        return [header for header, _ in self.template.columns]

    @property
    def row_count(self) -> int:
        return sum(len(g.rows) for g in self.groups)


@lru_cache(maxsize=1)
def report_templates() -> dict[str, ReportTemplate]:
    raw = resources.files("rag").joinpath("data/report_templates.json").read_text("utf-8")
    data = json.loads(raw)["templates"]
    return {
        key: ReportTemplate(
            key=key,
            title=entry["title"],
            columns=tuple(tuple(c) for c in entry["columns"]),
            groups=tuple(tuple(g) for g in entry["groups"]),
            directive=entry["directive"],
        )
        for key, entry in data.items()
    }


def template_named(key: str) -> ReportTemplate:
    wanted = key.strip().lstrip("0").zfill(2) if key.strip().isdigit() else key.strip()
    templates = report_templates()
    if wanted not in templates:
        raise UnknownReportTemplate(
            f"Không có mẫu báo cáo {key}; dùng một trong {', '.join(templates)} / "
            f"unknown report template {key}"
        )
    return templates[wanted]


def _day(value: date | None) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year}" if value else ""


def cell(task: TaskRecord, field: str, as_of: date) -> str:
    """One template cell of a task row."""
    values = {
        "text": task.text,
        "directives": "; ".join(task.directives),
        "lead": ", ".join(task.lead_units),
        "coordinating": ", ".join(task.coordinating_units),
        "deadline": task.deadline.text,
        "done": (task.result or MARK) if task.status == "hoàn thành" else "",
        "not_done": (task.result or MARK)
        if task.status in ("chưa hoàn thành", "đang triển khai")
        else "",
        "recurring": MARK if task.status == "thường xuyên" else "",
        "overdue": f"Quá hạn (hạn {_day(task.deadline.end)})" if is_overdue(task, as_of) else "",
    }
    return " ".join(values.get(field, "").split())


def _involves(task: TaskRecord, unit: str | None) -> bool:
    return unit is None or unit in task.lead_units or unit in task.coordinating_units


def fill(
    template: ReportTemplate, rows: Sequence[RegistryRow], unit: str | None, as_of: date
) -> ReportDraft:
    """The unit's rows (lead or coordinating) under the template's groups, numbered from 1."""
    directive = (
        DocumentNumber(template.directive, template.directive, template.directive)
        if template.directive
        else None
    )
    chosen = [
        r
        for r in rows
        if _involves(r.task, unit)
        and (directive is None or any(names_directive(d, directive) for d in r.task.directives))
    ]
    groups = []
    for part, label, title in template.groups:
        members = [r for r in chosen if ((r.group and r.group.part) or DEFAULT_PART) == part]
        laid_out = []
        for number, row in enumerate(members, start=1):
            laid_out.append(
                tuple(
                    str(number) if field == "number" else cell(row.task, field, as_of)
                    for _, field in template.columns
                )
            )
        groups.append(ReportGroup(label, title, tuple(laid_out)))
    return ReportDraft(template, unit, as_of, tuple(groups))
