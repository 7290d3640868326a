"""Extractive answers: short Vietnamese sentences built from the retrieved table row or the
best passage sentences, each claim followed by ``[n]`` pointing at ``citations[n-1]``.

No model is needed. When the retrieved text does not answer the question (the question
names something the corpus never mentions, or no passage holds the kind of value asked
for) the answer abstains and lists the nearest passages instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rag.answerability import answer_states_day, question_constraints, unmet, words_only
from rag.enumerations import enumeration_at, inline_enumeration
from rag.evidence import (
    TermWeights,
    best_window,
    coverage,
    fits_shape,
    has_calendar_deadline,
    has_date,
    has_deadline_date,
    overlap_score,
    split_sentences,
)
from rag.index import StoredDocument
from rag.letterhead import Field
from rag.query import QueryAnalysis, home_place_names, named_entities, unit_mentions
from rag.retrieve import ScoredChunk, chunk_body
from rag.schemas import Answer, Chunk, Citation, TaskRecord
from rag.signature import Signature
from rag.text import fold, index_tokens, join_split_numbers, squash

ABSTAIN_TEXT = (
    "Không tìm thấy thông tin này trong tài liệu hiện có. "
    "Các đoạn gần nhất được liệt kê dưới đây để tham khảo."
)
TASK_INTENTS = ("owner", "coordinator", "deadline", "directive", "status", "product")
# Values a row's card does not state as such: these questions are answered from sentences.
FIELD_LABELS = {
    "owner": "chủ trì",
    "coordinator": "phối hợp",
    "deadline": "thời hạn",
    "directive": "văn bản chỉ đạo",
    "product": "sản phẩm",
    "status": "kết quả",
}
PASSAGE_INTENTS = ("figure", "count", "person", "email", "phone", "address")
MIN_COVERAGE = 0.45
MIN_SENTENCE_COVERAGE = 0.3
PROSE_MARGIN = 0.1
PROSE_SCORE_RATIO = 0.9
SHORT_SENTENCE = 100
DOC_NUMBER_BONUS = 6.0
MAX_TWO_SENTENCES = 420
SECOND_SENTENCE_RATIO = 0.75
FOCUS_WEIGHT = 1.5
WINDOW_CHARS = 320
QUOTE_CHARS = 400
LIST_LIMIT = 6
LIST_TEXT_CHARS = 260
REGISTRY_LIST_LIMIT = 8
ROW_LOOKAHEAD = 4
# A question that covers this much of one listed item asks about that item, not the list.
ITEM_SUBJECT_COVERAGE = 0.55
ROW_SCORE_RATIO = 0.75


@dataclass(frozen=True)
class TaskListing:
    """Tasks picked from the registry for "which tasks does X lead / did document Y order"."""

    subject: str  # "do Sở Y tế chủ trì", "giao theo Thông báo 836/TB-TCTTKĐA"
    items: list[tuple[TaskRecord, Chunk]]
    document: str | None = None


@dataclass
class Composition:
    text: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    tasks: list[TaskRecord] = field(default_factory=list)
    # The chunks the claims come from, for checking them against the question's constraints.
    evidence: list[Chunk] = field(default_factory=list, repr=False)

    def to_answer(self, timing_ms: dict[str, float], note: str | None = None) -> Answer:
        return Answer(
            answer=join_split_numbers(self.text),
            abstained=self.abstained,
            citations=self.citations,
            tasks=self.tasks,
            timing_ms=timing_ms,
            note=note,
        )


class CitationList:
    """Numbers citations in the order claims use them; one number per distinct place."""

    def __init__(self, documents: dict[str, StoredDocument]) -> None:
        self.documents = documents
        self.items: list[Citation] = []
        self.chunks: list[Chunk] = []

    def cite(
        self, chunk: Chunk, quote: str | None = None, lines: tuple[int, int] | None = None
    ) -> int:
        start, end = lines or (chunk.line_start, chunk.line_end)
        if chunk not in self.chunks:
            self.chunks.append(chunk)
        for item in self.items:
            if (item.source, item.page, item.line_start, item.line_end) == (
                chunk.source,
                chunk.page,
                start,
                end,
            ):
                return item.id
        citation = Citation(
            id=len(self.items) + 1,
            source=chunk.source,
            title=chunk.title,
            section=chunk.section or None,
            page=chunk.page,
            line_start=start,
            line_end=end,
            quote=quote or self.original_text(chunk.source, chunk.page, start, end),
            ocr=chunk.ocr_confidence is not None,
            ocr_confidence=chunk.ocr_confidence,
        )
        self.items.append(citation)
        return citation.id

    def original_text(self, source: str, page: int | None, start: int, end: int) -> str:
        document = self.documents.get(source)
        if document is None:
            return ""
        lines = document.lines(page)[start - 1 : end]
        text = re.sub(r"\s+", " ", " ".join(lines)).strip()
        return text[:QUOTE_CHARS] + ("…" if len(text) > QUOTE_CHARS else "")

    def line_of(self, chunk: Chunk, sentence: str) -> tuple[int, int]:
        """Narrow a chunk's span to the line(s) where a sentence starts, when it can be found."""
        document = self.documents.get(chunk.source)
        if document is None:
            return chunk.line_start, chunk.line_end
        lines = document.lines(chunk.page)
        probe = fold(sentence)[:40]
        words = probe.split()[:5]
        for number in range(chunk.line_start, min(chunk.line_end, len(lines)) + 1):
            folded_line = fold(lines[number - 1])
            if words and " ".join(words) in re.sub(r"\s+", " ", folded_line):
                last = number
                # A hard-wrapped sentence continues on the following lines.
                while last < chunk.line_end and len(fold(" ".join(lines[number - 1 : last]))) < len(
                    fold(sentence)
                ):
                    last += 1
                return number, last
        return chunk.line_start, chunk.line_end


def _short(text: str, limit: int) -> str:
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _join_units(units: Sequence[str], limit: int = 4) -> str:
    shown = list(units[:limit])
    more = len(units) - len(shown)
    return ", ".join(shown) + (f" và {more} đơn vị khác" if more > 0 else "")


def _task_fields(task: TaskRecord, intents: Sequence[str]) -> list[tuple[str, str]]:
    lead = _join_units(task.lead_units, 6)
    fields = {
        "owner": ("chủ trì", lead),
        "coordinator": ("phối hợp", _join_units(task.coordinating_units, 6)),
        "deadline": ("thời hạn", task.deadline.text),
        "directive": ("văn bản chỉ đạo", "; ".join(task.directives[:3])),
        "product": ("sản phẩm", task.product or ""),
        "status": (
            "kết quả",
            _short(task.result or task.status, 220)
            if task.result or task.status != "unknown"
            else "",
        ),
    }
    order = [i for i in intents if i in fields] + [i for i in TASK_INTENTS if i not in intents]
    return [fields[i] for i in order if fields[i][1]]


def _states_asked_field(task: TaskRecord, intents: Sequence[str]) -> bool:
    """Whether the row has a value for the first task field the question asks about."""
    asked = next((i for i in intents if i in TASK_INTENTS), None)
    if asked is None:
        return True
    return any(label == FIELD_LABELS[asked] for label, _ in _task_fields(task, (asked,)))


_DAY_QUESTION = re.compile(r"\b(?:ngay nao|ngay may|tu ngay|truoc ngay|han chot)\b")


def _vague_for(task: TaskRecord, analysis: QueryAnalysis) -> bool:
    """A question after a day ("hạn bao giờ", "từ ngày nào") that the row answers only with
    "Thường xuyên": a sentence with a date (in the row's text or beside it) answers better."""
    if not analysis.has("deadline") or (task.deadline and task.deadline.end is not None):
        return False
    return bool(_DAY_QUESTION.search(analysis.folded))


def task_sentence(task: TaskRecord, intents: Sequence[str], marker: int, with_text: bool) -> str:
    parts = []
    if not _states_asked_field(task, intents):
        # Say plainly that the row leaves the asked field empty, then give what it has.
        asked = next(i for i in intents if i in TASK_INTENTS)
        parts.append(f"{FIELD_LABELS[asked]}: bảng không ghi")
    for label, value in _task_fields(task, intents):
        parts.append(f"{value} chủ trì" if label == "chủ trì" else f"{label}: {value}")
    # "Thí điểm ở 7 địa phương nào": the items asked for are inside the task's own text.
    limit = LIST_TEXT_CHARS if "list" in intents else 110 if with_text else 70
    head = f"Nhiệm vụ {task.row} “{_short(task.text, limit)}”"
    return f"{head} — {'; '.join(parts)} [{marker}]." if parts else f"{head} [{marker}]."


def _same_text(a: str, b: str) -> bool:
    """Two candidates that repeat each other (a sentence and the pair it starts, a window)."""
    a_key, b_key = squash(a), squash(b)
    shorter = min(len(a_key), len(b_key), 80)
    return a_key in b_key or b_key in a_key or a_key[:shorter] == b_key[:shorter]


def _sentence_context(chunk: Chunk, sentence: str) -> str:
    """What a sentence is said about: its section, and in a table row the row's task (a
    result cell, "Hoàn thành Thông báo kết luận 16", answers a question about that task)."""
    task = chunk.fields.get("task", "")
    about = task if task and sentence not in task else ""
    return f"{chunk.section} {about} {sentence}"


def _passage_sentences(chunk: Chunk) -> list[str]:
    """Sentences of a chunk's own text: no title or section header, row fields one by one."""
    if chunk.fields:
        return [s for value in chunk.fields.values() for s in split_sentences(value)]
    body = chunk_body(chunk)
    if chunk.kind == "row":
        fields = body.split(" | ")[2:]
        return [s for field in fields for s in split_sentences(field.split(": ", 1)[-1])]
    if " | " in body:
        body = body.split(" | ", 1)[1]
    return split_sentences(body)


def home_scope(*about: str | None) -> str:
    """The home city's names when a document's title or issuer names the city, else ""."""
    words = words_only(" ".join(a for a in about if a))
    names = home_place_names()
    if any(words_only(name) in words for name in names):
        return " ".join(names)
    return ""


class Composer:
    def __init__(
        self,
        documents: dict[str, StoredDocument],
        weights: TermWeights,
        task_at: Callable[[Chunk], TaskRecord | None],
        corpus_has: Callable[[str], bool],
    ) -> None:
        self.documents = documents
        self.weights = weights
        self.task_at = task_at
        self.corpus_has = corpus_has
        self._scopes = {source: home_scope(d.title, d.issuer) for source, d in documents.items()}

    def _scoped(self, chunk: Chunk, text: str) -> str:
        """A sentence of a document about the home city covers the city's name too: the
        text says "Thành phố" where the question says "TP.HCM"."""
        scope = self._scopes.get(chunk.source, "")
        return f"{scope} {text}" if scope else text

    def _label(self, chunk: Chunk) -> str:
        document = self.documents.get(chunk.source)
        return document.label if document else chunk.title

    def label_of(self, source: str) -> str:
        document = self.documents.get(source)
        return document.label if document else source

    def abstain(self, hits: Sequence[ScoredChunk], reason: str | None = None) -> Composition:
        citations = CitationList(self.documents)
        for hit in hits[:3]:
            citations.cite(hit.chunk)
        text = ABSTAIN_TEXT if reason is None else f"{ABSTAIN_TEXT} ({reason})"
        return Composition(text=text, abstained=True, citations=citations.items)

    def compose(
        self,
        analysis: QueryAnalysis,
        hits: Sequence[ScoredChunk],
        listing: TaskListing | None = None,
        row_count_note: Callable[[Chunk, str], str | None] | None = None,
    ) -> Composition:
        if not hits:
            return self.abstain(hits)
        missing = [e for e in named_entities(analysis.normalized) if not self.corpus_has(e)]
        missing += [u for u in self._unknown_units(analysis) if u not in missing]
        if missing:
            return self.abstain(hits, f"tài liệu không nhắc tới: {', '.join(missing)}")
        if listing is not None:
            return self._list_answer(listing)
        composition = self._answer_from_hits(analysis, hits, row_count_note)
        return self._checked(analysis, composition, hits)

    def _unknown_units(self, analysis: QueryAnalysis) -> list[str]:
        """Units named in full that no document mentions and the gazetteer does not know
        ("Sở Quy hoạch - Kiến trúc"): the documents assign them nothing."""
        known = {tuple(fold(u).split()[:2]) for u in analysis.units}
        return [
            name
            for name in unit_mentions(analysis.normalized)
            if tuple(fold(name).split()[:2]) not in known and not self.corpus_has(name)
        ]

    def _checked(
        self, analysis: QueryAnalysis, composition: Composition, hits: Sequence[ScoredChunk]
    ) -> Composition:
        """Abstain when the cited evidence does not meet what the question constrains
        (another province, year, period, document, or a sum of money it never states)."""
        if composition.abstained or not composition.evidence:
            return composition
        constraints = question_constraints(analysis.searchable or analysis.normalized)
        if not constraints:
            return composition
        if len(composition.evidence) == 1:
            evidence = [f"{composition.text} {self._evidence_text(composition.evidence[0])}"]
        else:
            # One passage must meet them together: a year met by one document and a period
            # by another ("6 tháng đầu năm 2024" from a 2024 plan and a 2023 half-year report)
            # answer nothing that was asked.
            evidence = [self._evidence_text(c) for c in composition.evidence]
        missing = min((unmet(constraints, text) for text in evidence), key=len)
        if any(c.kind == "day" for c in constraints) and not answer_states_day(composition.text):
            missing = [*missing, *(c for c in constraints if c.kind == "day")]
        if not missing:
            return composition
        return self.abstain(hits, f"tài liệu không nêu: {', '.join(c.label for c in missing)}")

    def _evidence_text(self, chunk: Chunk) -> str:
        document = self.documents.get(chunk.source)
        about = [document.title, document.number or "", document.date or ""] if document else []
        return " ".join([*about, chunk.text])

    def _answer_from_hits(
        self,
        analysis: QueryAnalysis,
        hits: Sequence[ScoredChunk],
        row_count_note: Callable[[Chunk, str], str | None] | None,
    ) -> Composition:
        # A row answers with its card (the asked field first, then the other key fields), so a
        # question phrased in a way no cue foresaw still gets the owner, deadline and status.
        wants_sentence = any(analysis.has(i) for i in PASSAGE_INTENTS) and not any(
            analysis.has(i) for i in TASK_INTENTS
        )
        ranked = self._row_first(analysis, hits)
        top = ranked[0]
        task = self.task_at(top.chunk) if top.chunk.kind == "row" else None
        if task and not wants_sentence and self._row_beats_prose(analysis, ranked):
            if not _states_asked_field(task, analysis.intents) or _vague_for(task, analysis):
                # The row lacks what was asked (a template row without a deadline): a
                # passage may state it; the card stays the answer when none does.
                passage = self._passage_answer(analysis, hits, row_count_note)
                if not passage.abstained:
                    return passage
            return self.task_answer(analysis, task, top.chunk)
        passage = self._passage_answer(analysis, hits, row_count_note)
        # A sentence read from a table row, for a question about one of the row's fields,
        # is answered by the row's card: the sentence alone would not state the field.
        asks_field = any(analysis.has(i) for i in TASK_INTENTS) and not wants_sentence
        if passage.abstained or not passage.evidence or not asks_field:
            return passage
        source = passage.evidence[0]
        row_task = self.task_at(source) if source.kind == "row" else None
        if row_task is None or not _states_asked_field(row_task, analysis.intents):
            return passage
        return self.task_answer(analysis, row_task, source)

    def _row_first(
        self, analysis: QueryAnalysis, hits: Sequence[ScoredChunk]
    ) -> Sequence[ScoredChunk]:
        """For a question about a task's field (who, when, status), a table row ranked close
        behind a passage and covering the question as well answers it: the row states the
        field, the passage (a plan's general provisions) rarely does."""
        if hits[0].chunk.kind == "row" or not any(analysis.has(i) for i in TASK_INTENTS):
            return hits
        top_coverage = coverage(analysis.core_tokens, hits[0].chunk.text, self.weights)
        for position, hit in enumerate(hits[1:ROW_LOOKAHEAD], start=1):
            if hit.chunk.kind != "row" or hit.score < ROW_SCORE_RATIO * hits[0].score:
                continue
            task = self.task_at(hit.chunk)
            if task is None or not _states_asked_field(task, analysis.intents):
                continue
            if coverage(analysis.core_tokens, hit.chunk.text, self.weights) >= top_coverage:
                return [hit, *hits[:position], *hits[position + 1 :]]
        return hits

    def _row_beats_prose(self, analysis: QueryAnalysis, hits: Sequence[ScoredChunk]) -> bool:
        """The top row answers a task question unless prose ranks close to it and covers the
        question clearly better (a fact stated in the body of a plan, not in its table)."""
        row = hits[0]
        row_coverage = coverage(analysis.core_tokens, row.chunk.text, self.weights)
        if row_coverage < MIN_COVERAGE:
            return False
        for hit in hits[1:3]:
            if hit.chunk.kind != "section" or hit.score < PROSE_SCORE_RATIO * row.score:
                continue
            if (
                coverage(analysis.core_tokens, hit.chunk.text, self.weights)
                > row_coverage + PROSE_MARGIN
            ):
                return False
        return True

    def _covers(self, analysis: QueryAnalysis, text: str) -> bool:
        return coverage(analysis.core_tokens, text, self.weights) >= MIN_COVERAGE

    def task_answer(self, analysis: QueryAnalysis, task: TaskRecord, chunk: Chunk) -> Composition:
        citations = CitationList(self.documents)
        marker = citations.cite(chunk)
        with_text = analysis.has("list") or not (task.lead_units or task.result)
        sentence = task_sentence(task, analysis.intents, marker, with_text)
        if with_text and not task.lead_units:
            sentence = f"{sentence[:-1]} Nội dung dòng bảng: “{_short(task.text, 260)}”."
        return Composition(
            text=f"Theo {self._label(chunk)}: {sentence}",
            abstained=False,
            citations=citations.items,
            tasks=[task],
            evidence=citations.chunks,
        )

    def letterhead_answer(
        self, chunk: Chunk, what: str, printed: Field | None, note: str = ""
    ) -> Composition:
        """The document's own number, date or issuer as its letterhead prints it; a blank
        left in a draft, or no such line, is said plainly (an abstention)."""
        label = self._label(chunk)
        citations = CitationList(self.documents)
        if printed is None or not printed.complete and not note:
            marker = citations.cite(chunk, lines=(printed.line, printed.line) if printed else None)
            reason = (
                f"{label} để trống {what}: “{printed.text}”"
                if printed
                else f"{label} không ghi {what}"
            )
            return Composition(
                text=f"{ABSTAIN_TEXT} ({reason}) [{marker}].",
                abstained=True,
                citations=citations.items,
            )
        marker = citations.cite(chunk, lines=(printed.line, printed.line))
        text = f"Theo {label}: {what} là “{printed.text}”{note} [{marker}]."
        return Composition(
            text=text, abstained=False, citations=citations.items, evidence=citations.chunks
        )

    def appendix_answer(
        self, chunk: Chunk, number: str, title: str, lines: tuple[int, int]
    ) -> Composition:
        """What an appendix inside a document is: the title printed under its heading."""
        citations = CitationList(self.documents)
        marker = citations.cite(chunk, lines=lines)
        text = f"Theo {self._label(chunk)}: Phụ lục {int(number):02d} là “{title}” [{marker}]."
        return Composition(
            text=text, abstained=False, citations=citations.items, evidence=citations.chunks
        )

    def signer_answer(self, chunk: Chunk, signature: Signature) -> Composition:
        citations = CitationList(self.documents)
        marker = citations.cite(chunk, lines=(signature.line_start, signature.line_end))
        titles = " / ".join(signature.titles)
        text = f"Theo {self._label(chunk)}: người ký là {signature.role} {signature.name} ({titles}) [{marker}]."
        return Composition(
            text=text, abstained=False, citations=citations.items, evidence=citations.chunks
        )

    def _list_answer(self, listing: TaskListing) -> Composition:
        if not listing.items:
            where = f" trong {listing.document}" if listing.document else ""
            return Composition(
                text=f"Không tìm thấy nhiệm vụ nào {listing.subject}{where} trong các bảng nhiệm vụ.",
                abstained=True,
            )
        citations = CitationList(self.documents)
        items = []
        for number, (task, chunk) in enumerate(listing.items[:REGISTRY_LIST_LIMIT], start=1):
            marker = citations.cite(chunk)
            limit = 200 if len(listing.items) <= 3 else 100
            items.append(f"({number}) {_short(task.text, limit)} [{marker}]")
        more = len(listing.items) - REGISTRY_LIST_LIMIT
        tail = f" Còn {more} nhiệm vụ khác." if more > 0 else ""
        labels = dict.fromkeys(self._label(chunk) for _, chunk in listing.items)
        title = " và ".join(labels)
        count = len(listing.items)
        text = (
            f"Theo {title}, có {count} nhiệm vụ {listing.subject}: " + "; ".join(items) + "." + tail
        )
        tasks = [t for t, _ in listing.items]
        return Composition(text=text, abstained=False, citations=citations.items, tasks=tasks)

    def _passage_answer(
        self,
        analysis: QueryAnalysis,
        hits: Sequence[ScoredChunk],
        row_count_note: Callable[[Chunk, str], str | None] | None,
    ) -> Composition:
        candidates = self._candidates(analysis, hits)
        chosen: list[tuple[str, ScoredChunk]] = []
        for score, _, sentence, hit in candidates:
            context = self._scoped(hit.chunk, _sentence_context(hit.chunk, sentence))
            if coverage(analysis.core_tokens, context, self.weights) < MIN_SENTENCE_COVERAGE:
                continue
            if not self._covers(analysis, self._scoped(hit.chunk, chunk_body(hit.chunk))):
                continue
            if not chosen:
                chosen.append((sentence, hit))
                best_score = score
                continue
            if score < SECOND_SENTENCE_RATIO * best_score:
                break
            if _same_text(sentence, chosen[0][0]):
                continue
            if len(chosen[0][0]) + len(sentence) <= MAX_TWO_SENTENCES:
                chosen.append((sentence, hit))
            break
        if not chosen:
            return self.abstain(hits)
        if analysis.has("list"):
            listed = self._enumeration_answer(analysis, *chosen[0])
            if listed is not None:
                return listed
        citations = CitationList(self.documents)
        parts = []
        for sentence, source_hit in chosen:
            lines = citations.line_of(source_hit.chunk, sentence)
            marker = citations.cite(source_hit.chunk, lines=lines)
            parts.append(f"{sentence.rstrip('.;, ')} [{marker}].")
        text = " ".join(parts)
        if row_count_note:
            note = row_count_note(chosen[0][1].chunk, chosen[0][0])
            if note:
                text = f"{text} {note}"
        return Composition(
            text=text, abstained=False, citations=citations.items, evidence=citations.chunks
        )

    def _enumeration_answer(
        self, analysis: QueryAnalysis, sentence: str, hit: ScoredChunk
    ) -> Composition | None:
        """The items listed under the heading the best sentence belongs to, counted — when
        the question is about what the heading names ("kiến nghị Bộ Công an những gì"), not
        about one item's own subject (then that item alone answers)."""
        chunk = hit.chunk
        document = self.documents.get(chunk.source)
        if document is None:
            return None
        citations = CitationList(self.documents)
        line, _ = citations.line_of(chunk, sentence)
        # Chunks follow paragraphs, so one item may be a chunk of its own: the run of items
        # is read from the page's lines, bounded by the first line that is not an item.
        lines = document.lines(chunk.page)
        # Items numbered inside the sentence's own paragraph ("…, gồm: (1) …; (2) …") are
        # what it introduces; otherwise the run of item lines it heads or belongs to.
        text_of_line = lines[line - 1] if 0 < line <= len(lines) else ""
        start = fold(text_of_line).find(fold(sentence)[:40])
        found = inline_enumeration(text_of_line, start) if start >= 0 else None
        if found is None:
            found = enumeration_at(lines, line, 1, len(lines))
            if found is None:
                return None
            if coverage(analysis.core_tokens, sentence, self.weights) >= ITEM_SUBJECT_COVERAGE:
                return None
        limit = 220 if len(found.items) <= 3 else 140
        parts = []
        for number, (item_line, text) in enumerate(found.items[:LIST_LIMIT], start=1):
            item_line = item_line or line
            marker = citations.cite(chunk, lines=(item_line, item_line))
            parts.append(f"({number}) {_short(text, limit).rstrip('.;,')} [{marker}]")
        more = len(found.items) - LIST_LIMIT
        heading = _short(found.heading.rstrip(": "), 120) if found.heading else "Các nội dung"
        text = f"{heading}: gồm {len(found.items)} nội dung — " + "; ".join(parts) + "."
        if more > 0:
            text += f" Còn {more} nội dung khác."
        return Composition(
            text=text, abstained=False, citations=citations.items, evidence=citations.chunks
        )

    def _focus_bonus(self, analysis: QueryAnalysis, sentence: str) -> float:
        """The word a question asks about ("nguồn nào") weighs more than its other words."""
        present = set(index_tokens(sentence))
        return sum(FOCUS_WEIGHT * self.weights.idf(w) for w in analysis.focus if w in present)

    def _candidates(
        self, analysis: QueryAnalysis, hits: Sequence[ScoredChunk]
    ) -> list[tuple[float, int, str, ScoredChunk]]:
        """Sentences (or the best clause window of a long one) that hold the kind of value asked.

        A sentence followed by a short one is also tried joined with it: plans state the task
        and then its deadline ("… Hoàn thành trong tháng 03/2024.").
        """
        candidates = []
        top_score = hits[0].score or 1.0
        numbers = [n.key for n in analysis.doc_numbers if n.key != n.number]

        shapes, needs_date = _value_shapes(analysis)
        if _asks_issue_date(analysis):
            dated = has_date
        elif _DAY_QUESTION.search(analysis.folded):
            dated = has_calendar_deadline
        else:
            dated = has_deadline_date

        def holds_value(text: str) -> bool:
            if needs_date and not dated(text):
                return False
            return fits_shape(text, shapes, analysis.normalized)

        for rank, hit in enumerate(hits[:5]):
            confidence = 0.3 + 0.7 * min(1.0, hit.score / top_score)
            sentences = _passage_sentences(hit.chunk)
            joined = [
                f"{a} {b}"
                for a, b in zip(sentences, sentences[1:], strict=False)
                if len(b) <= SHORT_SENTENCE
            ]
            for sentence in [*sentences, *joined]:
                window = best_window(
                    sentence, analysis.tokens, self.weights, WINDOW_CHARS, holds_value
                )
                if not holds_value(window):
                    continue
                score = overlap_score(analysis.tokens, window, self.weights)
                score += self._focus_bonus(analysis, window)
                if numbers and any(key in squash(window) for key in numbers):
                    score += DOC_NUMBER_BONUS
                candidates.append((score * confidence, rank, window, hit))
        candidates.sort(key=lambda c: (-c[0], c[1]))
        return candidates


_ISSUE_QUESTION = re.compile(r"\b(?:ban hanh|ky|phat hanh|hieu luc)\b")
_COMPLETION_QUESTION = re.compile(r"\b(?:xong|hoan thanh|thoi han|han chot)\b")


def _asks_issue_date(analysis: QueryAnalysis) -> bool:
    """ "Kế hoạch 1470 ban hành ngày nào": the date a document was issued is the answer
    ("phải ban hành kế hoạch xong trong tháng mấy" asks for a deadline)."""
    folded = analysis.folded
    if _COMPLETION_QUESTION.search(folded):
        return False
    return bool(analysis.doc_numbers or analysis.has("directive") or _ISSUE_QUESTION.search(folded))


# "Kế hoạch kiểm tra … là kế hoạch số mấy", "quyết định … số mấy": the number a document
# is cited by, not a quantity.
_DOCUMENT_NUMBER_QUESTION = re.compile(
    r"\b(?:ke hoach|thong bao|quyet dinh|cong van|chi thi|nghi quyet|nghi dinh|thong tu|van ban"
    r"|kh|qd|tb|cv|vb)\b.*\b(?:so may|so bao nhieu|so nao|so hieu|ky hieu)\b"
)
_DATE_PART_QUESTION = re.compile(r"\b(?:ngay|thang|quy|nam|gio) (?:may|nao)\b")


def _value_shapes(analysis: QueryAnalysis) -> tuple[tuple[str, ...], bool]:
    """The kinds of value an answer sentence must hold, and whether one must be a date.

    "Tháng mấy" asks for a date, not a count: with a deadline asked, "mấy" after a time word
    adds no number of its own. "Bao nhiêu" asks for a number: a deadline cue beside it
    ("báo cáo lộ trình … bao nhiêu thủ tục") names the subject, not a second value.
    """
    folded = analysis.folded
    if _DOCUMENT_NUMBER_QUESTION.search(folded):
        return (
            *(i for i in analysis.intents if i not in ("figure", "count")),
            "document_number",
        ), False
    if not analysis.has("deadline"):
        return analysis.intents, False
    if _DATE_PART_QUESTION.search(folded):
        return tuple(i for i in analysis.intents if i not in ("figure", "count")), True
    # Intents are read typo-tolerantly ("bao nihêu"): a number asked beside a deadline cue.
    if analysis.has("figure") or analysis.has("count"):
        return analysis.intents, False
    return analysis.intents, True
