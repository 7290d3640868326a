"""Question analysis: normalize, detect intents and entities (units, document numbers,
periods, which document the user means). Pure functions; the same normalization as ingest.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from rag.text import fold, index_tokens, normalize, squash

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
    ]
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
_WORD_RUN = re.compile(r"[^\W\d_]+|[^\w\s]")


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

    @property
    def intent(self) -> str:
        return self.intents[0] if self.intents else "general"

    def has(self, intent: str) -> bool:
        return intent in self.intents


@lru_cache(maxsize=1)
def intent_cues() -> dict[str, list[str]]:
    data = json.loads(resources.files("rag").joinpath("data/intents.json").read_text("utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def detect_intents(folded_question: str) -> tuple[str, ...]:
    padded = f" {re.sub(r'[^0-9a-z]+', ' ', folded_question)} "
    found = []
    for intent, cues in intent_cues().items():
        if any(f" {cue.replace(',', '')} " in padded for cue in cues):
            found.append(intent)
    return tuple(found) or ("general",)


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


def find_sources(folded_question: str, aliases: dict[str, list[str]]) -> tuple[str, ...]:
    """Which documents the question names, by the manifest's curated aliases (longest first)."""
    padded = f" {re.sub(r'[^0-9a-z/]+', ' ', folded_question)} "
    hits: list[tuple[int, str]] = []
    for source, names in aliases.items():
        for name in names:
            key = re.sub(r"[^0-9a-z/]+", " ", fold(name)).strip()
            if key and f" {key} " in padded:
                hits.append((len(key), source))
    hits.sort(reverse=True)
    ordered: list[str] = []
    for _, source in hits:
        if source not in ordered:
            ordered.append(source)
    return tuple(ordered)


def content_tokens(text: str) -> tuple[str, ...]:
    """Lexical query tokens without the question words."""
    tokens = []
    for token in index_tokens(text):
        parts = token.split("_")
        if all(fold(p) in QUESTION_STOPWORDS for p in parts):
            continue
        tokens.append(token)
    return tuple(tokens)


def _capitalized(word: str) -> bool:
    return word[:1].isupper()


def _abbreviation(word: str) -> bool:
    return sum(ch.isupper() for ch in word) >= 2


def named_entities(normalized_question: str) -> tuple[str, ...]:
    """Places and proper names the question is about ("Quận 7", "tỉnh Nghệ An", "Bình Dương").

    Abbreviations and document numbers are left out: they have many spellings and are
    matched elsewhere. A capital at the very start of the question is only sentence case.
    """
    found = [m.group(0) for m in _ADMIN_PLACE.finditer(normalized_question)]
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


def analyse(
    question: str,
    units: tuple[str, ...] = (),
    aliases: dict[str, list[str]] | None = None,
) -> QueryAnalysis:
    normalized = normalize(question)
    folded = fold(normalized)
    return QueryAnalysis(
        question=question,
        normalized=normalized,
        folded=folded,
        intents=detect_intents(folded),
        units=units,
        doc_numbers=find_doc_numbers(normalized),
        periods=find_periods(normalized),
        sources=find_sources(folded, aliases or {}),
        tokens=content_tokens(normalized),
    )
