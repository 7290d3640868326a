"""Question analysis: normalize, detect intents and entities (units, document numbers,
periods, which document the user means). Pure functions; the same normalization as ingest.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from rag.appendices import named_appendices
from rag.intents import detect_intents
from rag.text import TOKEN_CACHE_SIZE, fold, index_tokens, index_words, normalize, squash

# Question words that carry no content (folded). They would only add noise to lexical search.
QUESTION_STOPWORDS = frozenset(
    [
        "ai",
        "nao",
        "gi",
        "bao",
        "nhieu",
        "khi",
        "chua",
        "khong",
        "va",
        "cua",
        "duoc",
        "nhu",
        "sao",
        "vay",
        "hay",
        "biet",
        "xin",
        "hoi",
        "nhung",
        "cac",
        "nhe",
        "nha",
        "oi",
    ]
)

# Question words and particles whose plain spelling is also a content word ("mấy" is how
# many, "máy" a machine; "đâu" where, "đầu" first): only the accented spelling says so.
ACCENTED_QUESTION_WORDS = frozenset(
    ["mấy", "đâu", "ạ", "à", "á", "ơi", "nhỉ", "nhé", "hả", "dạ", "rồi", "vài", "cái"]
)

_DOC_NUMBER = re.compile(
    r"\b\d{1,5}(?:\s*/\s*\d{4})?(?:\s*[/-]\s*[A-ZĐ][A-ZĐa-zđ0-9&]*)+",
)
# Matched on folded text so "chi thi 04" typed without diacritics is found too.
_NAMED_DOC = re.compile(
    r"\b(chi thi|nghi quyet|thong bao|quyet dinh|cong van|ke hoach|nghi dinh|thong tu|van ban)"
    r"\s+(?:so\s+)?(\d{1,5})\b(?!\s*/\s*\d)",
)
_QUARTER = re.compile(r"\bquý\s+([IV]+|\d)\s*(?:/|năm\s+)(\d{4})", re.IGNORECASE)
_MONTH = re.compile(r"\btháng\s+(\d{1,2})\s*(?:/|năm\s+)(\d{4})", re.IGNORECASE)
_ADMIN_PLACE = re.compile(
    r"\b(?:[Qq]uận|[Hh]uyện|[Tt]ỉnh|[Pp]hường|[Xx]ã|[Tt]hị xã)\s+(?:\d+|[A-ZĐ][\wÀ-ỹ]*(?:\s+[A-ZĐ][\wÀ-ỹ]*)*)"
)
# Digits are tokens of their own: "Điều 23 Thông tư" is not the name "Điều Thông".
_WORD_RUN = re.compile(r"[^\W\d_]+|\d+|[^\w\s]")


@dataclass(frozen=True)
class DocumentNumber:
    text: str  # as typed
    key: str  # squashed, for exact matching in any spacing
    number: str  # the leading digits


@dataclass(frozen=True)
class QueryAnalysis:
    question: str
    normalized: str
    folded: str
    intents: tuple[str, ...]
    units: tuple[str, ...] = ()
    doc_numbers: tuple[DocumentNumber, ...] = ()
    periods: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    tokens: tuple[str, ...] = field(default=(), repr=False)
    core_tokens: tuple[str, ...] = field(default=(), repr=False)
    focus: tuple[str, ...] = ()
    # The question without the document names it scopes itself to ("Theo Kế hoạch 2024, …").
    searchable: str = ""
    # The document comes from the previous turn, not from the question: prefer, don't filter.
    inherited: bool = False
    # An appendix inside a document the question names ("PL 05 của cv 4709"), as a number.
    appendix: str | None = None

    @property
    def core_words(self) -> frozenset[str]:
        """The question's own content words, folded (no bigrams, no accented duplicates)."""
        return frozenset(t for t in self.core_tokens if "_" not in t and t == fold(t))

    @property
    def intent(self) -> str:
        return self.intents[0] if self.intents else "general"

    def has(self, intent: str) -> bool:
        return intent in self.intents


def find_doc_numbers(text: str) -> tuple[DocumentNumber, ...]:
    found: dict[str, DocumentNumber] = {}
    for match in _DOC_NUMBER.finditer(text):
        raw = match.group(0).strip()
        key = squash(raw)
        number = re.match(r"\d+", raw).group(0)
        found.setdefault(key, DocumentNumber(raw, key, number))
    for match in _NAMED_DOC.finditer(fold(text)):
        raw = match.group(0)
        number = match.group(2)
        if len(number) == 4 and number.startswith(("19", "20")):
            continue  # "Kế hoạch 2024" names a year, not a document number
        if not any(n.number == number for n in found.values()):
            found.setdefault(squash(raw), DocumentNumber(raw, number, number))
    return tuple(found.values())


def find_periods(text: str) -> tuple[str, ...]:
    periods = [f"Quý {m.group(1).upper()}/{m.group(2)}" for m in _QUARTER.finditer(text)]
    periods += [f"Tháng {int(m.group(1))}/{m.group(2)}" for m in _MONTH.finditer(text)]
    return tuple(periods)


@lru_cache(maxsize=1)
def _name_groups() -> list[list[str]]:
    data = json.loads(
        resources.files("rag").joinpath("data/document_names.json").read_text("utf-8")
    )
    return [sorted(group, key=len, reverse=True) for group in data["groups"]]


_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7"}
_SEP = r"[^0-9a-z/]*"


def _word_pattern(word: str, previous: str | None) -> str:
    """One alias word as users type it: numbers with or without leading zeros, the number
    of an appendix in Roman or Arabic digits, an optional "số" before a number."""
    number = _ROMAN.get(word) if previous == "luc" else None
    if word.isdigit() or number:
        value = str(int(number or word))
        roman = [r for r, n in _ROMAN.items() if n == value]
        options = "|".join([f"0*{value}", *roman])
        return rf"(?:(?:so|nam){_SEP})?(?:{options})(?![0-9a-z])"
    return re.escape(word)


@lru_cache(maxsize=1024)
def _alias_pattern(name: str) -> re.Pattern[str]:
    words = re.findall(r"[0-9a-z/]+", fold(name))
    parts: list[str] = []
    position = 0
    while position < len(words):
        for group in _name_groups():
            full = group[-1] if " " not in group[0] else group[0]
            size = len(full.split())
            if " ".join(words[position : position + size]) == full:
                options = "|".join(_SEP.join(map(re.escape, g.split())) for g in group)
                parts.append(f"(?:{options})")
                position += size
                break
        else:
            following = words[position + 1] if position + 1 < len(words) else ""
            if words[position] in ("nam", "so") and following.isdigit():
                # "báo cáo năm 2023" is typed "bc 2023": the number's pattern takes the
                # word before it as optional.
                position += 1
                continue
            previous = words[position - 1] if position else None
            parts.append(_word_pattern(words[position], previous))
            position += 1
    return re.compile(r"(?<![0-9a-z/])" + _SEP.join(parts) + r"(?![0-9a-z/])")


def alias_key(name: str) -> str:
    """Two names with the same key are found in the same questions ("phụ lục 03" and "phụ
    lục 3", "báo cáo năm 2023" and "báo cáo 2023")."""
    return _alias_pattern(name).pattern


def first_mention(folded_question: str, names: list[str]) -> int:
    """Where a document is first named in the question (by any of its names, as typed)."""
    starts = [
        match.start()
        for name in names
        if name.strip() and (match := _alias_pattern(name).search(folded_question))
    ]
    return min(starts, default=len(folded_question))


def _alias_hits(folded_question: str, aliases: dict[str, list[str]]) -> list[tuple[int, int, str]]:
    """(start, end, source) of each of the manifest's names found in the question."""
    hits = []
    for source, names in aliases.items():
        for name in names:
            match = _alias_pattern(name).search(folded_question) if name.strip() else None
            if match:
                hits.append((match.start(), match.end(), source))
    return hits


def find_sources(
    folded_question: str, aliases: dict[str, list[str]]
) -> tuple[tuple[str, ...], list[tuple[int, int]]]:
    """Which documents the question names (by the manifest's curated aliases, longest first),
    and where in the question those names stand."""
    hits = sorted(
        _alias_hits(folded_question, aliases),
        key=lambda h: (h[1] - h[0], h[2], (h[0], h[1])),
        reverse=True,
    )
    ordered = tuple(dict.fromkeys(source for _, _, source in hits))
    return ordered, [(start, end) for start, end, _ in hits]


def document_mentions(
    folded_question: str, aliases: dict[str, list[str]]
) -> list[tuple[int, int, str]]:
    """Where the question names documents, as (start, end, source) in question order, one per
    place: a name inside a longer name ("phụ lục" in "phụ lục kế hoạch") is not a mention."""
    taken: list[tuple[int, int, str]] = []
    found = _alias_hits(folded_question, aliases)
    for start, end, source in sorted(found, key=lambda f: f[0] - f[1]):
        if all(end <= s or start >= e for s, e, _ in taken):
            taken.append((start, end, source))
    return sorted(taken)


@lru_cache(maxsize=1)
def home_place_names() -> tuple[str, ...]:
    """How users name the city every document covers (longest first)."""
    data = json.loads(resources.files("rag").joinpath("data/places.json").read_text("utf-8"))
    return tuple(sorted(data["home"], key=len, reverse=True))


_HOME_PREPOSITION = re.compile(r"(?<![0-9a-z])(?:cua|tai|o|tren dia ban|thuoc)\s+$")


def home_place_spans(folded_question: str) -> list[tuple[int, int]]:
    """Where the question names the home city ("của TP.HCM", "tphcm"), with the preposition
    before it (left alone, "của" would pair with the next word as a bigram)."""
    spans = []
    for name in home_place_names():
        for match in _alias_pattern(name).finditer(folded_question):
            before = _HOME_PREPOSITION.search(folded_question[: match.start()])
            spans.append((before.start() if before else match.start(), match.end()))
    return spans


def without_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """Blank out character spans (folding keeps one character per character of NFC text)."""
    chars = list(text)
    for start, end in spans:
        for position in range(start, min(end, len(chars))):
            chars[position] = " "
    return "".join(chars)


@lru_cache(maxsize=1)
def synonym_groups() -> list[list[str]]:
    data = json.loads(resources.files("rag").joinpath("data/synonyms.json").read_text("utf-8"))
    return [[_phrase_key(p) for p in group] for group in data["groups"]]


def _phrase_key(text: str) -> str:
    return " ".join(re.findall(r"[0-9a-z%]+", fold(text)))


def expansions(text: str) -> list[str]:
    """Other spellings of the abbreviations and paraphrases the question uses."""
    padded = f" {_phrase_key(text)} "
    extra: list[str] = []
    for group in synonym_groups():
        if any(f" {member} " in padded for member in group):
            extra.extend(m for m in group if f" {m} " not in padded)
    return extra


@lru_cache(maxsize=TOKEN_CACHE_SIZE)
def content_tokens(text: str, expand: bool = True) -> tuple[str, ...]:
    """Lexical query tokens without the question words, plus (optionally) the synonyms' tokens.

    With synonyms, the question's own tokens are listed twice: BM25 sums repeated query
    tokens, so the wording the user typed outweighs its other spellings.
    """
    own = index_tokens(text)
    extra = [*own, *index_tokens(" . ".join(expansions(text)))] if expand else []
    asked = _accented_question_words(text)
    tokens = [token for token in [*own, *extra] if not _question_word(token) and token not in asked]
    return tuple(tokens if expand else dict.fromkeys(tokens))


def _accented_question_words(text: str) -> frozenset[str]:
    """The question words typed with accents and their plain spellings, unless another
    word of the question has the same plain spelling ("mấy máy chủ" keeps "may")."""
    words, folded = index_words(text)
    asked = {(w, f) for w, f in zip(words, folded, strict=True) if w in ACCENTED_QUESTION_WORDS}
    if not asked:
        return frozenset()
    kept = {f for w, f in zip(words, folded, strict=True) if w not in ACCENTED_QUESTION_WORDS}
    return frozenset(w for w, _ in asked) | {f for _, f in asked if f not in kept}


@lru_cache(maxsize=TOKEN_CACHE_SIZE)
def _question_word(token: str) -> bool:
    return all(fold(p) in QUESTION_STOPWORDS for p in token.split("_"))


def _capitalized(word: str) -> bool:
    return word[:1].isupper()


def _abbreviation(word: str) -> bool:
    return sum(ch.isupper() for ch in word) >= 2


# A body named by its head word and the capitalized word after it ("Sở Ngoại vụ" -> "Sở
# Ngoại", "Bộ Ngoại giao"): such names continue in lower case, so capital runs miss them.
# Abbreviations ("Bộ TT&TT") are left to the gazetteer.
_UNIT_NAME = re.compile(
    r"\b(?:Sở|Bộ|Ban|Cục|Tổng cục|Ủy ban|Công an|Trung tâm|Văn phòng|Thanh tra|Viện"
    r"|So|Bo|Cuc|Tong cuc|Uy ban|Cong an|Trung tam|Van phong|Vien)"
    r"\s+[A-ZĐÀ-Ỹ][a-zà-ỹđ]+\b(?![&/-])"
)


# Where a unit's name ends in a question: the words that say what is asked of it.
_AFTER_UNIT_NAME = frozenset(
    [
        "duoc",
        "phai",
        "giao",
        "trong",
        "chu",
        "tri",
        "la",
        "co",
        "ve",
        "da",
        "dang",
        "can",
        "se",
        "thuc",
        "hien",
        "lam",
        "cho",
        "voi",
        "thi",
        "o",
        "tai",
        "nhiem",
        "vu",
        "bao",
        "nhieu",
        "nao",
        "gi",
        "ai",
        "khi",
        "han",
        "ket",
        "qua",
        "phoi",
        "hop",
        "cua",
        "the",
        "vai",
        "tro",
        "nhu",
        "ra",
        "sao",
    ]
)
_UNIT_HEAD = re.compile(
    r"\b(?:Sở|Ban|Cục|Tổng cục|Trung tâm|Viện|Văn phòng|Thanh tra|So|Cuc|Trung tam|Vien)\s+"
    r"(?=[A-ZĐÀ-Ỹ])"
)
MAX_UNIT_WORDS = 8
# The head and the first two words of a name are enough to tell whether the documents know
# the unit; the words after may be how the user goes on ("Ban Cơ yếu cấp được…").
UNIT_KEY_WORDS = 2


def unit_mentions(normalized_question: str) -> tuple[str, ...]:
    """Units a question names by a head word and a capitalized name ("Sở Quy hoạch - Kiến
    trúc" -> "Sở Quy hoạch"), read up to what is asked of the unit, cut to its first words."""
    found = []
    for head in _UNIT_HEAD.finditer(normalized_question):
        words = []
        for word in re.findall(r"[^\W\d_]+|-", normalized_question[head.end() :])[:MAX_UNIT_WORDS]:
            if fold(word) in _AFTER_UNIT_NAME and words:
                break
            words.append(word)
        words = [w for w in words if w != "-"]
        # Abbreviations ("Sở GD&ĐT") have many spellings; the gazetteer reads those.
        if len(words) < 2 or any(_abbreviation(w) for w in words[:2]):
            continue
        found.append(f"{head.group(0).strip()} {' '.join(words[:UNIT_KEY_WORDS])}")
    return tuple(found)


def named_entities(normalized_question: str) -> tuple[str, ...]:
    """Places and proper names the question is about ("Quận 7", "tỉnh Nghệ An", "Bình Dương").

    Abbreviations and document numbers are left out: they have many spellings and are
    matched elsewhere. A capital at the very start of the question is only sentence case.
    """
    found = [m.group(0) for m in _ADMIN_PLACE.finditer(normalized_question)]
    found += [m.group(0) for m in _UNIT_NAME.finditer(normalized_question)]
    run: list[str] = []
    tokens = _WORD_RUN.findall(normalized_question)
    for position, token in enumerate([*tokens, "."]):
        if token.isalpha() and _capitalized(token) and position > 0:
            run.append(token)
            continue
        if len(run) >= 2 and not any(_abbreviation(w) for w in run):
            found.append(" ".join(run))
        run = []
    return tuple(dict.fromkeys(found))


_FOCUS_BEFORE = re.compile(r"\b([a-z0-9]+)\s+(?:nao|gi|dau)\b")
_FOCUS_AFTER = re.compile(r"\b(?:bao nhieu|may)\s+([a-z0-9]+)\b")
_NOT_FOCUS = frozenset(
    [
        "la",
        "duoc",
        "vao",
        "ve",
        "cua",
        "cho",
        "voi",
        "tu",
        "tai",
        "o",
        "nhung",
        "cac",
        "cai",
        "gom",
        "co",
        "lam",
        "thuoc",
    ]
)


def focus_words(folded_question: str) -> tuple[str, ...]:
    """The word the question asks about: "lấy từ nguồn nào" -> nguon, "bao nhiêu hồ sơ" -> ho."""
    words = [m.group(1) for m in _FOCUS_BEFORE.finditer(folded_question)]
    words += [m.group(1) for m in _FOCUS_AFTER.finditer(folded_question)]
    return tuple(dict.fromkeys(w for w in words if w not in _NOT_FOCUS))


def analyse(
    question: str,
    units: tuple[str, ...] = (),
    aliases: dict[str, list[str]] | None = None,
    home_sources: frozenset[str] = frozenset(),
) -> QueryAnalysis:
    normalized = normalize(question)
    folded = fold(normalized)
    sources, spans = find_sources(folded, aliases or {})
    # In a document about the home city its name only matches the letterhead and signature
    # lines; elsewhere (a national table listing provinces) it is a real constraint.
    if sources and all(source in home_sources for source in sources):
        spans = [*spans, *home_place_spans(folded)]
    appendices = named_appendices(folded, spans)
    spans = [*spans, *(span for _, span in appendices)]
    # Once a document is chosen, its name ("Theo Kế hoạch 2024") would only add noise to search.
    searchable = without_spans(normalized, spans) if len(folded) == len(normalized) else normalized
    core = content_tokens(searchable, expand=False)
    return QueryAnalysis(
        question=question,
        normalized=normalized,
        folded=folded,
        intents=detect_intents(fold(searchable)),
        units=units,
        doc_numbers=find_doc_numbers(normalized),
        periods=find_periods(normalized),
        sources=sources,
        tokens=content_tokens(searchable),
        core_tokens=core,
        focus=focus_words(folded),
        searchable=searchable,
        appendix=appendices[0][0] if appendices else None,
    )
