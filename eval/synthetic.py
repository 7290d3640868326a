"""Synthetic questions generated from a built index, scored like the gold files.

Three families:

* ``task`` — one task row of the registry (``tasks.sqlite``) × an intent (who leads, who
  coordinates, deadline, status, result, directing document, product), phrased in a voice
  (formal, terse, colloquial); the row is named by its rarest contiguous words, checked to
  occur in that row only.
* ``prose`` — a clause of a prose sentence holding a number or a date; the question is the
  clause with that value replaced by ``bao nhiêu`` / ``ngày nào``, kept only when its other
  words point at that one line of the corpus.
* ``unanswerable`` — one of the above with a province, a year, a unit or a document added that
  the corpus never mentions (checked against the whole corpus).

Expected answers come from the records and sentences themselves (``eval.answer_variants``),
never from the answering code. Surface forms are varied like real chat: no diacritics,
abbreviations, a typo, a document named by a user's spelling (``eval.surface``).

``python -m eval.synthetic --n 1000 --seed 6 --out var/synthetic.jsonl`` writes the same JSONL
format as ``eval/dev.jsonl``, with the tags ``family``, ``intent``, ``voice`` and the surface
flags added.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from eval.answer_variants import (
    STATUS_VARIANTS,
    day_variants,
    deadline_groups,
    directive_variants,
    number_variants,
    status_phrase,
    unit_variants,
)
from eval.surface import abbreviate, add_typo, lower_first, strip_diacritics
from rag.index import TASKS_FILE, IndexFiles
from rag.schemas import TaskRecord
from rag.taskstore import TaskStore
from rag.text import fold, normalize
from rag.units import Gazetteer, default_gazetteer

PHRASINGS = Path(__file__).with_name("data") / "synthetic_phrasings.json"
DEFAULT_SEED = 6
FAMILY_SHARES = {"task": 0.6, "prose": 0.2, "unanswerable": 0.2}
TASK_INTENTS = ("lead", "coordinator", "deadline", "status", "result", "directive", "product")
INTENT_TYPES = {
    "lead": "owner",
    "coordinator": "coordinator",
    "deadline": "deadline",
    "status": "status",
    "result": "status",
    "directive": "directive",
    "product": "product",
    "figure": "figure",
    "date": "date",
}
# Shares of questions typed each way (the independent user set had 37% without diacritics).
NO_DIACRITICS_SHARE = 0.35
ABBREVIATE_SHARE = 0.5
TYPO_SHARE = 0.2
DOC_NAMED_SHARE = 0.35
PHRASE_LENGTHS = (7, 9, 11, 13)
MIN_PHRASE_WORDS = 5
MIN_HEAD_WORDS = 3
MIN_CLAUSE_WORDS = 6
MAX_OTHER_FIGURES = 1
MAX_USES_PER_SEED = 2
MAX_UNITS = 3
# Words that carry no subject: a phrase does not start or end on one.
FUNCTION_WORDS = frozenset(
    [
        "và",
        "của",
        "các",
        "cho",
        "để",
        "với",
        "trong",
        "về",
        "theo",
        "đã",
        "được",
        "những",
        "là",
        "có",
        "tại",
        "từ",
        "đến",
        "trên",
        "như",
        "khi",
        "thì",
        "này",
        "đó",
        "một",
        "hoặc",
    ]
)
# Words right before a number that make it a name, not a figure (Đề án 06, Điều 23, mức 2,
# Nghị định 42, Phụ lục 03, Chỉ thị 04).
NAME_WORDS = frozenset(
    [
        "an",
        "dieu",
        "khoan",
        "muc",
        "do",
        "dinh",
        "quyet",
        "thi",
        "bao",
        "van",
        "hoach",
        "tu",
        "luc",
        "chuong",
        "phan",
        "so",
        "lan",
        "ban",
        "nghi",
        "ky",
        "dot",
        "buoc",
        "diem",
        "giai",
        "phien",
        "ngay",
        "thang",
        "nam",
        "quy",
    ]
)
# Openings of a task text that say who does it, not what is done.
ROLE_OPENERS = frozenset(["chu tri", "phoi hop"])
# Lower-case words that continue a capitalised name ("Bộ Công an", "Bộ Y tế").
NAME_TAILS = frozenset(["an", "tế", "vụ", "pháp", "chính", "nước"])
# Words right after a number that make it a duration or a date part ("06 tháng đầu năm").
TIME_WORDS = frozenset(["ngay", "thang", "nam", "quy", "tuan", "gio"])
# Too common to check an answer by ("100%" is in half the report's sentences).
COMMON_NUMBERS = frozenset(["100"])
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CLAUSE_END = re.compile(r"(?<=[.;:!?])\s+|\s+-\s+|\s*\n")
_FIGURE = re.compile(r"(?<![\w./,])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+|\d{2,})(\s*%)?(?![\w/])")
_DATE = re.compile(
    r"(?:ngày\s+)?(?<![\d/])(\d{1,2})/(\d{1,2})/(20\d{2})(?![\d/])"
    r"|ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(20\d{2})",
    re.IGNORECASE,
)
_YEARISH = re.compile(r"(19|20)\d{2}")


@dataclass(frozen=True)
class SyntheticItem:
    """One generated question in the gold-file format, with its generation tags."""

    id: str
    question: str
    type: str
    answer: str
    must_contain: list[list[str]]
    source: str | None
    line: int | None
    family: str
    intent: str
    voice: str
    must_not_contain: list[str] = field(default_factory=list)
    no_diacritics: bool = False
    abbreviated: bool = False
    typo: bool = False
    doc_named: bool = False
    entity: str | None = None
    lines: tuple[int, int] | None = None
    template: str | None = None

    def to_json(self) -> dict:
        row = asdict(self)
        row["lines"] = list(self.lines) if self.lines else None
        return row


@dataclass(frozen=True)
class Seed:
    """A question before its surface form: what is asked, about what, and the expected answer."""

    family: str
    intent: str
    subject: str  # the distinguishing phrase ({task}) or the rewritten clause ({clause})
    answer: str
    must_contain: list[list[str]]
    source: str
    line: int
    lines: tuple[int, int]
    must_not_contain: list[str] = field(default_factory=list)


def words_only(text: str) -> str:
    return " ".join(_WORD.findall(fold(text)))


class CorpusView:
    """The corpus as the generator checks it: folded words of every document and of each line."""

    def __init__(self, files: IndexFiles) -> None:
        self.lines: dict[str, list[str]] = {
            source: [normalize(line) for page in doc.pages for line in page["lines"]]
            for source, doc in files.documents.items()
        }
        self.folded_lines = {
            source: [words_only(line) for line in lines] for source, lines in self.lines.items()
        }
        self.stream = " " + " ".join(w for ls in self.folded_lines.values() for w in ls) + " "
        self.line_words = [set(line.split()) for ls in self.folded_lines.values() for line in ls]
        self.df = Counter(word for words in self.line_words for word in words)
        self.postings: dict[str, list[int]] = {}
        for position, words in enumerate(self.line_words):
            for word in words:
                self.postings.setdefault(word, []).append(position)

    def mentions(self, phrase: str) -> bool:
        return f" {words_only(phrase)} " in self.stream

    def occurrences(self, phrase: str) -> int:
        return self.stream.count(f" {words_only(phrase)} ")

    def idf(self, word: str) -> float:
        return math.log((1 + len(self.line_words)) / (1 + self.df.get(fold(word), 0)))

    def lines_with_all(self, words: Iterable[str]) -> int:
        wanted = {fold(w) for w in words}
        if not wanted or any(w not in self.postings for w in wanted):
            return 0
        rarest = min(wanted, key=lambda w: len(self.postings[w]))
        return sum(wanted <= self.line_words[p] for p in self.postings[rarest])


def task_stream(texts: Iterable[str]) -> str:
    """Folded words of every task row, one row per line: a phrase found once names one row."""
    return "\n".join(f" {words_only(text)} " for text in texts)


def distinctive_phrase(text: str, corpus: CorpusView, rows: str) -> str | None:
    """The shortest opening of the row's text (or of one of its clauses) that names this row
    alone among the task rows and occurs at most once in the corpus: users name a task by
    what it does ("xây dựng Trung tâm điều hành thông minh …"). None for rows whose text is
    not distinctive (duplicates, boilerplate)."""
    tokens = normalize(text).split()[:80]
    starts = [0] + [i + 1 for i, t in enumerate(tokens[:-1]) if t.endswith((",", ";", ":"))]
    # "Chủ trì, phối hợp với … xây dựng X": a user names the task by X, and role words in the
    # phrase would read as the question's own intent cue.
    starts = [i for i in starts if not _opens_with_role(tokens[i:])] or starts
    for start in starts[:4]:
        for length in PHRASE_LENGTHS:
            window = _trim(tokens[start : _name_end(tokens, start + length)])
            if len(window) < MIN_PHRASE_WORDS:
                continue
            phrase = " ".join(window)
            key = f" {words_only(phrase)} "
            if rows.count(key) == 1 and corpus.occurrences(phrase) <= 1:
                return phrase
    return None


def _opens_with_role(tokens: list[str]) -> bool:
    return " ".join(_WORD.findall(fold(" ".join(tokens[:2])))) in ROLE_OPENERS


def _name_end(tokens: list[str], end: int, longest: int = 4) -> int:
    """Move a cut that falls inside a capitalised name ("Bộ Công | an") past the name."""
    limit = min(len(tokens), end + longest)
    while 0 < end < limit and _capitalised(tokens[end - 1]):
        if not (_capitalised(tokens[end]) or tokens[end] in NAME_TAILS):
            break
        end += 1
    return end


def _capitalised(token: str) -> bool:
    return token[:1].isupper() and not token.rstrip(",;:.").endswith((",", ";"))


def _trim(window: list[str]) -> list[str]:
    words = [w.strip(",;:.()\"'") for w in window]
    while words and (not words[0] or words[0].lower() in FUNCTION_WORDS):
        words.pop(0)
    while words and (not words[-1] or words[-1].lower() in FUNCTION_WORDS):
        words.pop()
    return words


def _first_line_with(corpus: CorpusView, task: TaskRecord, options: list[str]) -> int:
    lines = corpus.folded_lines.get(task.source, [])
    keys = [f" {words_only(o)} " for o in options]
    for number in range(task.line_start, task.line_end + 1):
        text = f" {lines[number - 1]} " if 0 < number <= len(lines) else ""
        if any(k in text for k in keys):
            return number
    return task.line_start


def task_expectations(
    task: TaskRecord, gazetteer: Gazetteer
) -> dict[str, tuple[list[list[str]], str, list[str]]]:
    """Per intent this row can answer: (must_contain groups, answer text, must_not_contain)."""
    found: dict[str, tuple[list[list[str]], str, list[str]]] = {}
    if task.lead_units:
        units = task.lead_units[:MAX_UNITS]
        found["lead"] = ([unit_variants(u, gazetteer) for u in units], ", ".join(units), [])
    if task.coordinating_units:
        units = task.coordinating_units[:MAX_UNITS]
        found["coordinator"] = ([unit_variants(u, gazetteer) for u in units], ", ".join(units), [])
    groups = deadline_groups(task.deadline.text)
    if groups and len(task.deadline.text) <= 60:
        found["deadline"] = (groups, task.deadline.text, [])
    if task.status in STATUS_VARIANTS:
        accepted, rejected = STATUS_VARIANTS[task.status]
        rejected = [r for r in rejected if fold(r) not in fold(task.result or "")]
        own = status_phrase(task.result or "")
        if own and fold(own) not in {fold(a) for a in accepted}:
            accepted = [*accepted, own]
        found["status"] = ([accepted], task.status, rejected)
    result = task.result or ""
    figure = next((m for m in _FIGURE.finditer(result) if _is_figure(result, m)), None)
    if figure:
        found["result"] = ([number_variants(figure.group(1))], task.result or "", [])
    directives = [v for v in (directive_variants(d) for d in task.directives[:2]) if v]
    if directives:
        found["directive"] = (directives, "; ".join(task.directives), [])
    if task.product and len(task.product) <= 80:
        found["product"] = ([[task.product]], task.product, [])
    return found


def task_seeds(tasks: list[TaskRecord], corpus: CorpusView, gazetteer: Gazetteer) -> Iterator[Seed]:
    rows = task_stream(t.text for t in tasks)
    for task in tasks:
        expectations = task_expectations(task, gazetteer)
        if not expectations:
            continue
        phrase = distinctive_phrase(task.text, corpus, rows)
        if phrase is None:
            continue
        for intent, (groups, answer, rejected) in expectations.items():
            line = _first_line_with(corpus, task, groups[0])
            yield Seed(
                "task", intent, phrase, answer, groups, task.source, line,
                (task.line_start, task.line_end), rejected,
            )  # fmt: skip


def _row_lines(tasks: list[TaskRecord]) -> dict[str, set[int]]:
    covered: dict[str, set[int]] = {}
    for task in tasks:
        covered.setdefault(task.source, set()).update(range(task.line_start, task.line_end + 1))
    return covered


def prose_seeds(tasks: list[TaskRecord], corpus: CorpusView) -> Iterator[Seed]:
    """Clauses of prose lines (outside every task row) that hold a figure or a date."""
    rows = _row_lines(tasks)
    for source, lines in corpus.lines.items():
        for number, line in enumerate(lines, start=1):
            if number in rows.get(source, set()):
                continue
            for clause in _CLAUSE_END.split(line):
                yield from _clause_seeds(clause, source, number, corpus)


def _clause_seeds(clause: str, source: str, line: int, corpus: CorpusView) -> Iterator[Seed]:
    for match in _DATE.finditer(clause):
        parts = [g for g in match.groups() if g is not None]
        day, month, year = int(parts[0]), int(parts[1]), parts[2]
        question = clause[: match.start()] + "ngày nào" + clause[match.end() :]
        groups = [day_variants(day, month, year)]
        seed = _prose_seed("date", question, match.group(0), groups, source, line, corpus)
        if seed:
            yield seed
    for match in _FIGURE.finditer(clause):
        value = match.group(1)
        if not _is_figure(clause, match):
            continue
        asked = "bao nhiêu %" if match.group(2) else "bao nhiêu"
        question = clause[: match.start()] + asked + clause[match.end() :]
        groups = [number_variants(value)]
        seed = _prose_seed("figure", question, match.group(0), groups, source, line, corpus)
        if seed:
            yield seed


def _is_figure(clause: str, match: re.Match[str]) -> bool:
    """A quantity, not a year, a name's number (Điều 23), a date part or a leading-zero code."""
    value = match.group(1)
    before = _WORD.findall(fold(clause[: match.start()]))[-2:]
    after = _WORD.findall(fold(clause[match.end() :]))[:1]
    inside_date = any(d.start() <= match.start() < d.end() for d in _DATE.finditer(clause))
    return not (
        _YEARISH.fullmatch(value)
        or value in COMMON_NUMBERS
        or value.startswith("0")
        or set(before) & NAME_WORDS
        or set(after) & TIME_WORDS
        or inside_date
    )


def _prose_seed(
    intent: str,
    question: str,
    value: str,
    groups: list[list[str]],
    source: str,
    line: int,
    corpus: CorpusView,
) -> Seed | None:
    asked = "bao nhiêu" if intent == "figure" else "ngày nào"
    text = _window(question.strip(" ,;:.-+*()"), asked)
    head = text.partition(asked)[0]
    # The question word is not in the sentence: only the sentence's own words identify it.
    own = text.replace(asked, " ")
    content = [w for w in _WORD.findall(own) if not w.isdigit() and w.lower() not in FUNCTION_WORDS]
    # A value inside a run of figures ("3.306 lượt …, 5.680 lượt …") has no words of its own.
    if (
        len(head.split()) < MIN_HEAD_WORDS
        or len(content) < 5
        or _figure_count(text) > MAX_OTHER_FIGURES
    ):
        return None
    rarest = sorted(set(content), key=lambda w: (-corpus.idf(w), w))[:5]
    if corpus.lines_with_all(rarest) != 1:
        return None
    return Seed("prose", intent, text, value, groups, source, line, (line, line))


def _figure_count(text: str) -> int:
    return len(_FIGURE.findall(text))


def _window(clause: str, asked: str, before: int = 14, after: int = 8) -> str:
    """The words around the asked value: from the last comma that leaves at least six words
    before it (else at most ``before`` words), to the next comma (at most ``after`` words)."""
    head, _, tail = clause.partition(asked)
    head_words = head.split()[-before:]
    for cut in range(len(head_words) - MIN_CLAUSE_WORDS, 0, -1):
        if head_words[cut - 1].endswith(","):
            head_words = head_words[cut:]
            break
    tail_words: list[str] = []
    for word in tail.split()[:after]:
        tail_words.append(word.rstrip(","))
        if word.endswith(","):
            break
    return " ".join([*head_words, asked, *tail_words]).strip(" ,")


@dataclass
class Phrasings:
    task_templates: dict[str, dict[str, list[str]]]
    prose_templates: dict[str, dict[str, list[str]]]
    document_templates: list[str]
    documents: dict[str, list[str]]
    abbreviations: list[list[str]]
    unanswerable: dict

    @classmethod
    def load(cls, path: Path = PHRASINGS) -> Phrasings:
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("_comment", None)
        return cls(**data)

    def templates(self, seed: Seed) -> dict[str, list[str]]:
        table = self.task_templates if seed.family == "task" else self.prose_templates
        return table[seed.intent]


class Generator:
    """Renders seeds into questions; every random choice comes from one seeded ``Random``."""

    def __init__(self, phrasings: Phrasings, corpus: CorpusView, seed: int) -> None:
        self.phrasings = phrasings
        self.corpus = corpus
        self.rng = random.Random(seed)
        self.protected = frozenset(
            short for _, *shorts in phrasings.abbreviations for short in shorts
        )

    def render(self, seed: Seed, index: int) -> SyntheticItem:
        voice = self.rng.choice(sorted(self.phrasings.templates(seed)))
        template = self.rng.choice(self.phrasings.templates(seed)[voice])
        slot = "{task}" if seed.family == "task" else "{clause}"
        question = template.replace(slot, lower_first(seed.subject))
        doc_named = seed.source in self.phrasings.documents and self.rng.random() < DOC_NAMED_SHARE
        if doc_named:
            question = self._with_document(question, seed.source)
        item = SyntheticItem(
            id=f"syn{index:05d}", question=question, type=INTENT_TYPES[seed.intent],
            answer=seed.answer, must_contain=seed.must_contain, source=seed.source,
            line=seed.line, family=seed.family, intent=seed.intent, voice=voice,
            must_not_contain=seed.must_not_contain, doc_named=doc_named, lines=seed.lines,
            template=template,
        )  # fmt: skip
        return self.surface(item)

    def _with_document(self, question: str, source: str) -> str:
        spelling = self.rng.choice(self.phrasings.documents[source])
        template = self.rng.choice(self.phrasings.document_templates)
        question = question.rstrip()
        if not template.startswith("{question}"):
            question = lower_first(question)
        return template.replace("{doc}", spelling).replace("{question}", question)

    def surface(self, item: SyntheticItem) -> SyntheticItem:
        question, abbreviated = item.question, False
        if self.rng.random() < ABBREVIATE_SHARE:
            question, abbreviated = abbreviate(question, self.phrasings.abbreviations, self.rng)
        typo = self.rng.random() < TYPO_SHARE
        if typo:
            question = add_typo(question, self.rng, self.protected)
        no_diacritics = self.rng.random() < NO_DIACRITICS_SHARE
        if no_diacritics:
            question = strip_diacritics(question)
        if item.voice != "formal":
            question = lower_first(question)
        return replace(
            item, question=question, abbreviated=abbreviated, typo=typo,
            no_diacritics=no_diacritics,
        )  # fmt: skip

    def absent_entities(self, kind: str) -> list[str]:
        """Candidate entities of a kind that the corpus never mentions."""
        table = self.phrasings.unanswerable
        if kind == "document":
            return self._absent_documents(table["document_kinds"])
        key = {"province": "provinces", "year": "years", "unit": "units"}[kind]
        return [e for e in table[key] if not self.corpus.mentions(e)]

    def _absent_documents(self, kinds: list[str], count: int = 12) -> list[str]:
        found: list[str] = []
        while len(found) < count:
            number = str(self.rng.randrange(1100, 9900))
            if not self.corpus.mentions(number):
                found.append(self.rng.choice(kinds).replace("{n}", number))
        return found

    def unanswerable(self, base: SyntheticItem, seed: Seed, kind: str, index: int) -> SyntheticItem:
        entity = self.rng.choice(self.absent_entities(kind))
        template = self.rng.choice(self.phrasings.unanswerable["templates"][kind])
        question = base.question.rstrip(" ?")
        if not template.startswith("{question}"):
            question = lower_first(question)
        text = (
            template.replace("{entity}", entity)
            .replace("{task}", seed.subject)
            .replace("{question}", question)
        )
        if not text.endswith("?") and base.question.endswith("?"):
            text += "?"
        if base.no_diacritics:
            text = strip_diacritics(text)
        return replace(
            base, id=f"syn{index:05d}", question=text, type="unanswerable", answer="",
            must_contain=[], must_not_contain=[], source=None, line=None, lines=None,
            family="unanswerable", intent=kind, entity=entity, template=template,
        )  # fmt: skip


UNANSWERABLE_KINDS = ("province", "year", "unit", "document")


@dataclass(frozen=True)
class SeedBank:
    """Every question seed an index offers, with the corpus view they were checked against."""

    corpus: CorpusView
    seeds: list[Seed]

    @classmethod
    def build(
        cls, files: IndexFiles, tasks: list[TaskRecord], gazetteer: Gazetteer | None = None
    ) -> SeedBank:
        corpus = CorpusView(files)
        seeds = [*task_seeds(tasks, corpus, gazetteer or default_gazetteer())]
        return cls(corpus, seeds + list(prose_seeds(tasks, corpus)))


def generate(
    files: IndexFiles,
    tasks: list[TaskRecord],
    n: int,
    seed: int = DEFAULT_SEED,
    gazetteer: Gazetteer | None = None,
    phrasings: Phrasings | None = None,
) -> list[SyntheticItem]:
    """``n`` questions from the index: see :func:`sample_questions`."""
    return sample_questions(SeedBank.build(files, tasks, gazetteer), n, seed, phrasings)


def sample_questions(
    bank: SeedBank, n: int, seed: int = DEFAULT_SEED, phrasings: Phrasings | None = None
) -> list[SyntheticItem]:
    """``n`` questions: task intents and prose figures in turn, then unanswerable variants."""
    generator = Generator(phrasings or Phrasings.load(), bank.corpus, seed)
    pools = _pools(list(bank.seeds), generator.rng)
    quotas = _quotas(n)
    items: list[SyntheticItem] = []
    seen: set[str] = set()
    answerable: list[tuple[SyntheticItem, Seed]] = []
    answerable_total = quotas["task"] + quotas["prose"]
    # Prose first: its pools are small; whatever they cannot fill goes to task questions.
    for family in ("prose", "task"):
        families = [pools[k] for k in pools if k[0] == family]
        wanted = len(items) + quotas[family] if family == "prose" else answerable_total
        for chosen in _round_robin(families):
            if len(items) >= wanted:
                break
            item = generator.render(chosen, len(items))
            if item.question in seen:
                continue
            seen.add(item.question)
            items.append(item)
            answerable.append((item, chosen))
    kinds = list(UNANSWERABLE_KINDS)
    for count in range(quotas["unanswerable"]):
        base, chosen = answerable[generator.rng.randrange(len(answerable))]
        kind = kinds[count % len(kinds)]
        if kind == "unit" and chosen.family != "task":
            kind = "province"
        items.append(generator.unanswerable(base, chosen, kind, len(items)))
    return items


def _pools(seeds: list[Seed], rng: random.Random) -> dict[tuple[str, str], list[Seed]]:
    pools: dict[tuple[str, str], list[Seed]] = {}
    for seed in seeds:
        pools.setdefault((seed.family, seed.intent), []).append(seed)
    for pool in pools.values():
        rng.shuffle(pool)
    return dict(sorted(pools.items()))


def _quotas(n: int) -> dict[str, int]:
    task = round(n * FAMILY_SHARES["task"])
    prose = round(n * FAMILY_SHARES["prose"])
    return {"task": task, "prose": prose, "unanswerable": n - task - prose}


def _round_robin(pools: list[list[Seed]]) -> Iterator[Seed]:
    """Take seeds from each pool in turn, each seed at most ``MAX_USES_PER_SEED`` times (a
    second use gets new phrasings), so no single row or sentence dominates a sample."""
    pools = [p for p in pools if p]
    longest = max((len(p) for p in pools), default=0)
    for position in range(longest * MAX_USES_PER_SEED):
        for pool in pools:
            if position < len(pool) * MAX_USES_PER_SEED:
                yield pool[position % len(pool)]


def load_index(index_dir: Path) -> tuple[IndexFiles, list[TaskRecord]]:
    files = IndexFiles.load(index_dir)
    store = TaskStore(files.path / TASKS_FILE)
    try:
        return files, store.all()
    finally:
        store.close()


def write_jsonl(items: list[SyntheticItem], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(json.dumps(i.to_json(), ensure_ascii=False) + "\n" for i in items)
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    from rag.settings import get_settings

    parser = argparse.ArgumentParser(description="Generate synthetic evaluation questions")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--index-dir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=Path("var/synthetic.jsonl"))
    args = parser.parse_args(argv)
    files, tasks = load_index(args.index_dir or get_settings().index_dir)
    items = generate(files, tasks, args.n, args.seed)
    write_jsonl(items, args.out)
    counts = Counter(f"{i.family}/{i.intent}" for i in items)
    print(f"{len(items)} questions → {args.out}: {dict(sorted(counts.items()))}")


if __name__ == "__main__":  # pragma: no cover
    main()
