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


_INLINE_MARKER = re.compile(r"\((\d{1,2})\)\s*")


def inline_enumeration(text: str, after: int = 0) -> Enumeration | None:
    """Items numbered inside one paragraph ("…, gồm: (1) Nội dung, (2) Dịch vụ công; (3) …"):
    the first run numbered 1, 2, 3… at or after character ``after``. The heading is the
    clause before "(1)"; each item runs to the next marker, without its trailing ";,"."""
    markers = [m for m in _INLINE_MARKER.finditer(text) if m.start() >= after]
    run: list[re.Match[str]] = []
    for marker in markers:
        expected = len(run) + 1
        if int(marker.group(1)) == expected:
            run.append(marker)
        elif run and len(run) >= MIN_ITEMS:
            break
        elif int(marker.group(1)) == 1:
            run = [marker]
    if len(run) < MIN_ITEMS:
        return None
    items = []
    for position, marker in enumerate(run):
        end = (
            run[position + 1].start() if position + 1 < len(run) else _item_end(text, marker.end())
        )
        items.append((0, text[marker.end() : end].strip(" ;,.")))
    before = re.split(r"(?<=[.;])\s+", text[: run[0].start()].strip())[-1]
    # The clause right before the items says what they are ("… thành lập 06 nhóm công tác");
    # its "gồm:" is said again by the answer.
    heading = _INTRODUCER.sub("", before).strip(" ,:")
    if len(heading) > HEADING_CHARS:
        heading = "…" + heading[-HEADING_CHARS:].split(" ", 1)[-1]
    return Enumeration(heading=heading, heading_line=None, items=items)


HEADING_CHARS = 110
_INTRODUCER = re.compile(r",?\s*(?:bao\s+)?gồm\s*:?\s*(?:\w+\s*)?$", re.IGNORECASE)


def _item_end(text: str, start: int) -> int:
    """The last item ends at the sentence's end ("; " before a capital, or ". ")."""
    match = re.search(r"(?:;\s*$|\.\s|;\s+(?=[A-ZĐ]))", text[start:])
    return start + match.start() if match else len(text)
