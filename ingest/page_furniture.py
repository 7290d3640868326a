"""Page furniture of PDFs: page numbers and running headers/footers, which are not content.

Left in, page numbers read as table row numbers (five lone numbers switched a whole
document into fragment-table parsing) and running heads split paragraphs. Only the first
and last lines of a page are candidates.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from rag.text import fold

# Lines at each page edge that may be furniture.
EDGE_LINES = 2
# A running head repeats on at least this share of pages (and on 3 pages at least).
MIN_REPEAT_SHARE = 0.5
MIN_REPEAT_PAGES = 3

_PAGE_NUMBER = re.compile(
    r"^(?:trang\s*)?[-–(\[]?\s*\d{1,4}\s*[-–)\]]?(?:\s*(?:/|tren)\s*\d{1,4})?$"
)


def is_page_number(text: str) -> bool:
    """'3', '- 3 -', 'Trang 3', 'Trang 3/12', '3/12'."""
    return bool(_PAGE_NUMBER.match(fold(text).strip()))


def furniture_key(text: str) -> str:
    """Digits masked: 'Kế hoạch 2024 - trang 3' and '... trang 4' share one key."""
    return re.sub(r"\d+", "#", fold(text).strip())


def _edge_indexes(lines: Sequence[str]) -> list[int]:
    content = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(content[:EDGE_LINES] + content[-EDGE_LINES:]))


def running_keys(pages: Sequence[Sequence[str]]) -> frozenset[str]:
    """Keys of edge lines repeated on most pages (running headers and footers)."""
    counts = Counter(
        key
        for lines in pages
        for key in {furniture_key(lines[i]) for i in _edge_indexes(lines)}
        if key
    )
    needed = max(MIN_REPEAT_PAGES, MIN_REPEAT_SHARE * len(pages))
    return frozenset(key for key, count in counts.items() if count >= needed)


def furniture_lines(lines: Sequence[str], running: frozenset[str]) -> set[int]:
    """Indexes of the page's furniture lines."""
    return {
        i
        for i in _edge_indexes(lines)
        if is_page_number(lines[i]) or furniture_key(lines[i]) in running
    }
