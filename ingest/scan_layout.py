"""Text lines of an OCR'd page from Tesseract's word boxes, with side-by-side columns kept apart.

Vietnamese official letters open with a two-column block: the issuing body on the left,
the national motto and the place and date on the right. Tesseract often reads such a
block as single lines running across both columns ("UBND THÀNH PHỐ … CỘNG HÒA XÃ HỘI …"),
which mixes two headings into one. A wide gap between two words of a line marks the
column boundary; consecutive lines split that way are emitted left column first.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import median

from ingest.tesseract import Word

# A gap wider than this many word heights between two words of a line separates columns
# (word spacing is about a third of a height; justified text stretches it to about one).
COLUMN_GAP_HEIGHTS = 2.0
# Next to lines already split into columns, a narrower gap at the same place also splits:
# the longest line of a column leaves the least room.
ALIGNED_GAP_HEIGHTS = 1.0

Segment = list[Word]


def _line_words(words: Sequence[Word]) -> list[list[Word]]:
    lines: list[list[Word]] = []
    for word in words:
        key = (word.block, word.paragraph, word.line)
        if lines and (lines[-1][0].block, lines[-1][0].paragraph, lines[-1][0].line) == key:
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def split_segments(line: Sequence[Word], at: float | None = None) -> list[Segment]:
    """A line cut where the gap between two words is a column gap; with ``at`` (the x of
    a neighbouring column boundary), a smaller gap containing ``at`` is one too."""
    height = median(w.height for w in line)
    segments: list[Segment] = [[line[0]]]
    for previous, word in zip(line, line[1:], strict=False):
        gap = word.left - previous.right
        aligned = at is not None and previous.right < at < word.left
        if gap > COLUMN_GAP_HEIGHTS * height or (aligned and gap > ALIGNED_GAP_HEIGHTS * height):
            segments.append([word])
        else:
            segments[-1].append(word)
    return segments


def _boundary(segments: Sequence[Segment]) -> float:
    return (segments[0][-1].right + segments[-1][0].left) / 2


def _two_column_lines(lines: Sequence[Sequence[Word]]) -> list[list[Segment]]:
    """Each line's segments; lines beside a two-column line are re-cut at its boundary."""
    cut = [split_segments(line) for line in lines]
    for index, line in enumerate(lines):
        if len(cut[index]) == 2:
            continue
        neighbours = [cut[i] for i in (index - 1, index + 1) if 0 <= i < len(cut)]
        boundaries = [_boundary(n) for n in neighbours if len(n) == 2]
        if boundaries:
            again = split_segments(line, boundaries[0])
            if len(again) == 2:
                cut[index] = again
    return cut


def _text(words: Sequence[Word]) -> str:
    return " ".join(w.text for w in words)


def _column_block(run: Sequence[list[Segment]]) -> list[str]:
    """Lines of a two-column run: the left column's lines, a blank, the right column's."""
    split = (
        max(segments[0][-1].right for segments in run if len(segments) > 1)
        + min(segments[-1][0].left for segments in run if len(segments) > 1)
    ) / 2
    left = [_text([w for s in segs for w in s if w.center[0] < split]) for segs in run]
    right = [_text([w for s in segs for w in s if w.center[0] >= split]) for segs in run]
    return [*(t for t in left if t), "", *(t for t in right if t)]


def text_lines(words: Sequence[Word]) -> list[str]:
    """One line per text line, a blank line between paragraphs and around column blocks."""
    out: list[str] = []
    run: list[list[Segment]] = []
    previous: Word | None = None

    def flush() -> None:
        if run:
            out.extend(["", *_column_block(run), ""])
            run.clear()

    lines = _line_words(words)
    for line, segments in zip(lines, _two_column_lines(lines), strict=True):
        if len(segments) == 2:
            run.append(segments)
            previous = line[0]
            continue
        flush()
        first = line[0]
        if previous is not None and (first.block, first.paragraph) != (
            previous.block,
            previous.paragraph,
        ):
            out.append("")
        out.append(_text(line))
        previous = first
    flush()
    return trim_blanks(out)


def trim_blanks(lines: Sequence[str]) -> list[str]:
    trimmed: list[str] = []
    for line in lines:
        if not line and (not trimmed or not trimmed[-1]):
            continue
        trimmed.append(line)
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return trimmed
