"""How officials actually type a question: without diacritics, with abbreviations, with a typo.

Pure functions over a question string; the random choices come from the ``random.Random``
passed in, so a seeded generator gives the same questions every run.
"""

from __future__ import annotations

import random
import re
import unicodedata

_LETTERS = re.compile(r"[^\W\d_]{4,}", re.UNICODE)


def strip_diacritics(text: str) -> str:
    """``Sở Thông tin`` → ``So Thong tin``: case kept, ``đ``/``Đ`` → ``d``/``D`` (as typed on a
    keyboard without a Vietnamese input method)."""
    decomposed = unicodedata.normalize("NFD", text)
    plain = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", plain).replace("đ", "d").replace("Đ", "D")


def abbreviate(text: str, table: list[list[str]], rng: random.Random) -> tuple[str, bool]:
    """Replace long forms by one of their usual short forms; longest long forms first so
    ``cơ sở dữ liệu quốc gia`` becomes ``CSDLQG``, not ``CSDL quốc gia``."""
    changed = False
    for long_form, *shorts in sorted(table, key=lambda row: -len(row[0])):
        pattern = re.compile(rf"(?<!\w){re.escape(long_form)}(?!\w)", re.IGNORECASE)
        if pattern.search(text):
            text = pattern.sub(lambda _m, s=shorts: rng.choice(s), text)
            changed = True
    return text, changed


def add_typo(text: str, rng: random.Random, protected: frozenset[str] = frozenset()) -> str:
    """One small slip in one word of four letters or more: two letters swapped, a letter
    dropped or a letter doubled. Words in ``protected`` (abbreviations, numbers) are left
    alone because a slip there changes which entity is named, not how it is typed."""
    words = [m for m in _LETTERS.finditer(text) if m.group(0) not in protected]
    if not words:
        return text
    match = rng.choice(words)
    word = match.group(0)
    position = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("swap", "drop", "double"))
    if kind == "swap":
        typo = word[:position] + word[position + 1] + word[position] + word[position + 2 :]
    elif kind == "drop":
        typo = word[:position] + word[position + 1 :]
    else:
        typo = word[:position] + word[position] + word[position:]
    return text[: match.start()] + typo + text[match.end() :]


def lower_first(text: str) -> str:
    """Chat questions often start in lower case; abbreviations (two capitals) keep theirs."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]
