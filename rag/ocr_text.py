"""OCR'd text repaired with the corpus's known OCR confusions (``data/ocr_confusions.json``).

Pure functions, applied only to text that came out of OCR: on typed text the same rules
would damage real words. What the rules cannot know (a wrong tone, ``đ`` read as ``d``)
is left to lexical search, which compares folded syllables (:func:`rag.text.fold`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class OcrConfusions:
    doubled_bases: frozenset[str]
    rules: tuple[tuple[re.Pattern[str], str], ...]
    words: dict[str, str]


@lru_cache(maxsize=1)
def ocr_confusions() -> OcrConfusions:
    text = resources.files("rag").joinpath("data/ocr_confusions.json").read_text("utf-8")
    data = json.loads(text)
    return OcrConfusions(
        doubled_bases=frozenset(data["doubled_vowels"]["bases"]),
        rules=tuple((re.compile(r["pattern"]), r["replace"]) for r in data["rules"]),
        words={k: v for k, v in data["words"].items() if not k.startswith("_")},
    )


def _toneless(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))


def _has_tone(char: str) -> bool:
    return any(c in TONE_MARKS for c in unicodedata.normalize("NFD", char))


def collapse_doubled_vowels(word: str, bases: frozenset[str]) -> str:
    """``ngaày``→``ngày``, ``Đaã``→``Đã``: a plain vowel beside its own toned copy goes."""
    chars = list(word)
    kept: list[str] = []
    index = 0
    while index < len(chars):
        char = chars[index]
        following = chars[index + 1] if index + 1 < len(chars) else ""
        pair = (char, following)
        if following and _toneless(char).lower() == _toneless(following).lower():
            base = _toneless(char).lower()
            toned = [c for c in pair if _has_tone(c)]
            if base in bases and len(toned) == 1:
                kept.append(toned[0])
                index += 2
                continue
        kept.append(char)
        index += 1
    return "".join(kept)


def correct_ocr_text(text: str, confusions: OcrConfusions | None = None) -> str:
    """One OCR'd line with the known confusions repaired (NFC in, NFC out)."""
    confusions = confusions or ocr_confusions()
    text = unicodedata.normalize("NFC", text)
    text = _WORD.sub(
        lambda m: confusions.words.get(
            m.group(0), collapse_doubled_vowels(m.group(0), confusions.doubled_bases)
        ),
        text,
    )
    for pattern, replacement in confusions.rules:
        text = pattern.sub(replacement, text)
    return text
