"""Registry questions -> a structured query over the task registry (pure functions).

"Sở Y tế phối hợp bao nhiêu nhiệm vụ thuộc nhóm V?", "Tính đến 15/8/2024 nhiệm vụ nào của
Sở Tư pháp đã quá hạn?", "KH 2024 và PL1 ghi thời hạn nhiệm vụ X có giống nhau không?" are
counts, filters and comparisons over table rows: they are answered from ``tasks.sqlite``,
not by quoting the nearest passage. Everything is read on folded text, so questions typed
without diacritics or with the usual abbreviations (PL1, KH 2024, NQ 175) parse the same:
documents by their aliases (``rag/document_aliases.py``), directives by ``directive_shorthand``.
The vocabulary lives in ``data/registry_cues.json`` and ``data/statuses.json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources

from rag.answerability import money_constraints
from rag.deadlines import parse_deadline
from rag.query import DocumentNumber, find_doc_numbers, find_sources, first_mention
from rag.text import fold, normalize

OPERATIONS = ("count", "list", "overdue", "upcoming", "compare", "compare_units", "group_by")
UPCOMING_DAYS = 30
# Fields a comparison can be about, with the folded words that ask for each.
COMPARE_FIELDS = {
    "deadline": ("thoi han", "han", "thoi gian", "moc", "khi nao"),
    "lead": ("chu tri", "don vi thuc hien", "ai lam", "don vi nao"),
    "status": ("tinh trang", "ket qua", "trang thai", "hoan thanh chua", "da xong"),
}
_DATE_AFTER = (
    r"\s*[:,]?\s*(?:la\s+)?(?:ngay\s+)?(\d{1,2})\s*(?:[/.-]|\s+thang\s+)\s*(\d{1,2})"
    r"\s*(?:[/.-]|\s+nam\s+)\s*((?:19|20)\d\d)\b"
)
_GROUP_KEY = re.compile(
    r"\b(?:nhom|muc|phan)\s+(?:nhiem vu\s+)?(?:so\s+)?([ivx]{1,4}|[a-e]|\d{1,2})\b(?![/.]\d)"
)
_PART = re.compile(r"\bphan\s+(?:nhiem vu\s+)?(?:cua\s+)?(?:cac\s+)?(dia phuong|chung|bo nganh)")


@dataclass(frozen=True)
class GroupRef:
    """One group heading of a task table: "V. Hoàn thiện hệ sinh thái …", "C Nhiệm vụ của …"."""

    source: str
    key: str  # the heading's number or letter, as written ("V", "C", "2")
    title: str
    part: str | None = None  # "common", "ministries", "local"
    part_number: str | None = None  # "1", "2" for a table that restarts numbering unannounced


@dataclass(frozen=True)
class RegistryQuery:
    operation: str
    sources: tuple[str, ...] = ()
    unit: str | None = None
    # Units whose counts a question sets side by side ("Sở TTTT hay CA TP chủ trì nhiều hơn").
    units: tuple[str, ...] = ()
    role: str | None = None  # "lead", "coordinating"; None: either
    status: str | None = None  # a key of data/statuses.json
    group: GroupRef | None = None
    groups: tuple[GroupRef, ...] = ()  # every heading the question names (one per document)
    part: str | None = None
    due_from: date | None = None
    due_to: date | None = None
    window_text: str | None = None
    deadline_kind: str | None = None  # "recurring" or "unspecified"
    directive: DocumentNumber | None = None
    product: str | None = None
    text: str | None = None
    as_of: date | None = None
    group_by: str | None = None
    days: int = UPCOMING_DAYS
    compare_field: str | None = None
    question: str = field(default="", compare=False)

    @property
    def source(self) -> str | None:
        return self.sources[0] if self.sources else None

    def filter_count(self) -> int:
        """Filters beyond the document: what makes a question a registry question."""
        values = (
            self.unit, self.status, self.groups or None, self.part, self.due_from or self.due_to,
            self.deadline_kind, self.directive, self.product, self.text,
        )  # fmt: skip
        return sum(v is not None for v in values)


@lru_cache(maxsize=1)
def registry_cues() -> dict:
    data = resources.files("rag").joinpath("data/registry_cues.json").read_text("utf-8")
    return json.loads(data)


@dataclass(frozen=True)
class StatusWord:
    key: str
    stored: str
    label: str
    phrase: str  # folded


@lru_cache(maxsize=1)
def status_words() -> tuple[StatusWord, ...]:
    """Every status phrase, longest first, so "chưa hoàn thành" wins over "hoàn thành"."""
    data = json.loads(resources.files("rag").joinpath("data/statuses.json").read_text("utf-8"))
    words = [
        StatusWord(key, entry["stored"], entry["label"], fold(phrase))
        for key, entry in data["statuses"].items()
        for phrase in entry["phrases"]
    ]
    return tuple(sorted(words, key=lambda w: -len(w.phrase)))


def status_of_key(key: str) -> StatusWord:
    return next(w for w in status_words() if w.key == key)


def _words(text: str) -> str:
    """Folded words separated by single spaces, padded, for whole-word matching."""
    return f" {' '.join(re.findall(r'[0-9a-z]+', fold(text)))} "


def _has(padded: str, phrases: Sequence[str]) -> bool:
    return any(f" {p} " in padded for p in phrases)


def expand_shorthand(folded: str) -> str:
    """ "NQ 175", "CT 04" -> "nghị quyết 175", "chỉ thị 04", as the number finder knows them.
    Documents of the corpus ("PL1", "KH 2024") are found by their aliases as typed."""
    text = f" {folded} "
    for short, long in registry_cues()["directive_shorthand"].items():
        text = re.sub(rf"(?<![0-9a-z/]){short}\s*(?=\d)", fold(long) + " ", text)
    return text.strip()


def find_as_of(folded: str) -> tuple[date | None, tuple[int, int] | None]:
    """The reference date of "tính đến 15/8/2024", "hôm nay là 20/6/2024", "đến ngày …"."""
    cues = sorted(registry_cues()["as_of"], key=len, reverse=True)
    pattern = re.compile(rf"\b(?:{'|'.join(map(re.escape, cues))}){_DATE_AFTER}")
    match = pattern.search(folded)
    if not match:
        return None, None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day), match.span()
    except ValueError:
        return None, None


def _blank(text: str, span: tuple[int, int] | None) -> str:
    """Replace a span by a placeholder word of the same length, so that character positions
    stay valid and the words on either side do not join into a cue ("theo … kết quả")."""
    if span is None:
        return text
    width = span[1] - span[0]
    filler = (" " + "x" * (width - 2) + " ") if width > 2 else " " * width
    return text[: span[0]] + filler + text[span[1] :]


def find_operation(
    padded: str, sources: Sequence[str], units: Sequence[str] = ()
) -> tuple[str | None, str | None]:
    """(operation, group_by key) from the question's cue words; compare needs two documents,
    compare_units two units."""
    cues = registry_cues()
    if len(sources) >= 2 and _has(padded, cues["compare"]):
        return "compare", None
    if len(units) >= 2 and (
        _has(padded, cues["compare_units"])
        or re.search(r" (?:nhieu|it) (?:[a-z0-9]+ ){0,6}hon ", padded)
    ):
        return "compare_units", None
    for key, phrases in cues["group_by"].items():
        if _has(padded, phrases):
            return "group_by", key
    if _has(padded, cues["overdue"]):
        return "overdue", None
    if _has(padded, cues["upcoming"]):
        return "upcoming", None
    count_words = "|".join(map(re.escape, cues["count"]))
    nouns = "|".join(map(re.escape, cues["count_nouns"]))
    if re.search(rf" (?:{count_words}) (?:[a-z0-9]+ ){{0,2}}?(?:{nouns}) ", padded) or re.search(
        rf" (?:so|tong so|so luong) (?:{nouns}) ", padded
    ):
        return "count", None
    if _has(padded, cues["list"]):
        return "list", None
    return None, None


_PERIOD_WORD = re.compile(r"^(?:quy|thang|nam|ngay|\d+)$")


def _is_deadline_use(before: list[str], after: list[str]) -> bool:
    """ "thời gian hoàn thành", "phải hoàn thành trước 30/6", "xong trong quý II" name a
    deadline, not a status."""
    if before[-1:] and before[-1] in ("gian", "han", "phai", "de", "can", "moc"):
        return True
    return (
        len(after) >= 2
        and after[0] in ("truoc", "trong", "vao", "dung")
        and _PERIOD_WORD.match(after[1]) is not None
    )


def find_status(padded: str) -> str | None:
    """The status asked about (longest phrase first), skipping deadline wording."""
    for word in status_words():
        for match in re.finditer(rf" {re.escape(word.phrase)} ", padded):
            before = padded[: match.start()].split()[-2:]
            after = padded[match.end() :].split()[:2]
            if _is_deadline_use(before, after):
                continue
            if word.key == "recurring" and "han" in before:
                continue  # "thời hạn thường xuyên" is a deadline kind
            return word.key
    return None


def find_deadline_kind(padded: str) -> str | None:
    for kind, phrases in registry_cues()["deadline_kinds"].items():
        if _has(padded, phrases):
            return kind
    return None


def find_window(folded: str) -> tuple[date | None, date | None, str | None]:
    """A deadline window: "có hạn trong quý II/2024", "phải xong trước 30/6/2024"."""
    cues = sorted(registry_cues()["deadline_window"], key=len, reverse=True)
    pattern = re.compile(rf"\b(?:{'|'.join(map(re.escape, cues))})\b\s*(?:la\s+)?")
    for match in pattern.finditer(folded):
        tail = folded[match.end() : match.end() + 40]
        if not re.match(r"(?:trong|vao|truoc|tu|den|nam|quy|thang|ngay|\d)", tail):
            continue
        head = re.split(r"[?,;]", tail)[0]
        deadline = parse_deadline(head)
        if deadline.kind not in ("date", "range") or deadline.end is None:
            continue
        text = " ".join(head.split()[:6])
        if head.startswith("truoc"):
            return None, deadline.end, text
        return deadline.start, deadline.end, text
    return None, None, None


def _phrase_after(padded: str, cues: Sequence[str]) -> str | None:
    for cue in sorted(cues, key=len, reverse=True):
        match = re.search(rf" {re.escape(cue)} ((?:[a-z0-9]+ ){{1,6}})", padded)
        if not match:
            continue
        stop = frozenset(registry_cues()["phrase_stop_words"])
        words = []
        for word in match.group(1).split():
            if word in stop and words:
                break
            if word not in stop:
                words.append(word)
        if words:
            return " ".join(words)
    return None


def find_role(padded: str) -> str | None:
    for role, phrases in registry_cues()["roles"].items():
        if _has(padded, phrases):
            return role
    return None


def find_groups(folded: str, catalog: Sequence[GroupRef], sources: Sequence[str]) -> list[GroupRef]:
    """Group headings the question names, by key ("nhóm V", "mục C") or by title words."""
    in_scope = [g for g in catalog if not sources or g.source in sources]
    match = _GROUP_KEY.search(folded)
    if match:
        key = match.group(1)
        named = [g for g in in_scope if fold(g.key) == key] or [
            g for g in in_scope if g.part_number == key and match.group(0).startswith("phan")
        ]
        if named:
            return named
    titled = []
    for group in in_scope:
        title_words = [w for w in _words(group.title).split() if len(w) > 1]
        if len(title_words) < 3:
            continue
        head = " ".join(title_words[: min(5, len(title_words))])
        if f" {head} " in _words(folded):
            titled.append(group)
    return titled


def find_part(folded: str) -> str | None:
    match = _PART.search(folded)
    if not match:
        return None
    return {"dia phuong": "local", "chung": "common", "bo nganh": "ministries"}[match.group(1)]


def find_directive(
    normalized: str, expanded: str, own_numbers: Sequence[str]
) -> DocumentNumber | None:
    """The directing document a filter names; a document number of a corpus file is a source."""
    for number in [*find_doc_numbers(normalized), *find_doc_numbers(expanded)]:
        if number.number not in own_numbers:
            return number
    return None


def find_compare_field(padded: str) -> str | None:
    for name, phrases in COMPARE_FIELDS.items():
        if _has(padded, phrases):
            return name
    return None


def parse_registry_question(
    question: str,
    units: Sequence[str],
    aliases: dict[str, list[str]],
    catalog: Sequence[GroupRef],
    task_sources: Sequence[str],
    own_numbers: Sequence[str] = (),
    today: date | None = None,
) -> RegistryQuery | None:
    """A structured registry query, or None when the question is not one.

    ``aliases``: each source's names (manifest); ``catalog``: the group headings of the task
    tables; ``task_sources``: documents that have task rows; ``own_numbers``: the leading
    numbers of the corpus documents' own numbers ("4709"), which name a source, not a directive.
    """
    normalized = normalize(question)
    folded = expand_shorthand(fold(normalized))
    as_of, as_of_span = find_as_of(folded)
    rest = _blank(folded, as_of_span)
    named, spans = find_sources(rest, aliases)
    # A comparison reads "Phụ lục I và Phụ lục 03 …" in the order the user named them.
    sources = tuple(
        sorted(
            (s for s in named if s in task_sources),
            key=lambda s: first_mention(rest, aliases.get(s, [])),
        )
    )
    for span in spans:
        rest = _blank(rest, span)
    padded = _words(rest)
    operation, group_by = find_operation(padded, sources, units)
    if operation is None or _has(padded, registry_cues()["not_registry"]):
        return None
    if money_constraints(rest, normalized):
        return None  # "bao nhiêu tỷ đồng" asks a sum of money, not a count of rows
    due_from, due_to, window_text = find_window(rest)
    groups = tuple(find_groups(rest, catalog, sources))
    query = RegistryQuery(
        operation=operation,
        sources=sources,
        unit=units[0] if units else None,
        units=tuple(units) if operation == "compare_units" else (),
        # A unit named without a role is read as the lead unit, as the existing lists do.
        role=(find_role(padded) or "lead") if units else None,
        status=find_status(padded),
        group=groups[0] if groups else None,
        groups=groups,
        part=find_part(rest),
        due_from=due_from,
        due_to=due_to,
        window_text=window_text,
        deadline_kind=find_deadline_kind(padded),
        directive=find_directive(normalized, rest, own_numbers),
        product=_phrase_after(padded, registry_cues()["product"]),
        text=_phrase_after(padded, registry_cues()["about"]),
        as_of=as_of or (today if operation in ("overdue", "upcoming") else None),
        group_by=group_by,
        compare_field=find_compare_field(padded) if operation == "compare" else None,
        question=question,
    )
    return query if is_registry_question(query, padded) else None


def is_registry_question(query: RegistryQuery, padded: str) -> bool:
    """Enough structure to answer from the registry rather than from passages."""
    mentions_tasks = _has(padded, registry_cues()["count_nouns"])
    if query.operation == "compare":
        return mentions_tasks or query.compare_field is not None
    if query.operation in ("overdue", "upcoming"):
        return mentions_tasks or query.unit is not None
    if query.operation in ("group_by", "compare_units"):
        return mentions_tasks
    if query.operation == "list":
        # "Which tasks does unit X lead / did directive Y order" stay with the task listing,
        # which also covers prose duties; the registry takes lists it alone can filter.
        narrowing = query.filter_count() - (query.unit is not None) - (query.directive is not None)
        return narrowing >= 1 and mentions_tasks
    # A bare "how many tasks does the plan have" is answered by the document's own sentence.
    return query.filter_count() >= 1
