"""Appendices inside a document ("PHỤ LỤC 05" of a letter that sends seven report templates).

A question that names an appendix the document set has no file for ("PL 05 cv 4709 liệt kê
gì") is about the lines under that heading: this module finds where each appendix of a
document starts and ends, and which appendix a question names.

Pure functions over page lines and folded questions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rag.text import fold

_ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
}
_NUMBER = r"(\d{1,2}|[ivx]{1,4})"
# A heading line holds the appendix name alone (a sentence "theo Phụ lục số 07 gửi kèm"
# only refers to it).
_HEADING = re.compile(rf"^\s*phu luc\s+(?:so\s+)?{_NUMBER}\s*[:.]?\s*$")
_NAMED = re.compile(rf"(?<![0-9a-z])(?:phu luc|pluc|pl)\s*(?:so\s*)?{_NUMBER}(?![0-9a-z])")


def appendix_number(token: str) -> str:
    """ "05", "5" and "V" name the same appendix."""
    token = token.lower()
    return str(_ROMAN[token]) if token in _ROMAN else str(int(token))


def appendix_spans(lines: Sequence[str]) -> list[tuple[str, int, int]]:
    """(number, first line, last line) of each appendix heading's run of lines, 1-based;
    an appendix runs to the next heading or the end of the page."""
    starts = []
    for position, line in enumerate(lines, start=1):
        match = _HEADING.match(fold(line))
        if match:
            starts.append((appendix_number(match.group(1)), position))
    if not starts:
        return []
    ends = [start - 1 for _, start in starts[1:]] + [len(lines)]
    return [(number, start, end) for (number, start), end in zip(starts, ends, strict=True)]


def named_appendices(
    folded_question: str, taken: Iterable[tuple[int, int]] = ()
) -> list[tuple[str, tuple[int, int]]]:
    """Appendix numbers the question names, with their spans, outside the ``taken`` spans
    (the names of whole documents, such as a file called "Phụ lục 03")."""
    taken = list(taken)
    found = []
    for match in _NAMED.finditer(folded_question):
        start, end = match.span()
        if any(start < e and s < end for s, e in taken):
            continue
        found.append((appendix_number(match.group(1)), (start, end)))
    return found


TITLE_LINES = 4


def appendix_title(lines: Sequence[str], heading: int) -> tuple[str, int]:
    """The title printed under an appendix heading (its capitalised lines) and the number
    of its last line; the heading line itself when no title follows."""
    title: list[str] = []
    last = heading
    for position in range(heading + 1, len(lines) + 1):
        line = lines[position - 1].strip()
        if not line and not title:
            continue  # blank lines between the heading and its title
        if len(title) == TITLE_LINES:
            break
        letters = [ch for ch in line if ch.isalpha()]
        if not letters or sum(ch.isupper() for ch in letters) < 0.7 * len(letters):
            break
        title.append(line)
        last = position
    return " ".join(title), last
