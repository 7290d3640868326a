"""Ruled tables in scanned pages: find the ruling lines, put OCR'd words into cells.

The result is the tab-delimited row shape that :mod:`ingest.structure` already parses
(header row first, one line per table row, cells split by TAB), so a scanned appendix
feeds the same table model as a text export. Pure functions over an ink mask (numpy)
and Tesseract word boxes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image

from ingest.scan_layout import text_lines, trim_blanks
from ingest.tesseract import Word

# A ruling line is a run of ink at least this share of the page width (text never is).
MIN_RULE_FRACTION = 0.25
# Scanner noise and blur leave gaps in a printed line; this share of the run may be paper.
RULE_INK_TOLERANCE = 0.9
# A column separator has ink over this share of the table's height (merged cells break it).
MIN_SEPARATOR_FRACTION = 0.5
# Within one row band, a separator is present where this share of its segment is ink.
SEGMENT_INK_FRACTION = 0.6
MIN_RULES = 3
# Blur spreads a printed line over a few pixels each side of its detected rows.
ERASE_HALO_PX = 3
# Cells keep their text a margin away from the rules (Word's default is ~2 mm); a word
# closer than this to a separator, or across it, is running text the rule was drawn over.
TOUCH_PX = ERASE_HALO_PX + 4
# When more text lines than this share touch a separator, the grid does not hold cells.
MAX_CROSSING_LINES = 0.3
OUTER_MARGIN_PX = 8
MIN_COLUMNS = 2


@dataclass(frozen=True)
class Grid:
    """Ruling-line positions in page pixels: ``rules`` (y, top to bottom) and the inner
    column ``separators`` (x); ``width`` is the page's, the outer edges of the cells."""

    rules: tuple[int, ...]
    separators: tuple[int, ...]
    width: int

    @property
    def edges(self) -> tuple[int, ...]:
        return (0, *self.separators, self.width)

    @property
    def top(self) -> int:
        return self.rules[0]

    @property
    def bottom(self) -> int:
        return self.rules[-1]


@dataclass(frozen=True)
class TableLines:
    """A page laid out as text lines, with the table's rows as tab-delimited lines."""

    lines: tuple[str, ...]
    warning: str | None = None


def _centers(flags: np.ndarray) -> list[int]:
    """Centres of runs of True (a line a few pixels thick is one position)."""
    positions = []
    start = None
    for index, flag in enumerate([*flags.tolist(), False]):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            positions.append((start + index - 1) // 2)
            start = None
    return positions


def _long_runs(mask: np.ndarray, length: int) -> np.ndarray:
    """Per row: whether some window of ``length`` pixels is (nearly) all ink."""
    if length <= 0 or mask.shape[1] < length:
        return np.zeros(mask.shape[0], dtype=bool)
    # A line may be two rows thick with a noisy edge: merge each row with the next one.
    thick = mask | np.vstack([mask[1:], np.zeros((1, mask.shape[1]), dtype=bool)])
    sums = np.cumsum(thick, axis=1, dtype=np.int32)
    sums = np.hstack([np.zeros((mask.shape[0], 1), dtype=np.int32), sums])
    windows = sums[:, length:] - sums[:, :-length]
    return (windows >= RULE_INK_TOLERANCE * length).any(axis=1)


def _rule_rows(mask: np.ndarray) -> np.ndarray:
    return _long_runs(mask, int(mask.shape[1] * MIN_RULE_FRACTION))


def _separator_columns(band: np.ndarray) -> np.ndarray:
    # Thin vertical lines may sit between two pixel columns after deskewing.
    columns = band.mean(axis=0)
    return np.maximum(columns, np.concatenate([columns[1:], [0.0]])) >= MIN_SEPARATOR_FRACTION


def erase_rules(gray: Image.Image, mask: np.ndarray) -> Image.Image:
    """The page with its ruling lines painted white: Tesseract reads ruled cells badly
    (a line next to a digit becomes "|" or swallows the digit)."""
    rows = np.flatnonzero(_rule_rows(mask))
    if len(_centers(_rule_rows(mask))) < MIN_RULES:
        return gray
    pixels = np.asarray(gray, dtype=np.uint8).copy()
    halo = ERASE_HALO_PX
    for y in rows:
        pixels[max(0, y - halo) : y + halo + 1, :] = 255
    top, bottom = int(rows.min()), int(rows.max())
    for x in np.flatnonzero(_separator_columns(mask[top : bottom + 1])):
        pixels[max(0, top - halo) : bottom + halo + 1, max(0, x - halo) : x + halo + 1] = 255
    return Image.fromarray(pixels, mode="L")


def find_grid(mask: np.ndarray) -> Grid | None:
    """The ruled table of a page (its horizontal rules and column separators), if any."""
    height, width = mask.shape
    rules = _centers(_rule_rows(mask))
    if len(rules) < MIN_RULES:
        return None
    columns = _separator_columns(mask[rules[0] : rules[-1] + 1])
    rule_ink = np.flatnonzero(mask[rules[0]] | mask[min(rules[0] + 1, height - 1)])
    left, right = int(rule_ink.min()), int(rule_ink.max())
    # The table's outer border is not a separator between two cells.
    inner = [x for x in _centers(columns) if left + OUTER_MARGIN_PX < x < right - OUTER_MARGIN_PX]
    return Grid(rules=tuple(rules), separators=tuple(inner), width=width)


def _present_separators(mask: np.ndarray, grid: Grid, top: int, bottom: int) -> list[int]:
    """Separators actually drawn between ``top`` and ``bottom`` (merged cells lack some)."""
    present = []
    inner_top, inner_bottom = top + 2, max(top + 3, bottom - 2)
    for x in grid.separators:
        segment = mask[inner_top:inner_bottom, max(0, x - 2) : x + 3].any(axis=1)
        if segment.size and float(segment.mean()) >= SEGMENT_INK_FRACTION:
            present.append(x)
    return present


def _row_cells(
    mask: np.ndarray, grid: Grid, top: int, bottom: int, words: Sequence[Word]
) -> list[str]:
    """Cell texts of one row band; a merged cell's text sits in its first column."""
    edges = list(grid.edges)
    present = set(_present_separators(mask, grid, top, bottom))
    cells: list[list[str]] = [[] for _ in range(len(edges) - 1)]
    owner = 0
    owners = []
    for index in range(len(edges) - 1):
        if index == 0 or edges[index] in present:
            owner = index
        owners.append(owner)
    for word in words:
        x, _ = word.center
        for index in range(len(edges) - 1):
            if edges[index] <= x < edges[index + 1]:
                cells[owners[index]].append(word.text)
                break
    return [" ".join(parts) for parts in cells]


def _touches(word: Word, x: int) -> bool:
    return word.left - TOUCH_PX <= x <= word.right + TOUCH_PX


def crossing_share(words: Sequence[Word], grid: Grid) -> float:
    """Share of the table's text lines that run into or across a column separator."""
    lines: dict[tuple[int, int, int], bool] = {}
    for word in words:
        if not grid.top <= word.center[1] <= grid.bottom:
            continue
        key = (word.block, word.paragraph, word.line)
        crossing = any(_touches(word, x) for x in grid.separators)
        lines[key] = lines.get(key, False) or crossing
    if not lines:
        return 1.0
    return sum(lines.values()) / len(lines)


def table_page_lines(mask: np.ndarray, words: Sequence[Word], page_label: str) -> TableLines:
    """Lines of a page: prose above, the table's rows tab-delimited, prose below.

    Pages without a ruled grid come back as prose; pages whose grid does not separate
    the words come back as prose with a warning saying so.
    """
    grid = find_grid(mask)
    if grid is None:
        return TableLines(tuple(text_lines(words)))
    if len(grid.separators) + 1 < MIN_COLUMNS or crossing_share(words, grid) > MAX_CROSSING_LINES:
        return TableLines(
            tuple(text_lines(words)),
            warning=(
                f"{page_label}: có bảng kẻ ô nhưng không tách được các ô; giữ dạng văn bản"
                f" / {page_label}: ruled table found but its cells could not be separated;"
                " kept as prose"
            ),
        )
    above = [w for w in words if w.center[1] < grid.top]
    below = [w for w in words if w.center[1] > grid.bottom]
    rows = []
    for top, bottom in zip(grid.rules, grid.rules[1:], strict=False):
        inside = [w for w in words if top <= w.center[1] < bottom]
        cells = _row_cells(mask, grid, top, bottom, inside)
        if any(cells):
            rows.append("\t".join(cells))
    lines = [*text_lines(above), "", *rows, "", *text_lines(below)]
    return TableLines(tuple(trim_blanks(lines)))
