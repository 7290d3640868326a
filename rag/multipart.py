"""Questions that ask two things at once ("bao nhiêu thẻ … và bao nhiêu cơ sở …?"): split
into parts that can each be answered, and merge the part answers with one citation list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.schemas import Citation
from rag.text import fold

# Question words (folded) that open a part of their own.
_ASKING = r"(?:bao nhieu|may|nao|ai|gi|khi nao|bao gio|o dau|ra sao|the nao|chua)"
# A part boundary: "và" followed within a clause by a question word, or "," / ";" / "?"
# followed closely by one.
_BOUNDARY = re.compile(
    r"\s*(?:,?\s*\bva)\s+(?=(?:\S+\s+){0,8}" + _ASKING + r"\b)"
    r"|\s*[,;?]\s+(?=(?:\S+\s+){0,3}" + _ASKING + r"\b)"
)
# Question words, and the generic nouns a part needs a subject for ("theo văn bản nào",
# "chiếm tỷ lệ bao nhiêu", "cụ thể thế nào"): a part made of these stays with the one before.
_QUESTION_WORDS = frozenset(
    [
        "bao",
        "nhieu",
        "may",
        "nao",
        "ai",
        "gi",
        "khi",
        "bao",
        "gio",
        "o",
        "dau",
        "ra",
        "sao",
        "the",
        "chua",
        "la",
        "co",
        "duoc",
        "va",
        "thi",
        "theo",
        "van",
        "ban",
        "chiem",
        "ty",
        "le",
        "ket",
        "qua",
        "cu",
        "the",
        "thoi",
        "gian",
        "ngay",
        "don",
        "vi",
        "quan",
        "so",
        "vi",
        "sao",
        "tai",
    ]
)
MIN_OWN_WORDS = 3


def _content_words(folded: str) -> list[str]:
    return [w for w in re.findall(r"[0-9a-z]+", folded) if w not in _QUESTION_WORDS]


def _asks(folded: str) -> bool:
    return re.search(rf"\b{_ASKING}\b", folded) is not None


def split_question(question: str) -> list[str]:
    """Parts of a multi-part question; a single part when it asks one thing.

    Each part must ask something and name something of its own; a short tail such as
    "…, ngày nào?" stays with the part before it (one sentence answers both).
    """
    folded = fold(question)
    if len(folded) != len(question):
        return [question]
    cuts = [m.span() for m in _BOUNDARY.finditer(folded)]
    parts, start = [], 0
    for begin, end in cuts:
        head = question[start:begin]
        if _asks(fold(head)) and len(_content_words(fold(head))) >= MIN_OWN_WORDS:
            next_cut = next((b for b, _ in cuts if b > end), len(question))
            own = fold(question[end:next_cut])
            if _asks(own) and len(_content_words(own)) >= MIN_OWN_WORDS:
                parts.append(head.strip(" ,;"))
                start = end
    parts.append(question[start:].strip(" ,;"))
    return [p for p in parts if p]


def merge_citations(
    first: Sequence[Citation], second: Sequence[Citation], text: str
) -> tuple[list[Citation], str]:
    """Append ``second`` to ``first``, renumbering the markers of ``text`` (which uses
    ``second``'s numbers); a place cited by both keeps its first number."""
    merged = list(first)
    renumber: dict[int, int] = {}
    for citation in second:
        place = (citation.source, citation.page, citation.line_start, citation.line_end)
        same = next(
            (c for c in merged if (c.source, c.page, c.line_start, c.line_end) == place), None
        )
        if same is None:
            same = citation.model_copy(update={"id": len(merged) + 1})
            merged.append(same)
        renumber[citation.id] = same.id
    renumbered = re.sub(
        r"\[(\d+)\]", lambda m: f"[{renumber.get(int(m.group(1)), int(m.group(1)))}]", text
    )
    return merged, renumbered


# Where a question that names several documents turns from one to the next.
_CLAUSE_BREAK = re.compile(r"\s*[,;:]\s*|\s+(?:va|con)\s+")


def document_clauses(question: str, mentions: Sequence[tuple[int, int, str]]) -> list[str]:
    """One clause per document mention (positions from ``document_mentions``): the question
    cut at the last break (",", ";", "và", "còn") between one mention and the next."""
    folded = fold(question)
    cuts = [0]
    for (_, end, _), (start, _, _) in zip(mentions, mentions[1:], strict=False):
        breaks = [m.start() for m in _CLAUSE_BREAK.finditer(folded, end, start)]
        cuts.append(breaks[-1] if breaks else start)
    cuts.append(len(question))
    return [question[a:b].strip(" ,;:") for a, b in zip(cuts, cuts[1:], strict=False)]


def without_asking(text: str) -> str:
    """The clause's subject: its words without the question words ("khi nào", "bao nhiêu")."""
    words = text.split()
    folded = [fold(w).strip(",;:?.") for w in words]
    keep = []
    position = 0
    while position < len(words):
        pair = " ".join(folded[position : position + 2])
        if re.fullmatch(_ASKING, pair):
            position += 2
            continue
        if not re.fullmatch(_ASKING, folded[position]):
            keep.append(words[position])
        position += 1
    return " ".join(keep).strip(" ,;:?")
