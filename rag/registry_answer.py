"""Answers to registry questions: the filters applied, the number, a bounded list of rows
with their row numbers, and a citation to each listed row.

"Đếm trong Phụ lục I, tình trạng Đang triển khai: 12 nhiệm vụ — dòng 1 … [1]; …" — the
user sees what was counted, so a wrong filter is visible rather than silently wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from rag.compose import CitationList, Composition
from rag.index import StoredDocument
from rag.registry_query import RegistryQuery, status_of_key
from rag.registry_select import RegistryRow, group_counts, select
from rag.schemas import Chunk, Citation, TaskRecord
from rag.text import fold

LIST_LIMIT = 6
# A count is the answer; its first rows are shown (and cited) so the count can be checked.
COUNT_SHOWN = 3
ITEM_CHARS = 90
ROLE_WORDS = {"lead": "chủ trì", "coordinating": "phối hợp", None: "chủ trì hoặc phối hợp"}
PART_WORDS = {
    "local": "phần nhiệm vụ của địa phương",
    "common": "phần nhiệm vụ chung",
    "ministries": "phần nhiệm vụ của bộ, ngành",
}
KIND_WORDS = {"recurring": "thời hạn thường xuyên", "unspecified": "không ghi thời hạn cụ thể"}
STATUS_LABELS = {
    "hoàn thành": "đã hoàn thành",
    "chưa hoàn thành": "chưa hoàn thành",
    "đang triển khai": "đang triển khai",
    "thường xuyên": "thực hiện thường xuyên",
    "unknown": "chưa ghi kết quả",
}


def day_text(value) -> str:
    return f"{value.day}/{value.month}/{value.year}"


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def describe_filters(query: RegistryQuery, label: Callable[[str], str]) -> list[str]:
    """The filters in words, in the order a reader checks them."""
    parts = []
    if query.source:
        parts.append(f"trong {label(query.source)}")
    if query.unit:
        parts.append(f"{query.unit} {ROLE_WORDS[query.role]}")
    if query.groups:
        group = query.groups[0]
        if group.key:
            parts.append(f"nhóm {group.key}. {_short(group.title, 60)}")
        elif group.part_number:
            parts.append(f"phần {group.part_number} (bảng đánh số lại từ 1)")
    if query.part:
        parts.append(PART_WORDS[query.part])
    if query.status:
        parts.append(f"tình trạng: {status_of_key(query.status).label}")
    if query.window_text or query.due_from or query.due_to:
        parts.append(_window_words(query))
    if query.deadline_kind:
        parts.append(KIND_WORDS[query.deadline_kind])
    if query.directive:
        parts.append(f"văn bản chỉ đạo: {query.directive.text}")
    if query.product:
        parts.append(f"sản phẩm có “{query.product}”")
    if query.text:
        parts.append(f"nội dung có “{query.text}”")
    return parts


def _window_words(query: RegistryQuery) -> str:
    if query.due_from and query.due_to:
        return f"thời hạn kết thúc từ {day_text(query.due_from)} đến {day_text(query.due_to)}"
    if query.due_to:
        return f"thời hạn kết thúc đến {day_text(query.due_to)}"
    return f"thời hạn kết thúc từ {day_text(query.due_from)}"


def stated_count_lines(document: StoredDocument, title: str, count: int) -> list[int]:
    """Lines that state ``count`` tasks ("(13 nhiệm vụ)") and share the group title's words."""
    pattern = re.compile(rf"\(\s*0*{count}\s+nhiệm vụ\s*\)", re.IGNORECASE)
    title_words = set(fold(title).split())
    found = []
    for number, line in enumerate(document.lines(None), start=1):
        if pattern.search(line) and len(title_words & set(fold(line).split())) >= 3:
            found.append(number)
    return found


def with_stated_count(
    composition: Composition, lines: list[int], documents: dict[str, StoredDocument]
) -> Composition:
    """Add the document's own statement of the count, cited, to a registry count."""
    if not lines or not composition.tasks:
        return composition
    source = composition.tasks[0].source
    document = documents[source]
    citations = list(composition.citations)
    markers = []
    for line in lines[:2]:
        quote = " ".join(document.lines(None)[line - 1].split())
        citations.append(
            Citation(
                id=len(citations) + 1, source=source, title=document.title,
                page=None, line_start=line, line_end=line, quote=quote,
            )
        )  # fmt: skip
        markers.append(f"[{len(citations)}]")
    text = f"{composition.text} Văn bản cũng ghi số này {' '.join(markers)}."
    return Composition(text, composition.abstained, citations, composition.tasks)


def row_label(row: RegistryRow) -> str:
    group = f"nhóm {row.group.key}, " if row.group and row.group.key else ""
    return f"{group}dòng {row.task.row}" if row.task.row else f"{group}dòng không đánh số"


@dataclass
class RegistryAnswerer:
    """Composes registry answers over one index version's rows."""

    rows: list[RegistryRow]
    documents: dict[str, StoredDocument]
    chunk_for: Callable[[TaskRecord], Chunk | None]

    def label(self, source: str) -> str:
        document = self.documents.get(source)
        return document.label if document else source

    def answer(self, query: RegistryQuery) -> Composition:
        if query.operation == "group_by":
            return self._grouped(query)
        if query.operation == "compare_units":
            return self._units_compared(query)
        chosen = select(self.rows, query)
        head = self._head(query, len(chosen))
        stated = self._stated_lines(query, chosen)
        shown = COUNT_SHOWN if query.operation == "count" else LIST_LIMIT
        composition = self._listing(head, chosen, query.operation != "count", shown)
        return with_stated_count(composition, stated, self.documents)

    def _stated_lines(self, query: RegistryQuery, chosen: Sequence[RegistryRow]) -> list[int]:
        """Lines where the document itself states a whole group's count ("(13 nhiệm vụ)")."""
        whole_group = query.groups and query.filter_count() == 1 and query.operation == "count"
        if not whole_group or not chosen:
            return []
        source = chosen[0].task.source
        document = self.documents.get(source)
        if document is None or len({r.task.source for r in chosen}) != 1:
            return []
        return stated_count_lines(document, query.groups[0].title, len(chosen))

    def _head(self, query: RegistryQuery, count: int) -> str:
        filters = ", ".join(describe_filters(query, self.label)) or "trong toàn bộ sổ nhiệm vụ"
        if query.operation == "overdue":
            return (
                f"Tính đến {day_text(query.as_of)}, {filters}: {count} nhiệm vụ đã quá hạn "
                "(hạn đã qua, chưa ghi hoàn thành)"
            )
        if query.operation == "upcoming":
            return (
                f"Từ {day_text(query.as_of)} trong {query.days} ngày tới, {filters}: "
                f"{count} nhiệm vụ sắp đến hạn (chưa ghi hoàn thành)"
            )
        verb = "Đếm" if query.operation == "count" else "Lọc"
        return f"{verb} {filters}: {count} nhiệm vụ"

    def _listing(
        self, head: str, chosen: Sequence[RegistryRow], show_deadline: bool, shown: int
    ) -> Composition:
        if not chosen:
            return Composition(text=f"{head}.", abstained=False)
        citations = CitationList(self.documents)
        items = []
        for row in chosen[:shown]:
            chunk = self.chunk_for(row.task)
            marker = f" [{citations.cite(chunk)}]" if chunk else ""
            due = (
                f" (hạn: {row.task.deadline.text})"
                if show_deadline and row.task.deadline.text
                else ""
            )
            items.append(f"{row_label(row)} — {_short(row.task.text, ITEM_CHARS)}{due}{marker}")
        more = len(chosen) - shown
        tail = f"; và {more} nhiệm vụ khác" if more > 0 else ""
        text = f"{head}: " + "; ".join(items) + tail + "."
        return Composition(
            text=text, abstained=False, citations=citations.items, tasks=[r.task for r in chosen]
        )

    def _units_compared(self, query: RegistryQuery) -> Composition:
        """Each unit's count under the same filters, and which has more (or that they tie)."""
        counted = []
        for unit in query.units:
            chosen = select(self.rows, replace(query, unit=unit, operation="count"))
            counted.append((unit, chosen))
        shared = replace(query, unit=None)
        filters = ", ".join(describe_filters(shared, self.label)) or "trong toàn bộ sổ nhiệm vụ"
        role = ROLE_WORDS[query.role]
        citations = CitationList(self.documents)
        parts = []
        for unit, chosen in counted:
            markers = "".join(
                f" [{citations.cite(chunk)}]"
                for row in chosen[:COUNT_SHOWN]
                if (chunk := self.chunk_for(row.task)) is not None
            )
            parts.append(f"{unit} {role} {len(chosen)} nhiệm vụ{markers}")
        ranked = sorted(counted, key=lambda uc: -len(uc[1]))
        if len(ranked[0][1]) == len(ranked[-1][1]):
            verdict = f"bằng nhau ({len(ranked[0][1])} nhiệm vụ mỗi đơn vị)"
        else:
            verdict = f"{ranked[0][0]} nhiều hơn ({len(ranked[0][1])} so với {len(ranked[-1][1])})"
        text = f"So sánh {filters}: " + "; ".join(parts) + f" — {verdict}."
        return Composition(
            text=text,
            abstained=False,
            citations=citations.items,
            tasks=[r.task for _, chosen in counted for r in chosen],
        )

    def _grouped(self, query: RegistryQuery) -> Composition:
        chosen = select(self.rows, query)
        filters = ", ".join(describe_filters(query, self.label)) or "trong toàn bộ sổ nhiệm vụ"
        counts = group_counts(chosen, query.group_by or "status")
        shown = [
            f"{STATUS_LABELS.get(name, name) if query.group_by == 'status' else name}: {n}"
            for name, n in counts[:8]
        ]
        citations = CitationList(self.documents)
        markers = []
        for row in chosen[:3]:
            chunk = self.chunk_for(row.task)
            if chunk:
                markers.append(f"[{citations.cite(chunk)}]")
        text = f"{filters[:1].upper()}{filters[1:]}: {len(chosen)} nhiệm vụ; " + "; ".join(shown)
        return Composition(
            text=f"{text} {' '.join(markers)}".rstrip() + ".",
            abstained=False,
            citations=citations.items,
            tasks=[r.task for r in chosen],
        )
