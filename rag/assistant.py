"""The question-answering pipeline over one loaded index version:
analyse question -> hybrid retrieval -> task lookup -> extractive composition (+ optional LLM).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace

from rag.appendices import appendix_spans, appendix_title
from rag.chroma import close_vector_store, vector_store
from rag.compose import Composer, Composition, TaskListing, home_scope
from rag.dense_gate import DenseGate
from rag.embeddings import shared_embeddings
from rag.errors import InvalidQuestion
from rag.evidence import TermWeights
from rag.followup import PreviousTurn, ordinal_reference
from rag.index import CHROMA_DIR, IndexFiles
from rag.intents import cue_words
from rag.letterhead import read_letterhead
from rag.multipart import document_clauses, merge_citations, split_question, without_asking
from rag.query import (
    DocumentNumber,
    QueryAnalysis,
    analyse,
    document_mentions,
    expansions,
)
from rag.registry_questions import RegistryQuestions
from rag.retrieve import HybridRetriever, HybridSearcher, ScoredChunk
from rag.schemas import Answer, Chunk, Citation, TaskRecord
from rag.settings import Settings
from rag.signature import Signature, asks_signer, find_signature
from rag.spelling import Speller
from rag.taskstore import TaskFilter, TaskStore
from rag.text import fold, has_diacritics, index_tokens, normalize, squash, syllables
from rag.units import Gazetteer, default_gazetteer
from rag.warmup import warm_up

_STATED_TASK_COUNT = re.compile(r"(\d+)\s+nhiệm vụ cụ thể")
FOLLOW_UP_MAX_WORDS = 1
# A question this short (lexical tokens, bigrams included) leans on the previous turn.
SHORT_QUESTION_TOKENS = 12
# Words of a question about a document itself: its number, date or issuer.
DOCUMENT_FACT_WORDS = frozenset(
    [
        "so",
        "hieu",
        "may",
        "bao",
        "nhieu",
        "mang",
        "ky",
        "van",
        "ban",
        "la",
        "ngay",
        "nao",
        "khi",
        "gio",
        "thoi",
        "gian",
        "luc",
        "hanh",
        "phat",
        "gui",
        "ra",
        "co",
        "quan",
        "don",
        "vi",
        "ai",
        "noi",
        "cap",
        "cua",
        "duoc",
        "boi",
        "tu",
    ]
)
# A row of a task table named by its number: "nhiệm vụ số 15", "STT 02", "dòng 7".
_ROW_NUMBER = re.compile(
    r"\b(?:nhiem vu so|nv so|nhiem vu|stt|dong so|dong)\s+0*(\d{1,3})\b(?!\s*/)"
)
_ASKS_NUMBER = re.compile(r"\b(?:so hieu|ky hieu|so may|so bao nhieu|mang so|so van ban)\b")
_ASKS_ISSUER = re.compile(r"\b(?:co quan nao|don vi nao|ai|noi nao|cap nao)\b")
_ASKS_DATE = re.compile(r"\b(?:ngay nao|ngay may|ngay bao nhieu|khi nao|bao gio|luc nao)\b")
_LETTERHEAD_FACTS = (
    (_ASKS_NUMBER, "number", "số hiệu"),
    (_ASKS_DATE, "date", "ngày ban hành"),
    (_ASKS_ISSUER, "issuer", "cơ quan ban hành"),
)
# "Còn X thì sao?", "thế còn X?": the previous question, asked of X.
_ASKS_THE_SAME = re.compile(r"\s*(?:(?:the|vay|va|nhung)\s+)?con\s+\S")
# Words that ask what an appendix is for rather than about something in it.
APPENDIX_PURPOSE_WORDS = frozenset(
    ["dung", "de", "lam", "noi", "mau", "bieu", "muc", "dich", "ve", "viec", "cua", "kem", "theo"]
)
# A comparison is answered from each document it names, up to this many.
MAX_COMPARED = 3
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
            chunk = _chunk_at(
                files, source, page["number"], signature.line_start, signature.line_end
            )
            if chunk is not None:
                signed[source] = (signature, chunk)
    return signed


@dataclass(frozen=True)
class Appendix:
    """An appendix inside a document: the chunk at its heading, its title and their lines."""

    chunk: Chunk
    title: str
    lines: tuple[int, int]


def _appendices(files: IndexFiles) -> dict[tuple[str, str], Appendix]:
    found: dict[tuple[str, str], Appendix] = {}
    for source, document in files.documents.items():
        for page in document.pages:
            for number, start, end in appendix_spans(page["lines"]):
                title, last = appendix_title(page["lines"], start)
                # Headings stand outside chunks in some exports: the appendix's first chunk.
                chunk = _chunk_at(files, source, page["number"], start, end)
                if title and chunk is not None and (source, number) not in found:
                    found[(source, number)] = Appendix(chunk, title, (start, last))
    return found


def _chunk_at(files: IndexFiles, source: str, page: int, start: int, end: int) -> Chunk | None:
    inside = [
        c
        for c in files.chunks
        if c.source == source and c.page == page and c.line_start <= end and c.line_end >= start
    ]
    return min(inside, key=lambda c: c.line_start, default=None)


def _joined(parts: list[Composition]) -> Composition:
    """Answers to the parts of one question, in order, with one list of citations; a part
    the document leaves blank makes the whole an abstention (the rest is still said)."""
    if len(parts) == 1:
        return parts[0]
    citations: list[Citation] = []
    texts = []
    for part in parts:
        citations, text = merge_citations(citations, part.citations, part.text)
        texts.append(text)
    answered = [p for p in parts if not p.abstained]
    return Composition(
        text=" ".join(texts),
        abstained=len(answered) < len(parts),
        citations=citations,
        evidence=[c for p in answered for c in p.evidence],
    )


def _spelt_out_in(word: str, words: frozenset[str]) -> bool:
    """An abbreviation whose spelt-out form is all in ``words`` ("bcd" -> ban chi dao)."""
    return any(set(spelt.split()) <= words for spelt in expansions(word))


def _direct_timing(started: float) -> dict[str, float]:
    """Timing of an answer composed without a search step (signer, letterhead, registry)."""
    spent = round((time.perf_counter() - started) * 1000, 2)
    return {"retrieve": 0.0, "compose": spent, "total": spent}


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
        self.aliases = files.aliases
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
        self.speller = Speller(self.composer.weights.df)
        self.signatures = _signed_chunks(files)
        self.appendices = _appendices(files)
        self.letterheads = {
            source: read_letterhead(document.lines(document.pages[0]["number"]))
            for source, document in files.documents.items()
            if document.pages
        }
        self.registry = RegistryQuestions.load(
            tasks, files.documents, self.chunk_for_task, searcher, self.task_for_chunk, self.aliases
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
        # Analysed as respelt in the corpus's words ("ke hoah", "bn nv"); shown as typed.
        respelt = self.speller.respell(normalize(question))
        analysis = analyse(respelt, aliases=self.aliases, home_sources=self.home_sources)
        # "310/TB-VPCP" names a document, not the office that issued it as a unit asked about.
        unit_text = respelt
        for number in analysis.doc_numbers:
            unit_text = unit_text.replace(number.text, " ")
        units = tuple(self.gazetteer.find_in_text(unit_text))
        return replace(analysis, question=question, units=units)

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
        content = analysis.core_words - cue_words() - FOLLOW_UP_FILLERS
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
            return hits, self._signer_answer(analysis, hits), _direct_timing(started)
        about = None if follow_up else self._document_fact(analysis)
        if about is not None:
            return [], about, _direct_timing(started)
        numbered = None if follow_up else self._row_by_number(analysis)
        if numbered is not None:
            return [], numbered, _direct_timing(started)
        appendix = None if follow_up else self._appendix_asked(analysis)
        if appendix is not None:
            composition = self.composer.appendix_answer(
                appendix.chunk, analysis.appendix or "", appendix.title, appendix.lines
            )
            return [], composition, _direct_timing(started)
        # Counts, filters, as-of views and comparisons over table rows come from the registry.
        registry = None if follow_up else self.registry.respond(question, analysis)
        if registry is not None:
            return [], registry, _direct_timing(started)
        if follow_up is None and previous and not analysis.sources and self.is_follow_up(analysis):
            analysis = self._with_previous_subject(analysis, previous)
        elif follow_up is None and previous and _ASKS_THE_SAME.match(analysis.folded):
            analysis = self._same_ask(analysis, previous)
        if follow_up is None and previous and previous.source and not analysis.sources:
            analysis = self._in_previous_document(analysis, previous.source)
        # A question naming two documents is asked of each (its parts often lack a subject
        # of their own: "X: KH 2024 ghi hạn gì, PL I ghi gì"); others split into parts.
        parts = [] if follow_up else self._per_document(analysis)
        compared = len(parts) > 1
        if len(parts) == 1:
            parts = self._parts(analysis)
        if follow_up is not None:
            hits = [ScoredChunk(chunk=follow_up[1], score=1.0, lexical=0.0, dense=0.0)]
            listing: TaskListing | None = None
        elif len(parts) > 1:
            hits, composition = self._compose_parts(parts, compared)
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

    def _document_fact(self, analysis: QueryAnalysis) -> Composition | None:
        """ "KH 2024 số mấy?", "cv 4709 ban hành ngày nào?", "ai ban hành kế hoạch 2024?":
        a question about the named document itself, answered from its letterhead."""
        if len(analysis.sources) != 1 or analysis.inherited or analysis.appendix:
            return None
        folded = fold(analysis.searchable)
        own = set(re.findall(r"[0-9a-z]+", folded))
        source = analysis.sources[0]
        letterhead = self.letterheads.get(source)
        # Words that only repeat who issued it ("của BCĐ TP", "của UBND TP") ask nothing else.
        about = self._letterhead_words(source)
        rest = own - DOCUMENT_FACT_WORDS - FOLLOW_UP_FILLERS - about
        if any(not _spelt_out_in(word, about) for word in rest):
            return None
        first = next((c for c in self.files.chunks if c.source == source), None)
        if first is None:
            return None
        # "ban hành ngày nào, của cơ quan nào" asks two facts: each is answered, in order.
        asked = [
            (what, getattr(letterhead, name) if letterhead else None)
            for pattern, name, what in _LETTERHEAD_FACTS
            if pattern.search(folded)
        ]
        if not asked:
            return None
        answers = []
        for what, field in asked:
            chunk = self._chunk_of_line(source, field.line) if field else None
            blank_day = what == "ngày ban hành" and field is not None and not field.complete
            note = " (bản này để trống ngày)" if blank_day else ""
            answers.append(self.composer.letterhead_answer(chunk or first, what, field, note))
        return _joined(answers)

    def _row_by_number(self, analysis: QueryAnalysis) -> Composition | None:
        """ "Nhiệm vụ số 15 trong KH 2024", "STT 02 của phụ lục KH": the row the document's
        table numbers so; a number the table skips is said plainly (the answer abstains)."""
        match = _ROW_NUMBER.search(analysis.folded)
        if len(analysis.sources) != 1 or analysis.inherited or match is None:
            return None
        source, number = analysis.sources[0], match.group(1).lstrip("0") or "0"
        rows = [r.task for r in self.registry.rows if r.task.source == source]
        if not rows:
            return None
        named = [t for t in rows if (t.row or "").lstrip("0") == number]
        if len(named) > 1:
            return None  # a table that restarts its numbering: the number alone is ambiguous
        if named and (chunk := self.chunk_for_task(named[0])) is not None:
            return self.composer.task_answer(analysis, named[0], chunk)
        label = self.composer.label_of(source)
        return Composition(
            text=f"Không tìm thấy thông tin này: bảng nhiệm vụ của {label} không có dòng số "
            f"{int(number):02d}.",
            abstained=True,
        )

    def _letterhead_words(self, source: str) -> frozenset[str]:
        document = self.files.documents.get(source)
        letterhead = self.letterheads.get(source)
        fields = [letterhead.issuer, letterhead.number, letterhead.date] if letterhead else []
        texts = [document.title if document else "", *(f.text for f in fields if f)]
        return frozenset(re.findall(r"[0-9a-z]+", fold(" ".join(texts))))

    def _chunk_of_line(self, source: str, line: int) -> Chunk | None:
        page = self.files.documents[source].pages[0]["number"]
        return _chunk_at(self.files, source, page, line, line)

    def _appendix_asked(self, analysis: QueryAnalysis) -> Appendix | None:
        """The appendix a question is about as a whole ("phụ lục 07 của cv 4709 dùng để làm
        gì", "PL 02 báo kết quả nhiệm vụ của nghị quyết nào"): its title answers when it
        holds every word the question asks about but one."""
        number = analysis.appendix
        # A unit or a count asked of an appendix is about its rows, not its title.
        if number is None or analysis.units or analysis.has("count") or analysis.has("figure"):
            return None
        sources = analysis.sources or tuple(s for s, n in self.appendices if n == number)
        if len(sources) != 1 or (sources[0], number) not in self.appendices:
            return None
        appendix = self.appendices[(sources[0], number)]
        asked = {t for t in analysis.core_words if not t.isdigit()}
        asked -= cue_words() | FOLLOW_UP_FILLERS | APPENDIX_PURPOSE_WORDS
        titled = set(index_tokens(appendix.title))
        return appendix if len(asked - titled) <= 1 else None

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

    def _with_previous_subject(
        self, analysis: QueryAnalysis, previous: PreviousTurn
    ) -> QueryAnalysis:
        """ "theo quyết định nào?", "ai chủ trì vậy?" after a prose answer: the question is
        about what the previous one asked of, so it is asked with that subject (and searched
        in the previous answer's document)."""
        subject = without_asking(normalize(previous.question))
        if not subject:
            return analysis
        combined = self.analyse(f"{subject}: {analysis.normalized}")
        if combined.sources or previous.source is None:
            return combined
        return replace(combined, sources=(previous.source,))

    def _same_ask(self, analysis: QueryAnalysis, previous: PreviousTurn) -> QueryAnalysis:
        """ "Còn Bộ TN&MT thì sao?", "còn triển khai phương án ATTT thì sao": the previous
        question asked again of a new unit (in the previous question's words) or a new
        subject (with the previous question's intents)."""
        before = self.analyse(previous.question)
        if analysis.units and before.units:
            combined = self.analyse(f"{previous.question} {analysis.normalized}")
            return replace(combined, units=analysis.units)
        if analysis.intents == ("general",) and before.intents != ("general",):
            return replace(analysis, intents=before.intents)
        return analysis

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
        texts = self._with_subjects(split_question(analysis.normalized))
        if len(texts) < 2:
            return [analysis]
        parts = []
        for text in texts:
            part = self.analyse(text)
            if not part.sources and analysis.sources:
                part = replace(part, sources=analysis.sources)
            parts.append(part)
        return parts

    def _per_document(self, analysis: QueryAnalysis) -> list[QueryAnalysis]:
        """A question that names two documents in separate places ("KH 2024 ghi hạn gì, PL I
        ghi gì") is asked of each document: the clause that names it, the later clauses
        with the first clause's subject ("… bố trí kinh phí khi nào, PL I báo đã bố trí bao
        nhiêu"), so one document is not held to what is asked of the other."""
        if analysis.inherited or len(analysis.sources) < 2:
            return [analysis]
        mentions = document_mentions(analysis.folded, self.aliases)
        if len({source for _, _, source in mentions}) < 2:
            return [analysis]
        clauses = document_clauses(analysis.normalized, mentions)
        start, end, _ = mentions[0]
        first = clauses[0]
        subject = without_asking(f"{first[:start]} {first[end:]}")
        parts: dict[str, QueryAnalysis] = {}
        for number, ((_, _, source), clause) in enumerate(zip(mentions, clauses, strict=True)):
            if source in parts or len(parts) == MAX_COMPARED:
                continue
            question = clause if number == 0 else f"{subject}: {clause}"
            parts[source] = replace(self.analyse(question), sources=(source,))
        return list(parts.values())

    def _with_subjects(self, texts: list[str]) -> list[str]:
        """A part that only asks ("…, phối hợp gồm những ai?") asks about the part before
        it: the two stay one question, and one task card answers both fields."""
        merged: list[str] = []
        for text in texts:
            words = set(re.findall(r"[0-9a-z]+", fold(text)))
            if merged and not words - cue_words() - FOLLOW_UP_FILLERS:
                merged[-1] = f"{merged[-1]}, {text}"
            else:
                merged.append(text)
        return merged

    def _compose_parts(
        self, parts: list[QueryAnalysis], compared: bool = False
    ) -> tuple[list[ScoredChunk], Composition]:
        """Answer every part; the answer joins the parts' answers with one citation list."""
        all_hits: list[ScoredChunk] = []
        merged: Composition | None = None
        unanswered: list[str] = []
        for part in parts:
            hits = self.searcher.search(part, self.settings.retrieve_k)
            all_hits.extend(h for h in hits if h not in all_hits)
            answer = self.composer.compose(part, hits, self.listed_tasks(part), self.row_count_note)
            if compared and not answer.abstained:
                answer = self._attributed(answer, part.sources[0])
            if answer.abstained:
                where = f" ({self.composer.label_of(part.sources[0])})" if compared else ""
                unanswered.append(part.question.strip(" ?") + where)
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

    def _attributed(self, answer: Composition, source: str) -> Composition:
        if answer.text.startswith("Theo "):
            return answer
        return replace(answer, text=f"Theo {self.composer.label_of(source)}: {answer.text}")

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
