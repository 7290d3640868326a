"""Unruled tables on a PDF page: columns from white space, rows from the number column.

Without ruling lines the table is found by its header: a line naming several column
roles ("TT  Nội dung, nhiệm vụ  Đơn vị chủ trì  Thời hạn"). Below it, the columns are
the vertical rivers of white space that no word of the header or the rows crosses; the
table ends at a line that crosses most rivers (prose spans the page) or after a tall gap.
A row starts where the row-number column holds text; lines in between continue its
cells (wrapped text). A line opening with "I." / "A." across the columns is a group row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.columns import ColumnVocabulary
from ingest.pdf_lines import TextLine, Word
from rag.text import fold

# A header line names at least this many roles.
MIN_HEADER_ROLES = 3
# Most words of a header line are column-role words (an unknown column may add a few).
MIN_HEADER_WORD_SHARE = 0.75
# Header text may wrap inside its columns over a few lines.
MAX_HEADER_LINES = 3
# A river narrower than this share of the text height is a space between words.
MIN_GAP_SHARE = 0.4
# A vertical gap this many line heights tall ends the table.
MAX_LINE_GAP = 2.5

_GROUP_START = re.compile(r"^(?:[IVX]{1,4}|[A-ZĐ])[.)]?$|^(?:[IVX]{1,4}|[A-ZĐ])\.\S")

Rows = list[tuple[tuple[str, ...], float, float]]


def roles_named(text: str, vocabulary: ColumnVocabulary) -> set[str]:
    """Roles whose phrases occur in a line, each word used once (longest phrases first)."""
    words = " ".join(re.findall(r"[a-z0-9]+", fold(text)))
    key = f" {words} "
    found = set()
    for phrase, role in vocabulary.phrases:
        if f" {phrase} " in key:
            found.add(role)
            key = key.replace(f" {phrase} ", " | ", 1)
    return found


def _is_group_line(line: TextLine) -> bool:
    """'I. VỀ CÔNG TÁC ...', 'A Nhiệm vụ chung ...': a letter, then a capitalised title."""
    words = line.words
    return (
        len(words) > 1
        and bool(_GROUP_START.match(words[0].text))
        and (words[0].text.endswith(".") or words[1].text[:1].isupper())
    )


def _gaps(lines: Sequence[TextLine], min_gap: float) -> list[tuple[float, float]]:
    spans = sorted((w.x0, w.x1) for line in lines for w in line.words)
    gaps = []
    end = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - end >= min_gap:
            gaps.append((end, x0))
        end = max(end, x1)
    return gaps


def _closed(before: Sequence[tuple[float, float]], after: Sequence[tuple[float, float]]) -> int:
    """How many rivers a line filled: a row narrows the header's wide gaps, prose closes them."""
    return sum(1 for a, b in before if not any(x < b and y > a for x, y in after))


def _known_share(line: TextLine, vocabulary: ColumnVocabulary) -> float:
    known = {word for phrase, _ in vocabulary.phrases for word in phrase.split()}
    words = re.findall(r"[a-z0-9]+", fold(line.text))
    return sum(word in known for word in words) / len(words) if words else 0.0


def _header_at(lines: Sequence[TextLine], vocabulary: ColumnVocabulary) -> int | None:
    """A line naming several roles in header words only: a wrapped task text may name
    roles too ("... chủ trì, phối hợp ... thời hạn ...") among many other words."""
    for index, line in enumerate(lines):
        if (
            len(roles_named(line.text, vocabulary)) >= MIN_HEADER_ROLES
            and _known_share(line, vocabulary) >= MIN_HEADER_WORD_SHARE
        ):
            return index
    return None


def _header_words_only(line: TextLine, vocabulary: ColumnVocabulary) -> bool:
    return _known_share(line, vocabulary) == 1.0


def _header_band(lines: Sequence[TextLine], start: int, vocabulary: ColumnVocabulary) -> int:
    """End of the header lines: the first line opening a row (a number) or a group."""
    end = start + 1
    while end < len(lines) and end - start < MAX_HEADER_LINES:
        line = lines[end]
        if line.words[0].text[:1].isdigit() or _is_group_line(line):
            break
        if not _header_words_only(line, vocabulary):
            break  # the rest of a row cut by the page break, right under the header
        if line.top - lines[end - 1].bottom > lines[end - 1].height:
            break
        end += 1
    return end


def _contiguous(line: TextLine, min_gap: float) -> bool:
    return all(b.x0 - a.x1 < min_gap for a, b in zip(line.words, line.words[1:], strict=False))


def _body(
    lines: Sequence[TextLine], band: Sequence[TextLine], start: int, min_gap: float
) -> tuple[int, set[int]]:
    """End of the table's lines, and which of them are group rows.

    A group row is one run of words over some rivers ("PHỤ LỤC I", "I. VỀ CÔNG TÁC ..."),
    or a line opening with a group letter; a line closing most rivers is prose.
    """
    groups: set[int] = set()
    table = list(band)
    for index in range(start, len(lines)):
        line = lines[index]
        previous = lines[index - 1] if index > start else band[-1]
        if line.top - previous.bottom > MAX_LINE_GAP * previous.height:
            return index, groups
        if _is_group_line(line):
            groups.add(index)
            continue
        gaps = _gaps(table, min_gap)
        closed = _closed(gaps, _gaps([*table, line], min_gap))
        if len(gaps) >= 2 and closed * 2 > len(gaps):
            return index, groups
        if closed and _contiguous(line, min_gap):
            groups.add(index)
            continue
        table.append(line)
    return len(lines), groups


def _column_of(word: Word, bounds: Sequence[float]) -> int:
    return sum(1 for bound in bounds if word.middle > bound)


def _cells(lines: Sequence[TextLine], bounds: Sequence[float]) -> tuple[str, ...]:
    parts: list[list[str]] = [[] for _ in range(len(bounds) + 1)]
    for line in lines:
        for word in line.words:
            parts[_column_of(word, bounds)].append(word.text)
    return tuple(" ".join(p) for p in parts)


@dataclass(frozen=True)
class UnruledRead:
    """A page's unruled table rows and the column bounds that cut them (carried to the next
    page, whose rows may come without a header)."""

    tables: list[Rows]
    bounds: tuple[float, ...] = ()


def unruled_rows(lines: Sequence[TextLine], vocabulary: ColumnVocabulary) -> UnruledRead:
    """The page's unruled table as rows of (cells, top, bottom), found by its header."""
    start = _header_at(lines, vocabulary)
    if start is None:
        return UnruledRead([])
    band_end = _header_band(lines, start, vocabulary)
    band = list(lines[start:band_end])
    min_gap = MIN_GAP_SHARE * min(line.height for line in band)
    end, groups = _body(lines, band, band_end, min_gap)
    body = [i for i in range(band_end, end) if i not in groups]
    gaps = _gaps([*band, *(lines[i] for i in body)], min_gap)
    if len(gaps) < 2:
        return UnruledRead([])
    bounds = tuple((a + b) / 2 for a, b in gaps)
    rows: Rows = [(_cells(band, bounds), band[0].top, band[-1].bottom)]
    rows += _rows_between(lines, band_end, end, groups, bounds)
    return UnruledRead([rows], bounds)


def continued_rows(lines: Sequence[TextLine], bounds: Sequence[float]) -> UnruledRead:
    """Rows at the top of a page that go on with the previous page's table, its header not
    repeated: lines that keep to the carried columns, up to the first that spans most."""
    if not lines or not bounds:
        return UnruledRead([])
    min_gap = MIN_GAP_SHARE * lines[0].height
    groups: set[int] = set()
    end = 0
    for index, line in enumerate(lines):
        if index and line.top - lines[index - 1].bottom > MAX_LINE_GAP * line.height:
            break
        end = index + 1
        if _is_group_line(line):
            groups.add(index)
            continue
        crossed = sum(1 for b in bounds if any(w.x0 < b < w.x1 for w in line.words))
        if crossed * 2 > len(bounds):
            end = index
            break
        if crossed and _contiguous(line, min_gap):
            groups.add(index)
    if end == len(groups):  # nothing but headings: not a table
        return UnruledRead([])
    return UnruledRead([_rows_between(lines, 0, end, groups, bounds)], tuple(bounds))


def _rows_between(
    lines: Sequence[TextLine], start: int, end: int, groups: set[int], bounds: Sequence[float]
) -> Rows:
    rows: Rows = []
    current: list[TextLine] = []
    for index in range(start, end):
        line = lines[index]
        # The row-number column is the first: a word there opens a row.
        opens = index in groups or _column_of(line.words[0], bounds) == 0
        if opens and current:
            rows.append(_row(current, bounds))
            current = []
        if index in groups:
            text = " ".join(w.text for w in line.words)
            rows.append(((text, *("" for _ in bounds)), line.top, line.bottom))
            continue
        current.append(line)
    if current:
        rows.append(_row(current, bounds))
    return rows


def _row(
    lines: Sequence[TextLine], bounds: Sequence[float]
) -> tuple[tuple[str, ...], float, float]:
    return _cells(lines, bounds), lines[0].top, lines[-1].bottom
