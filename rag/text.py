"""Vietnamese text handling shared by ingest and queries: one normalization, one folding, one tokenizer.

The corpus mixes NFC and NFD, old and new tone placement (``hoà``/``hòa``) and export
artifacts from DOCX/PDF conversion; both the index and the questions go through
:func:`normalize` so that the same words compare equal.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_ARTIFACTS = [
    re.compile(r"\[footnoteRef:\d+\]"),
    re.compile(r"\[bookmark:[^\]]*\]"),
    re.compile(r"^\s*\]\s*$"),
    re.compile(r"\*\*"),
]
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")
# Answers fold and tokenize the same chunk texts and sentences again and again (thousands of
# calls per answer over a few hundred distinct strings), so the pure functions below are
# memoized. Bounded: an index fifty times larger must not grow memory without limit.
TEXT_CACHE_SIZE = 1 << 15
TOKEN_CACHE_SIZE = 1 << 13
# The old convention puts the tone on the last vowel of an open "oa/oe/uy" syllable.
_OLD_TONE_NUCLEI = ("oa", "oe", "uy")


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _move_tone(word: str) -> str:
    # Memoized per word: a few thousand distinct syllables make up every text normalized.
    decomposed = unicodedata.normalize("NFD", word)
    tones = [ch for ch in decomposed if ch in TONE_MARKS]
    if len(tones) != 1:
        return word
    base = "".join(ch for ch in decomposed if ch not in TONE_MARKS)
    plain = unicodedata.normalize("NFC", base)
    low = plain.lower()
    if not low.endswith(_OLD_TONE_NUCLEI) or low.startswith("qu") and low.endswith("uy"):
        return word
    # Index of the vowel that should carry the tone: the second-to-last letter.
    target = len(plain) - 2
    letters = list(plain)
    carried = unicodedata.normalize("NFC", letters[target] + tones[0])
    if len(carried) != 1:
        return word
    letters[target] = carried
    return "".join(letters)


def fix_tone_placement(text: str) -> str:
    """``hoà``→``hòa``, ``uỷ``→``ủy``, ``thuỷ``→``thủy``; ``quý`` and ``hoàn`` stay as they are."""
    return _WORD.sub(_moved_tone, text)


def _moved_tone(match: re.Match[str]) -> str:
    return _move_tone(match.group(0))


def strip_artifacts(text: str) -> str:
    for pattern in _ARTIFACTS:
        text = pattern.sub("", text)
    return text


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def normalize(text: str) -> str:
    """NFC, one tone convention, no export artifacts, single spaces."""
    text = unicodedata.normalize("NFC", text)
    text = strip_artifacts(text)
    text = fix_tone_placement(text)
    text = _SPACES.sub(" ", text)
    return text.strip()


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def fold(text: str) -> str:
    """Accent-insensitive key: lower case, no diacritics, ``đ``→``d``, single spaces."""
    stripped = unicodedata.normalize("NFD", text.lower()).translate(_FOLD_TABLE)
    return _SPACES.sub(" ", stripped).strip()


class _FoldTable(dict):
    """``str.translate`` table: combining marks (category Mn) deleted, ``đ``→``d``, all other
    characters kept; filled in as characters are first seen."""

    def __missing__(self, code: int) -> int | None:
        value = None if unicodedata.category(chr(code)) == "Mn" else code
        self[code] = value
        return value


_FOLD_TABLE = _FoldTable({ord("đ"): ord("d")})


def has_diacritics(text: str) -> bool:
    return fold(text) != _SPACES.sub(" ", text.lower()).strip()


def syllables(text: str) -> list[str]:
    """Lower-case syllables (words between non-letters) of normalized text."""
    return _WORD.findall(normalize(text).lower())


def index_tokens(text: str) -> list[str]:
    """Lexical tokens (a fresh list: callers may extend it)."""
    return list(_index_tokens(text))


@lru_cache(maxsize=TOKEN_CACHE_SIZE)
def token_set(text: str) -> frozenset[str]:
    """The distinct lexical tokens of a text, for membership tests against a question."""
    return frozenset(_index_tokens(text))


@lru_cache(maxsize=TOKEN_CACHE_SIZE)
def _index_tokens(text: str) -> tuple[str, ...]:
    """Lexical tokens: folded syllables and bigrams, plus accented ones where they differ.

    Folded tokens let questions typed without diacritics match; accented tokens reward
    an exact match when the question has them (``tổng_cộng`` is not ``Tổng_Công`` ty, though
    both fold to ``tong_cong``); bigrams keep compounds (``so_noi``/``noi_vu``).
    """
    words, folded = index_words(text)
    tokens = list(folded)
    tokens.extend(w for w, f in zip(words, folded, strict=True) if w != f)
    tokens.extend(f"{a}_{b}" for a, b in zip(folded, folded[1:], strict=False))
    tokens.extend(
        f"{a}_{b}"
        for a, b, fa, fb in zip(words, words[1:], folded, folded[1:], strict=False)
        if (a, b) != (fa, fb)
    )
    return tuple(tokens)


def index_words(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words lexical tokens are made of, as typed and folded (two equally long tuples)."""
    # "06 tháng" and "6 tháng" are the same words; leading zeros are formatting.
    words = tuple(w.lstrip("0") or "0" if w.isdigit() else w for w in syllables(text))
    return words, tuple(fold(w) for w in words)


def bigram_tokens(left: tuple[str, str], right: tuple[str, str]) -> tuple[str, ...]:
    """The bigram tokens ``_index_tokens`` makes of two adjacent (word, folded word) pairs."""
    (a, fa), (b, fb) = left, right
    folded = f"{fa}_{fb}"
    return (folded,) if (a, b) == (fa, fb) else (folded, f"{a}_{b}")


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def squash(text: str) -> str:
    """Folded text with every non-alphanumeric removed: compares ``276/TB-VPCP`` and ``276 / tb - vpcp``."""
    return re.sub(r"[^0-9a-z]", "", fold(text))


# A table cell wrapped inside a number leaves a space in it: "29.297.561.0 00", "35.38 9".
_SPLIT_NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})*\.)(\d{1,2}) (\d{1,2})(?![\d.,])")


def join_split_numbers(text: str) -> str:
    """Rejoin a dotted number whose last group a line wrap split ("14.425/35.38 9" ->
    "14.425/35.389"): only when the two pieces make exactly one group of three digits."""

    def joined(match: re.Match[str]) -> str:
        head, left, right = match.groups()
        return f"{head}{left}{right}" if len(left) + len(right) == 3 else match.group(0)

    return _SPLIT_NUMBER.sub(joined, text)
