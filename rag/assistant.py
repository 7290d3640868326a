"""The question-answering pipeline over one loaded index version:
analyse question -> hybrid retrieval -> task lookup -> extractive composition (+ optional LLM).
"""

from __future__ import annotations

import re
import time
from dataclasses import replace

from rag.chroma import close_vector_store, vector_store
from rag.compose import Composer, Composition, TaskListing, home_scope
from rag.dense_gate import DenseGate
from rag.embeddings import shared_embeddings
from rag.errors import InvalidQuestion
from rag.evidence import TermWeights
from rag.followup import PreviousTurn, ordinal_reference
from rag.index import CHROMA_DIR, IndexFiles
from rag.intents import cue_words
from rag.multipart import merge_citations, split_question
from rag.query import DocumentNumber, QueryAnalysis, analyse
from rag.registry_questions import RegistryQuestions
from rag.retrieve import HybridRetriever, HybridSearcher, ScoredChunk
from rag.schemas import Answer, Chunk, TaskRecord
from rag.settings import Settings
from rag.signature import Signature, asks_signer, find_signature
from rag.taskstore import TaskFilter, TaskStore
from rag.text import fold, has_diacritics, normalize, squash, syllables
from rag.units import Gazetteer, default_gazetteer
from rag.warmup import warm_up

_STATED_TASK_COUNT = re.compile(r"(\d+)\s+nhiệm vụ cụ thể")
FOLLOW_UP_MAX_WORDS = 1
# A question this short (lexical tokens, bigrams included) leans on the previous turn.
SHORT_QUESTION_TOKENS = 12
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


def _signed_chunks(files: IndexFiles) -> dict[str, tuple[Signature, Chunk]]:
    """Each document's last signature block with the chunk that holds it (for the citation)."""
    signed: dict[str, tuple[Signature, Chunk]] = {}
    for source, document in files.documents.items():
        for page in document.pages:
            signature = find_signature(page["lines"])
            if signature is None:
                continue
            chunk = next(
                (
                    c
                    for c in files.chunks
                    if c.source == source
                    and c.page == page["number"]
                    and c.line_start <= signature.line_end
                    and c.line_end >= signature.line_start
                ),
                None,
            )
            if chunk is not None:
                signed[source] = (signature, chunk)
    return signed


def _accented_words(text: str) -> str:
    return " ".join(syllables(text))


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
        self.home_sources = frozenset(
            s for s, d in files.documents.items() if home_scope(d.title, d.issuer)
        )
        corpus_text = " ".join(
            line for d in files.documents.values() for page in d.pages for line in page["lines"]
        )
        self._folded_corpus = f" {_words_only(corpus_text)} "
        # Typed with diacritics, "Sở Ngoại vụ" must not be found as "cơ sở ngoài".
        self._accented_corpus = f" {_accented_words(corpus_text)} "
        self._row_chunks = {
            (c.source, c.page, c.line_start): c for c in files.chunks if c.kind == "row"
        }
        self.composer = Composer(
            documents=files.documents,
            weights=TermWeights(c.text for c in files.chunks),
            task_at=self.task_for_chunk,
            corpus_has=self.corpus_mentions,
        )
        self.signatures = _signed_chunks(files)
        self.registry = RegistryQuestions.load(
            tasks, files.documents, self.chunk_for_task, searcher, self.task_for_chunk
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
        tasks = TaskStore.for_version(settings, files.path)
        searcher = HybridSearcher(files, vectors, settings.fusion, DenseGate(settings.dense_margin))
        return cls(settings, files, tasks, searcher, default_gazetteer())

    @property
    def version(self) -> str:
        return self.files.version

    def close(self) -> None:
        self.tasks.close()
        if self.searcher.vectors is not None:
            close_vector_store(self.searcher.vectors)

    def warm_up(self) -> float:
        """Load the model and fill the caches with warm-up questions; milliseconds taken."""
        return warm_up(self, self.searcher)

    def analyse(self, question: str) -> QueryAnalysis:
        units = tuple(self.gazetteer.find_in_text(normalize(question)))
        return analyse(question, units=units, aliases=self.aliases, home_sources=self.home_sources)

    def corpus_mentions(self, phrase: str) -> bool:
        if has_diacritics(phrase):
            return f" {_accented_words(phrase)} " in self._accented_corpus
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
        if follow_up is None and asks_signer(analysis.folded):
            hits = self.searcher.search(analysis, self.settings.retrieve_k)
            composition = self._signer_answer(analysis, hits)
            spent = round((time.perf_counter() - started) * 1000, 2)
            return hits, composition, {"retrieve": 0.0, "compose": spent, "total": spent}
        # Counts, filters, as-of views and comparisons over table rows come from the registry.
        registry = None if follow_up else self.registry.respond(question, analysis)
        if registry is not None:
            spent = round((time.perf_counter() - started) * 1000, 2)
            return [], registry, {"retrieve": 0.0, "compose": spent, "total": spent}
        if follow_up is None and previous and previous.source and not analysis.sources:
            analysis = self._in_previous_document(analysis, previous.source)
        parts = [] if follow_up else self._parts(analysis)
        if follow_up is not None:
            hits = [ScoredChunk(chunk=follow_up[1], score=1.0, lexical=0.0, dense=0.0)]
            listing: TaskListing | None = None
        elif len(parts) > 1:
            hits, composition = self._compose_parts(parts)
        else:
            hits = self.searcher.search(analysis, self.settings.retrieve_k)
            listing = self.listed_tasks(analysis)
        retrieved = time.perf_counter()
        if follow_up is not None:
            composition = self.composer.task_answer(analysis, *follow_up)
        elif len(parts) <= 1:
            composition = self._registry_or_prose(analysis, hits, listing)
        # A task answer notes where the same task in another document says otherwise.
        composition = self.registry.with_disagreements(composition, analysis)
        done = time.perf_counter()
        timing = {
            "retrieve": round((retrieved - started) * 1000, 2),
            "compose": round((done - retrieved) * 1000, 2),
            "total": round((done - started) * 1000, 2),
        }
        return hits, composition, timing

    def _signer_answer(self, analysis: QueryAnalysis, hits: list[ScoredChunk]) -> Composition:
        """Who signed the named document (else the best-matching one), from its signature
        block; a document without a named signer is not guessed at."""
        source = (
            analysis.sources[0] if analysis.sources else (hits[0].chunk.source if hits else None)
        )
        signed = self.signatures.get(source)
        if signed is None:
            return self.composer.abstain(hits, "tài liệu không ghi tên người ký")
        signature, chunk = signed
        return self.composer.signer_answer(chunk, signature)

    def _registry_or_prose(
        self, analysis: QueryAnalysis, hits: list[ScoredChunk], listing: TaskListing | None
    ) -> Composition:
        """A unit that no table row names may have its duties stated in prose (a plan's
        "Tổ chức thực hiện" paragraphs): those answer when they name the unit; otherwise
        the answer says the unit has no tasks."""
        if listing is None or listing.items or not analysis.units:
            return self.composer.compose(analysis, hits, listing, self.row_count_note)
        prose = self.composer.compose(analysis, hits, None, self.row_count_note)
        unit = fold(analysis.units[0])
        if not prose.abstained and any(unit in fold(c.text) for c in prose.evidence):
            return prose
        return self.composer.compose(analysis, hits, listing, self.row_count_note)

    def _in_previous_document(self, analysis: QueryAnalysis, source: str) -> QueryAnalysis:
        """A follow-up goes on about the document just answered from ("gửi bản điện tử qua
        đâu?"): searched alone when the question has nothing of its own, preferred when it
        is merely short."""
        if self.is_follow_up(analysis):
            return replace(analysis, sources=(source,))
        if len(analysis.core_tokens) <= SHORT_QUESTION_TOKENS:
            return replace(analysis, sources=(source,), inherited=True)
        return analysis

    def _parts(self, analysis: QueryAnalysis) -> list[QueryAnalysis]:
        """One analysis per part of a multi-part question; each part keeps the documents
        the whole question names ("Theo báo cáo …, bao nhiêu X, và bao nhiêu Y?")."""
        texts = split_question(analysis.normalized)
        if len(texts) < 2:
            return [analysis]
        parts = []
        for text in texts:
            part = self.analyse(text)
            if not part.sources and analysis.sources:
                part = replace(part, sources=analysis.sources)
            parts.append(part)
        return parts

    def _compose_parts(self, parts: list[QueryAnalysis]) -> tuple[list[ScoredChunk], Composition]:
        """Answer every part; the answer joins the parts' answers with one citation list."""
        all_hits: list[ScoredChunk] = []
        merged: Composition | None = None
        unanswered: list[str] = []
        for part in parts:
            hits = self.searcher.search(part, self.settings.retrieve_k)
            all_hits.extend(h for h in hits if h not in all_hits)
            answer = self.composer.compose(part, hits, self.listed_tasks(part), self.row_count_note)
            if answer.abstained:
                unanswered.append(part.question.strip(" ?"))
            elif merged is None:
                merged = answer
            elif answer.text not in merged.text:
                citations, text = merge_citations(merged.citations, answer.citations, answer.text)
                merged = Composition(
                    text=f"{merged.text} {text}",
                    abstained=False,
                    citations=citations,
                    tasks=[*merged.tasks, *answer.tasks],
                    evidence=[*merged.evidence, *answer.evidence],
                )
        if merged is None:
            return all_hits, self.composer.abstain(all_hits)
        if unanswered:
            missing = "; ".join(f"“{q}”" for q in unanswered)
            merged.text = f"{merged.text} Không tìm thấy thông tin cho: {missing}."
        return all_hits, merged

    def _follow_up(
        self, analysis: QueryAnalysis, previous: PreviousTurn | None
    ) -> tuple[TaskRecord, Chunk] | None:
        if previous is None:
            return None
        ordinal = ordinal_reference(analysis.folded) if previous.task_ids else None
        if ordinal is not None and 1 <= ordinal <= len(previous.task_ids):
            task_id: str | None = previous.task_ids[ordinal - 1]
        elif previous.task_id and self.is_follow_up(analysis):
            task_id = previous.task_id
        else:
            return None
        task = self.tasks.get(task_id)
        chunk = self.chunk_for_task(task) if task else None
        return (task, chunk) if task and chunk else None

    def ask(self, question: str, previous: PreviousTurn | None = None) -> Answer:
        question = validate_question(question, self.settings.max_question_chars)
        _, composition, timing = self.compose(question, previous)
        return composition.to_answer(timing)
