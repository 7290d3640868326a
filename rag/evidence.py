"""Sentence-level evidence: split passages into sentences, score them against the question,
and check that a candidate answers the kind of question asked (a number for "bao nhiêu",
a date for "khi nào", an e-mail for "email nào", a person's name for "đồng chí nào")."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

from rag.query import expansions
from rag.text import TOKEN_CACHE_SIZE, bigram_tokens, fold, index_words, token_set

_SENTENCE_SPLIT = re.compile(
    r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ(“\"-])|(?<=;)\s+(?=[A-ZĐÀ-Ỹ(“\"0-9-])|\s+(?=-\s)|\s+(?=\(\d+\)\s)"
)
_NUMBER = re.compile(r"\d")
_DATE = re.compile(
    r"\d{1,2}/\d{1,2}/\d{4}|\d{1,2}/\d{4}|tháng\s+\d{1,2}|quý\s+[IVX\d]+|ngày\s+\d{1,2}|năm\s+\d{4}"
    r"|thường xuyên|hằng tháng|hàng tháng",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_ADDRESS = re.compile(
    r"\bsố\s+\d+\s+[A-ZĐ]|\bđường\b|\bphường\b|\bquận\b|\bHà Nội\b", re.IGNORECASE
)
_SURNAMES = (
    "Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Phan|Vũ|Võ|Đặng|Bùi|Đỗ|Hồ|Ngô|Dương|Lý|Đinh|Trịnh|Lâm|"
    "Mai|Tô|Trương|Đoàn|Lương|Cao|Châu|Hà|Tạ|Lưu|Thái|Triệu|Quách|Kiều"
)
# "Hồ Chí Minh" is the city far more often than a person here.
_PERSON = re.compile(rf"\b(?:{_SURNAMES})\s+(?!Chí Minh)[A-ZĐ][\wÀ-ỹ]+(?:\s+[A-ZĐ][\wÀ-ỹ]+)?")

_PHONE = re.compile(r"(?<!\d)(?:\+?84|0)\d{2,3}[.\s-]?\d{3}[.\s-]?\d{3,4}(?!\d)")

# What an answer sentence must contain for each question kind.
# A document's number as the text cites it: "1470/KH-BCĐ", "3373/QĐ-BYT", "Thông báo kết
# luận 16", "Kế hoạch số 908".
_DOCUMENT_NUMBER = re.compile(
    r"\d+(?:/\d{4})?/[A-ZĐ][\w-]*"
    r"|(?:thông báo|kết luận|quyết định|chỉ thị|nghị quyết|nghị định|kế hoạch|công văn|văn bản"
    r"|thông tư)\s+(?:số\s+)?\d+",
    re.IGNORECASE,
)

ANSWER_SHAPES: dict[str, re.Pattern[str]] = {
    "document_number": _DOCUMENT_NUMBER,
    "figure": _NUMBER,
    "count": _NUMBER,
    "email": _EMAIL,
    "person": _PERSON,
    "address": _ADDRESS,
    "phone": _PHONE,
}


def split_sentences(text: str) -> list[str]:
    return [s.strip(" |") for s in _SENTENCE_SPLIT.split(text) if len(s.strip(" |")) > 3]


_NOT_A_QUANTITY = re.compile(
    r"^\s*\d{1,2}(?:\.\d{1,2})+\.?\s"  # an outline number opening a sentence ("4.11 Công an …")
    r"|\d{1,2}/\d{1,2}/\d{4}|\d{1,2}/\d{4}|\d+(?:/\d{4})?[/-][A-ZĐ][\w/-]*"  # dates, document numbers
    r"|(?:năm|tháng|ngày|quý|mức|số)\s+\d+|\b(?:19|20)\d\d\b"  # periods, levels, years
    r"|(?:đề án|nghị định|nghị quyết|chỉ thị|thông báo|quyết định|công văn|kế hoạch|thông tư)"
    r"\s+(?:số\s+)?\d+",  # numbers that name a document ("Đề án 06")
    re.IGNORECASE,
)
_QUANTITY = re.compile(r"\d+(?:[.,]\d+)*")


@lru_cache(maxsize=TOKEN_CACHE_SIZE)
def quantities(text: str) -> frozenset[str]:
    """Numbers that can answer "bao nhiêu": not dates, years, levels or document numbers."""
    return frozenset(_QUANTITY.findall(_NOT_A_QUANTITY.sub(" ", text)))


def fits_shape(sentence: str, intents: Iterable[str], question: str = "") -> bool:
    """False when the question asks for a kind of value the sentence does not hold.

    A figure must be a number the question did not already give ("mức 2", "năm 2023").
    """
    intents = list(intents)
    for intent in intents:
        pattern = ANSWER_SHAPES.get(intent)
        if pattern is not None and not pattern.search(sentence):
            return False
    asks_number = bool({"figure", "count"} & set(intents)) and "document_number" not in intents
    return not asks_number or bool(quantities(sentence) - quantities(question))


# "Kế hoạch số 1470/KH-BCĐ ngày 13 tháng 4 năm 2023": the date a document was issued,
# which answers "ban hành ngày nào" but is no deadline.
_ISSUE_DATE = re.compile(
    r"\d+/[A-ZĐ][\w/-]*\s*,?\s*(?:ngày\s+)?"
    r"(?:\d{1,2}/\d{1,2}/\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})",
    re.IGNORECASE,
)


def has_date(text: str) -> bool:
    return bool(_DATE.search(text))


_CALENDAR_DATE = re.compile(
    r"\d{1,2}/\d{1,2}/\d{4}|\d{1,2}/\d{4}|tháng\s+\d{1,2}|quý\s+[IVX\d]+|ngày\s+\d{1,2}"
    r"|năm\s+\d{4}",
    re.IGNORECASE,
)


def has_deadline_date(text: str) -> bool:
    """A date other than the issue date of a cited document."""
    return bool(_DATE.search(_ISSUE_DATE.sub(" ", text)))


def has_calendar_deadline(text: str) -> bool:
    """A deadline on the calendar ("trước ngày 17/6/2024"), not "thường xuyên"."""
    return bool(_CALENDAR_DATE.search(_ISSUE_DATE.sub(" ", text)))


class TermWeights:
    """Inverse document frequency of lexical tokens over the indexed chunks."""

    def __init__(self, texts: Iterable[str]) -> None:
        df: Counter[str] = Counter()
        total = 0
        for text in texts:
            total += 1
            df.update(token_set(text))
        self.total = max(total, 1)
        self.df = df
        self._idf: dict[str, float] = {}

    def idf(self, token: str) -> float:
        # Memoized: scoring the candidate sentences of one answer asks for ~500 idfs.
        # Only indexed tokens are kept: the vocabulary bounds the memo, questions do not.
        value = self._idf.get(token)
        if value is None:
            value = math.log(1 + self.total / (1 + self.df.get(token, 0)))
            if token in self.df:
                self._idf[token] = value
        return value

    def known(self, token: str) -> bool:
        return token in self.df


def overlap_score(query_tokens: Iterable[str], text: str, weights: TermWeights) -> float:
    return _overlap(query_tokens, token_set(text), weights)


def _overlap(query_tokens: Iterable[str], present: AbstractSet[str], weights: TermWeights) -> float:
    return sum(
        weights.idf(t) * (1.5 if "_" in t else 1.0) for t in set(query_tokens) if t in present
    )


def coverage(query_tokens: Iterable[str], text: str, weights: TermWeights) -> float:
    """IDF-weighted share of the question's unigrams that the text contains.

    The text counts as containing the other spellings of what it says ("TTHC" when it
    says "thủ tục hành chính"), so a question in abbreviations is not penalised.
    """
    unigrams = {t for t in query_tokens if "_" not in t and t == fold(t)}
    if not unigrams:
        return 0.0
    present = _tokens_with_expansions(text)
    total = sum(weights.idf(t) for t in unigrams)
    found = sum(weights.idf(t) for t in unigrams if t in present)
    return found / total if total else 0.0


@lru_cache(maxsize=TOKEN_CACHE_SIZE)
def _tokens_with_expansions(text: str) -> frozenset[str]:
    # Memoized: composition asks about the same passages and sentences for every candidate.
    return token_set(text) | token_set(" . ".join(expansions(text)))


@dataclass(frozen=True)
class ClauseTokens:
    """A clause's lexical tokens and its first and last (word, folded word), so the tokens
    of a run of clauses joined by spaces are known without tokenizing the joined text."""

    tokens: frozenset[str]
    first: tuple[str, str] | None
    last: tuple[str, str] | None


@lru_cache(maxsize=TOKEN_CACHE_SIZE)
def _clause_tokens(clause: str) -> ClauseTokens:
    words, folded = index_words(clause)
    if not words:
        return ClauseTokens(token_set(clause), None, None)
    return ClauseTokens(token_set(clause), (words[0], folded[0]), (words[-1], folded[-1]))


def _joined(
    present: frozenset[str], last: tuple[str, str] | None, clause: ClauseTokens
) -> tuple[frozenset[str], tuple[str, str] | None]:
    """Tokens of the text so far plus a space and the clause: the clause's own tokens and
    the bigrams across the join (words never merge across a space, and normalizing acts
    within words, so this equals ``token_set`` of the joined text; tests check it)."""
    joined = present | clause.tokens
    if last is not None and clause.first is not None:
        joined |= frozenset(bigram_tokens(last, clause.first))
    return joined, clause.last or last


_CLAUSE_SPLIT = re.compile(r"(?<=[,;:)])\s+|\s+(?=\()")


def best_window(
    sentence: str,
    query_tokens: Iterable[str],
    weights: TermWeights,
    max_chars: int,
    holds_value: Callable[[str], bool] | None = None,
) -> str:
    """The sentence itself when short; else the run of clauses that best matches the question.

    With ``holds_value``, a run that holds the asked kind of value (a date for a deadline)
    beats any run that does not: a long task sentence often states its deadline only in
    its last clause, beyond the words that match the question.
    """
    if len(sentence) <= max_chars:
        return sentence
    clauses = [c for c in _CLAUSE_SPLIT.split(sentence) if c]
    tokens = list(query_tokens)
    pieces = [_clause_tokens(c) for c in clauses]
    # An export artifact is the one thing normalizing removes across spaces ("[bookmark: …]"):
    # then each window's joined text is tokenized as it is.
    tokenize_joined = "[bookmark:" in sentence
    best = (-1.0, 0, 1)
    best_holding: tuple[float, int, int] | None = None
    for start in range(len(clauses)):
        length = 0
        present: frozenset[str] = frozenset()
        last: tuple[str, str] | None = None
        for end in range(start, len(clauses)):
            length += len(clauses[end]) + 1
            if length > max_chars and end > start:
                break
            if tokenize_joined:
                present = token_set(" ".join(clauses[start : end + 1]))
            else:
                present, last = _joined(present, last, pieces[end])
            score = _overlap(tokens, present, weights)
            if score > best[0]:
                best = (score, start, end + 1)
            if (
                holds_value is not None
                and (best_holding is None or score > best_holding[0])
                and holds_value(" ".join(clauses[start : end + 1]))
            ):
                best_holding = (score, start, end + 1)
    _, start, end = best_holding or best
    # A parenthesis right after the window qualifies it ("… 5.383 hồ sơ (chiếm tỷ lệ 80,1%)").
    while end < len(clauses) and clauses[end].startswith("(") and len(clauses[end]) < 120:
        end += 1
    window = " ".join(clauses[start:end])
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(clauses) else ""
    return f"{prefix}{window}{suffix}"
