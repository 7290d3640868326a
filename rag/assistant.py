"""The question-answering pipeline over one loaded index version:
analyse question -> hybrid retrieval -> task lookup -> extractive composition (+ optional LLM).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from rag.chroma import close_vector_store, vector_store
from rag.compose import Composer, Composition, TaskListing
from rag.embeddings import shared_embeddings
from rag.errors import InvalidQuestion
from rag.evidence import TermWeights
from rag.index import CHROMA_DIR, TASKS_FILE, IndexFiles
from rag.query import DocumentNumber, QueryAnalysis, analyse, cue_words
from rag.retrieve import HybridRetriever, HybridSearcher, ScoredChunk
from rag.schemas import Answer, Chunk, TaskRecord
from rag.settings import Settings
from rag.taskstore import TaskFilter, TaskStore
from rag.text import fold, normalize, squash
from rag.units import Gazetteer, default_gazetteer

_STATED_TASK_COUNT = re.compile(r"(\d+)\s+nhiệm vụ cụ thể")
FOLLOW_UP_MAX_WORDS = 1
# Words of a follow-up that carry no subject of their own.
FOLLOW_UP_FILLERS = frozenset(
    [
        "con",
        "thi",
        "sao",
        "vay",
        "nhi",
        "the",
        "nao",
        "ai",
        "la",
        "gi",
        "do",
        "con",
        "lai",
        "cho",
        "toi",
        "biet",
        "hoi",
    ]
)


@dataclass(frozen=True)
class PreviousTurn:
    """What a conversation remembers of its last answered question."""

    question: str
    task_id: str | None = None


def validate_question(question: object, max_chars: int) -> str:
    if not isinstance(question, str) or not question.strip():
        raise InvalidQuestion("Câu hỏi không được để trống / the question must not be empty")
    if len(question) > max_chars:
        raise InvalidQuestion(
            f"Câu hỏi dài quá {max_chars} ký tự / the question is longer than {max_chars} characters"
        )
    return question.strip()


def _names_document(directive: str, number: DocumentNumber) -> bool:
    """Whether a task's directing document is the one the question names (any spelling)."""
    if number.key != number.number:
        return number.key in squash(directive)
    return re.search(rf"(?<!\d)0*{int(number.number)}(?!\d)", directive) is not None


def _words_only(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", fold(text)).strip()


class Assistant:
    def __init__(
        self,
        settings: Settings,
        files: IndexFiles,
        tasks: TaskStore,
        searcher: HybridSearcher,
        gazetteer: Gazetteer,
    ) -> None:
        self.settings = settings
        self.files = files
        self.tasks = tasks
        self.searcher = searcher
        self.gazetteer = gazetteer
        self.aliases = {s: d.aliases for s, d in files.documents.items()}
        self._folded_corpus = (
            " "
            + _words_only(
                " ".join(
                    line
                    for d in files.documents.values()
                    for page in d.pages
                    for line in page["lines"]
                )
            )
            + " "
        )
        self._row_chunks = {
            (c.source, c.page, c.line_start): c for c in files.chunks if c.kind == "row"
        }
        self.composer = Composer(
            documents=files.documents,
            weights=TermWeights(c.text for c in files.chunks),
            task_at=self.task_for_chunk,
            corpus_has=self.corpus_mentions,
        )

    @classmethod
    def load(cls, settings: Settings, dense: bool = True, version: str | None = None) -> Assistant:
        files = IndexFiles.load(settings.index_dir, version)
        vectors = None
        if dense:
            embeddings = shared_embeddings(
                settings.embedding_model, settings.embedding_batch_size, settings.dense_max_tokens
            )
            vectors = vector_store(settings, files.path / CHROMA_DIR, files.version, embeddings)
        tasks = TaskStore(files.path / TASKS_FILE)
        searcher = HybridSearcher(files, vectors, settings.fusion)
        return cls(settings, files, tasks, searcher, default_gazetteer())

    @property
    def version(self) -> str:
        return self.files.version

    def close(self) -> None:
        self.tasks.close()
        if self.searcher.vectors is not None:
            close_vector_store(self.searcher.vectors)

    def analyse(self, question: str) -> QueryAnalysis:
        units = tuple(self.gazetteer.find_in_text(normalize(question)))
        return analyse(question, units=units, aliases=self.aliases)

    def corpus_mentions(self, phrase: str) -> bool:
        return f" {_words_only(phrase)} " in self._folded_corpus

    def retriever(self) -> HybridRetriever:
        return HybridRetriever(
            searcher=self.searcher, analyse=self.analyse, k=self.settings.retrieve_k
        )

    def search(
        self, question: str, k: int | None = None, **filters: str | None
    ) -> list[ScoredChunk]:
        """Ranked chunks; filters: ``source``, ``kind`` (row/section), ``doc_kind`` (plan, report…)."""
        return self.searcher.search(
            self.analyse(question), k or self.settings.retrieve_k, **filters
        )

    def task_for_chunk(self, chunk: Chunk) -> TaskRecord | None:
        return self.tasks.at(chunk.source, chunk.page, chunk.line_start)

    def chunk_for_task(self, task: TaskRecord) -> Chunk | None:
        return self._row_chunks.get((task.source, task.page, task.line_start))

    def listed_tasks(self, analysis: QueryAnalysis) -> TaskListing | None:
        """'Which tasks does unit X lead' or 'what did document Y order' are registry queries."""
        if not analysis.has("task_list") or not (analysis.units or analysis.doc_numbers):
            return None
        source = analysis.sources[0] if analysis.sources else None
        if analysis.doc_numbers:
            number = analysis.doc_numbers[0]
            candidates = self.tasks.find(TaskFilter(source=source))
            tasks = [t for t in candidates if any(_names_document(d, number) for d in t.directives)]
            subject = f"giao theo {number.text}"
        else:
            unit = analysis.units[0]
            coordinating = "phoi hop" in analysis.folded
            role = "coordinating" if coordinating else "lead"
            tasks = self.tasks.find(TaskFilter(unit=unit, role=role, source=source))
            subject = f"do {unit} {'phối hợp' if coordinating else 'chủ trì'}"
        items = [(t, c) for t in tasks if (c := self.chunk_for_task(t)) is not None]
        document = self.files.documents[source].label if source in self.files.documents else None
        return TaskListing(subject=subject, items=items, document=document)

    def row_count_note(self, chunk: Chunk, sentence: str) -> str | None:
        stated = _STATED_TASK_COUNT.search(sentence)
        if not stated:
            return None
        rows = self.tasks.count(chunk.source)
        if rows and rows != int(stated.group(1)):
            return (
                f"Lưu ý: phụ lục kèm theo tài liệu này chỉ đánh số {rows} dòng nhiệm vụ, "
                f"khác với con số {stated.group(1)} nêu trong văn bản."
            )
        return None

    def is_follow_up(self, analysis: QueryAnalysis) -> bool:
        """A short question with nothing of its own but what it asks ("còn thời hạn thì sao?")."""
        if analysis.units or analysis.doc_numbers or analysis.sources:
            return False
        words = {t for t in analysis.core_tokens if "_" not in t and t == fold(t)}
        content = words - cue_words() - FOLLOW_UP_FILLERS
        return len(content) <= FOLLOW_UP_MAX_WORDS

    def compose(
        self, question: str, previous: PreviousTurn | None = None
    ) -> tuple[list[ScoredChunk], Composition, dict[str, float]]:
        """Retrieve and compose; also returns the time spent in each step (ms)."""
        started = time.perf_counter()
        analysis = self.analyse(question)
        follow_up = self._follow_up(analysis, previous)
        if follow_up is not None:
            hits = [ScoredChunk(chunk=follow_up[1], score=1.0, lexical=0.0, dense=0.0)]
            listing: TaskListing | None = None
        else:
            hits = self.searcher.search(analysis, self.settings.retrieve_k)
            listing = self.listed_tasks(analysis)
        retrieved = time.perf_counter()
        if follow_up is not None:
            composition = self.composer.task_answer(analysis, *follow_up)
        else:
            composition = self.composer.compose(analysis, hits, listing, self.row_count_note)
        done = time.perf_counter()
        timing = {
            "retrieve": round((retrieved - started) * 1000, 2),
            "compose": round((done - retrieved) * 1000, 2),
            "total": round((done - started) * 1000, 2),
        }
        return hits, composition, timing

    def _follow_up(
        self, analysis: QueryAnalysis, previous: PreviousTurn | None
    ) -> tuple[TaskRecord, Chunk] | None:
        if not (previous and previous.task_id and self.is_follow_up(analysis)):
            return None
        task = self.tasks.get(previous.task_id)
        chunk = self.chunk_for_task(task) if task else None
        return (task, chunk) if task and chunk else None

    def ask(self, question: str, previous: PreviousTurn | None = None) -> Answer:
        question = validate_question(question, self.settings.max_question_chars)
        _, composition, timing = self.compose(question, previous)
        return composition.to_answer(timing)
