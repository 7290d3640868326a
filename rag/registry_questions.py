"""The registry side of the answer path: parse a question into a registry query and, when it
is one, answer it from the task rows (counts, filters, as-of views, cross-document compare).

Built once per loaded index version (rows, groups and links read from the version's registry);
:meth:`RegistryQuestions.respond` is the one call the assistant makes before retrieval.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from rag.compose import CitationList, Composition
from rag.index import StoredDocument
from rag.links import Conflict, conflicts, disagreements, link_text, read_links, text_similarity
from rag.query import QueryAnalysis
from rag.registry_answer import RegistryAnswerer
from rag.registry_query import GroupRef, RegistryQuery, parse_registry_question
from rag.registry_select import RegistryRow
from rag.retrieve import HybridSearcher
from rag.schemas import Chunk, TaskRecord
from rag.task_groups import read_groups
from rag.taskstore import TaskStore

SEARCH_K = 3
# Below this text similarity the best row of the other document is a different task.
SAME_TASK_SIMILARITY = 60.0
MAX_LINKED = 3
# Question intents (rag/data/intents.json) and the linked-row field each asks about.
INTENT_FIELDS = {"deadline": "deadline", "owner": "lead", "status": "status"}
FIELD_WORDS = {"deadline": "thời hạn", "lead": "đơn vị chủ trì", "status": "tình trạng"}
RowSearch = Callable[[QueryAnalysis, str], list[TaskRecord]]


def _field_value(task: TaskRecord, field: str) -> str:
    if field == "deadline":
        return task.deadline.text or "không ghi"
    if field == "lead":
        return ", ".join(task.lead_units[:4]) or "không ghi"
    return task.status if task.status != "unknown" else "không ghi kết quả"


@dataclass
class RegistryQuestions:
    rows: list[RegistryRow]
    catalog: list[GroupRef]
    links: dict[str, list[tuple[str, float]]]
    documents: dict[str, StoredDocument]
    chunk_for: Callable[[TaskRecord], Chunk | None]
    search_rows: RowSearch
    aliases: dict[str, list[str]]  # each document's names (IndexFiles.aliases)

    @classmethod
    def load(
        cls,
        store: TaskStore,
        documents: dict[str, StoredDocument],
        chunk_for: Callable[[TaskRecord], Chunk | None],
        searcher: HybridSearcher,
        task_at: Callable[[Chunk], TaskRecord | None],
        aliases: dict[str, list[str]],
    ) -> RegistryQuestions:
        def search_rows(analysis: QueryAnalysis, source: str) -> list[TaskRecord]:
            hits = searcher.search(analysis, SEARCH_K, source=source, kind="row")
            return [task for hit in hits if (task := task_at(hit.chunk)) is not None]

        tasks = store.all()
        groups = read_groups(store, {t.id: t.source for t in tasks})
        links = read_links(store)
        rows = [RegistryRow(t, groups.get(t.id)) for t in tasks]
        catalog = list(dict.fromkeys(g for g in groups.values()))
        return cls(rows, catalog, links, documents, chunk_for, search_rows, aliases)

    def __post_init__(self) -> None:
        self.by_id = {r.task.id: r.task for r in self.rows}
        # Question-independent inputs of the parser, computed once per index version.
        self._task_sources = sorted({r.task.source for r in self.rows})
        self._own_numbers = [d.number.split("/")[0] for d in self.documents.values() if d.number]

    def parse(self, question: str, units: tuple[str, ...], today: date | None = None):
        return parse_registry_question(
            question,
            units,
            self.aliases,
            self.catalog,
            self._task_sources,
            self._own_numbers,
            today or date.today(),
        )

    def respond(self, question: str, analysis: QueryAnalysis) -> Composition | None:
        """The registry answer, or None to let retrieval answer."""
        # Parsed as respelt for analysis ("bn nv" -> "bao nhiêu nhiệm vụ").
        query = self.parse(analysis.normalized or question, analysis.units)
        if query is None:
            return None
        if query.operation == "compare":
            return self.compare(query, analysis)
        answerer = RegistryAnswerer(self.rows, self.documents, self.chunk_for)
        return answerer.answer(query)

    def linked(self, task_id: str) -> list[TaskRecord]:
        tasks = self.by_id
        return [tasks[o] for o, _ in self.links.get(task_id, []) if o in tasks]

    def with_disagreements(self, composition: Composition, analysis: QueryAnalysis) -> Composition:
        """A one-task answer about a deadline, lead unit or status notes where a linked row of
        another document says otherwise, citing that row."""
        asked = [INTENT_FIELDS[i] for i in analysis.intents if i in INTENT_FIELDS]
        if composition.abstained or len(composition.tasks) != 1 or not asked:
            return composition
        task = composition.tasks[0]
        notes, citations = [], list(composition.citations)
        for other in self.linked(task.id):
            differing = [f for f in disagreements(task, other) if f in asked]
            chunk = self.chunk_for(other)
            if not differing or chunk is None:
                continue
            cited = CitationList(self.documents)
            cited.items = citations
            marker = cited.cite(chunk)
            values = ", ".join(f"{FIELD_WORDS[f]} {_field_value(other, f)}" for f in differing)
            label = self.documents[other.source].label if other.source in self.documents else ""
            notes.append(f"{label} (dòng {other.row or '-'}) ghi khác: {values} [{marker}]")
        if not notes:
            return composition
        text = f"{composition.text} Lưu ý: " + "; ".join(notes[:2]) + "."
        return Composition(text, composition.abstained, citations, composition.tasks)

    def conflicts(self) -> list[Conflict]:
        return conflicts(self.by_id, self.links)

    def _pair(self, query: RegistryQuery, analysis: QueryAnalysis) -> list[TaskRecord]:
        """The question's row in the first document and its counterpart in the second: the
        stored link when there is one, else the best row there if it reads as the same task."""
        first_source, second_source = query.sources[:2]
        first = self.search_rows(analysis, first_source)
        if not first:
            return []
        # Phụ lục 03 repeats some tasks (with and without a deadline): show every linked row.
        linked = [t for t in self.linked(first[0].id) if t.source == second_source]
        if linked:
            return [first[0], *linked[:MAX_LINKED]]
        found = self.search_rows(analysis, second_source)
        head = link_text(first[0])
        same = [t for t in found if text_similarity(head, link_text(t)) >= SAME_TASK_SIMILARITY]
        return [first[0], same[0]] if same else [first[0]]

    def compare(self, query: RegistryQuery, analysis: QueryAnalysis) -> Composition | None:
        """What two documents record for the same task, field by field, citing both rows."""
        pair = self._pair(query, analysis)
        if not pair:
            return None
        if len(pair) < 2:
            return self._unmatched(pair[0], query.sources[1])
        fields = [query.compare_field] if query.compare_field else list(FIELD_WORDS)
        citations = CitationList(self.documents)
        parts = []
        for task in pair:
            chunk = self.chunk_for(task)
            marker = f" [{citations.cite(chunk)}]" if chunk else ""
            values = "; ".join(f"{FIELD_WORDS[f]}: {_field_value(task, f)}" for f in fields)
            label = self.documents[task.source].label if task.source in self.documents else ""
            parts.append(f"{label} (dòng {task.row or '-'}) ghi {values}{marker}")
        differing = list(
            dict.fromkeys(
                f for other in pair[1:] for f in disagreements(pair[0], other) if f in fields
            )
        )
        if differing:
            verdict = "Khác nhau về " + ", ".join(FIELD_WORDS[f] for f in differing) + "."
        else:
            verdict = "Hai văn bản ghi giống nhau (hoặc một bên không ghi) về " + ", ".join(
                FIELD_WORDS[f] for f in fields
            )
            verdict += "."
        text = f"Nhiệm vụ “{pair[0].text[:90].rstrip()}…”: " + "; ".join(parts) + ". " + verdict
        return Composition(text=text, abstained=False, citations=citations.items, tasks=pair)

    def _unmatched(self, task: TaskRecord, other_source: str) -> Composition:
        citations = CitationList(self.documents)
        chunk = self.chunk_for(task)
        marker = f" [{citations.cite(chunk)}]" if chunk else ""
        label = self.documents[task.source].label if task.source in self.documents else ""
        other = self.documents[other_source].label if other_source in self.documents else ""
        text = (
            f"{label} (dòng {task.row or '-'}) ghi nhiệm vụ “{task.text[:90].rstrip()}…”: thời hạn "
            f"{_field_value(task, 'deadline')}, chủ trì {_field_value(task, 'lead')}{marker}. "
            f"Không tìm thấy dòng tương ứng trong {other} để so sánh."
        )
        return Composition(text=text, abstained=False, citations=citations.items, tasks=[task])
