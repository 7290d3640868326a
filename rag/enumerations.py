"""Enumerations in prose: the items listed under a heading ("3.7 Bộ Công an:" followed by
"- …" lines, "(1) …", "a) …", "1. …"). A question asking "những gì / gồm những nào" is
answered with the whole bounded list, not with the one item that matched best.

Pure functions over a document's lines (1-based line numbers, as cited).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ITEM = re.compile(r"^\s*(?:[-+•–]\s+|\(\d{1,2}\)\s*|[a-zđ]\)\s+|\d{1,2}[.)]\s+(?=[A-ZĐÀ-Ỹa-z]))")
MIN_ITEMS = 2


@dataclass(frozen=True)
class Enumeration:
    heading: str
    heading_line: int | None
    items: list[tuple[int, str]]  # (line number, item text without its marker)


def is_item(line: str) -> bool:
    return bool(_ITEM.match(line))


def item_text(line: str) -> str:
    return _ITEM.sub("", line, count=1).strip()


def enumeration_at(lines: list[str], line_number: int, first: int, last: int) -> Enumeration | None:
    """The run of items that holds ``line_number`` (or starts right after it, when that line
    is the heading), within lines ``first``..``last``; None without at least two items."""

    def item(n: int) -> bool:
        return first <= n <= last and n <= len(lines) and is_item(lines[n - 1])

    def blank(n: int) -> bool:
        return first <= n <= last and n <= len(lines) and not lines[n - 1].strip()

    start = line_number if item(line_number) else line_number + 1
    while blank(start):
        start += 1
    if not item(start):
        return None
    while item(start - 1):
        start -= 1
    end = start
    while item(end + 1):
        end += 1
    if end - start + 1 < MIN_ITEMS:
        return None
    heading_line = start - 1 if first <= start - 1 and lines[start - 2].strip() else None
    heading = lines[heading_line - 1].strip() if heading_line else ""
    items = [(n, item_text(lines[n - 1])) for n in range(start, end + 1)]
    return Enumeration(heading=heading, heading_line=heading_line, items=items)
