"""The letterhead of an administrative document: issuer, number ("Số: 4709/CV-TCTTKĐA") and
place-and-date line ("Hà Nội, ngày 10 tháng 6 năm 2024"), read from its first lines.

Drafts leave the number and the day blank ("Số:      /KH-UBND", "ngày    tháng 3 năm 2024"):
the letterhead says so instead of guessing. Pure functions over page lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.text import fold

HEAD_LINES = 25
_NUMBER = re.compile(r"^\s*Số\s*:\s*(\S.*?)\s*$")
_DATE = re.compile(r"ngày\s+(\d{1,2})?\s*tháng\s+(\d{1,2})?\s*năm\s+(\d{4})", re.IGNORECASE)
_NATIONAL_MOTTO = "cong hoa xa hoi chu nghia viet nam"


@dataclass(frozen=True)
class Field:
    text: str  # as printed, blanks collapsed
    line: int  # 1-based
    complete: bool  # False when the draft leaves a blank to fill in


@dataclass(frozen=True)
class Letterhead:
    issuer: Field | None
    number: Field | None
    date: Field | None


def _clean(line: str) -> str:
    return re.sub(r"\s+", " ", line.replace("*", "")).strip()


def read_letterhead(lines: Sequence[str]) -> Letterhead:
    head = list(lines[:HEAD_LINES])
    number = date = issuer = None
    issuer_lines: list[tuple[int, str]] = []
    motto_seen = False
    for position, line in enumerate(head, start=1):
        text = _clean(line)
        if not text:
            continue
        if _NATIONAL_MOTTO in fold(text):
            motto_seen = True
        elif not motto_seen and not _NUMBER.match(text) and len(issuer_lines) < 4:
            issuer_lines.append((position, text))
        found = _NUMBER.match(text)
        if found and number is None:
            value = found.group(1)
            number = Field(value, position, bool(re.match(r"\d", value)))
        dated = _DATE.search(text)
        if dated and date is None and (number is not None or motto_seen):
            date = Field(text, position, dated.group(1) is not None)
    # An issuer stands above the national motto; a document without the motto has none here.
    if motto_seen and issuer_lines:
        issuer = Field(" ".join(t for _, t in issuer_lines), issuer_lines[0][0], True)
    return Letterhead(issuer=issuer, number=number, date=date)
