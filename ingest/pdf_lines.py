"""Words of a PDF page (pdfplumber) grouped into printed lines, top to bottom."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Words whose tops differ by less than this share of their height sit on one line.
SAME_LINE = 0.5
# A gap wider than this share of the text height is not a space between words.
COLUMN_GAP = 0.5


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def middle(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(frozen=True)
class TextLine:
    words: tuple[Word, ...]

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def text(self) -> str:
        """Words joined by a space; two where a gap wider than a space parts table columns
        (readers of the page text, and pypdf's layout text, show columns that way)."""
        out = self.words[0].text
        for previous, word in zip(self.words, self.words[1:], strict=False):
            wide = word.x0 - previous.x1 > COLUMN_GAP * (word.bottom - word.top)
            out += ("  " if wide else " ") + word.text
        return out


def text_lines(words: Iterable[Mapping]) -> list[TextLine]:
    """pdfplumber word dicts -> lines, each line's words left to right."""
    items = sorted(
        (Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"]) for w in words),
        key=lambda w: (w.top, w.x0),
    )
    lines: list[list[Word]] = []
    for word in items:
        if lines:
            current = lines[-1]
            top = min(w.top for w in current)
            height = max(w.bottom - w.top for w in current)
            if abs(word.top - top) < SAME_LINE * height:
                current.append(word)
                continue
        lines.append([word])
    return [TextLine(tuple(sorted(line, key=lambda w: w.x0))) for line in lines]
