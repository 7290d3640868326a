"""Deadline cells to date ranges: ``Quý II/2024``, ``Tháng 06 và tháng 12/2024``, ``Thường xuyên``.

Patterns run over folded text (lower case, no diacritics), so NFC/NFD, old tone placement
and unaccented typing compare equal; the original wording is kept in ``Deadline.text``
for display. Each pattern is a (regex, builder) entry in :data:`PATTERNS`; the most
specific entries come first and claim their span of the text, so ``Quý III, IV/2024`` is
read as two quarters and never again as a bare year.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from rag.schemas import Deadline
from rag.text import fold, normalize

Span = tuple[date, date]


@dataclass(frozen=True)
class Piece:
    """What one pattern found: a concrete period, an open start, or a bare 'recurring'."""

    kind: str  # "date", "range", "open" (start only), "recurring"
    start: date | None = None
    end: date | None = None


# A builder turns one match into what it means; None when the match is not a real date.
Builder = Callable[[re.Match[str]], Piece | list[Piece] | None]

_YEAR_RAW = r"(?:19|20)\d\d"
_Y = rf"({_YEAR_RAW})"
_ROMAN_OR_DIGIT = r"(?:iv|i{1,3}|[1-4])"
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_LIST_SEP = r"\s*(?:,|va|&|;)\s*"

# Basic periods. They are reused inside the "từ …", "trước …" patterns, so they carry no
# named groups; builders read their positional groups.
DAY = rf"(?<![\d/.])(?:ngay\s*)?(\d{{1,2}})\s*(?:[/.-]|\s+thang\s+)\s*(\d{{1,2}})\s*(?:[/.-]|\s+nam\s+)\s*{_Y}(?![\d/])"
MONTH_WORD = rf"\bthang\s*(\d{{1,2}})\s*(?:[/-]|\s+nam\s+|\s)\s*{_Y}(?![\d/])"
# "6/2024" alone: PDF exports split "Tháng" and "6/2024" onto separate lines.
MONTH_BARE = rf"(?<![\d/.:])(\d{{1,2}})\s*/\s*{_Y}(?![\d/])"
# "Quý II.2024": a dot also separates quarter and year in the national appendix.
QUARTER = rf"\bquy\s*({_ROMAN_OR_DIGIT})\s*(?:[/.-]|\s+nam\s+|\s)\s*{_Y}(?![\d/])"
YEAR = rf"(?:\bnam\s*)?(?<![\d/.:]){_Y}(?![\d/])"


def _month_span(year: int, month: int) -> Span | None:
    if not 1 <= month <= 12:
        return None
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _quarter_span(year: int, quarter: int) -> Span:
    first = 3 * (quarter - 1) + 1
    return date(year, first, 1), date(year, first + 2, calendar.monthrange(year, first + 2)[1])


def _day(m: re.Match[str]) -> Piece | None:
    try:
        day = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:  # the corpus has "30/2/2023"
        return None
    return Piece("date", day, day)


def _month(m: re.Match[str]) -> Piece | None:
    span = _month_span(int(m.group(2)), int(m.group(1)))
    return Piece("range", *span) if span else None


def _quarter(m: re.Match[str]) -> Piece:
    return Piece("range", *_quarter_span(int(m.group(2)), _QUARTERS[m.group(1)]))


def _year(m: re.Match[str]) -> Piece:
    year = int(m.group(1))
    return Piece("range", date(year, 1, 1), date(year, 12, 31))


_PERIODS: list[tuple[re.Pattern[str], Builder]] = [
    (re.compile(DAY), _day),
    # Before the bare month, or "quý 1/2024" would be read as January.
    (re.compile(QUARTER), _quarter),
    (re.compile(MONTH_WORD), _month),
    (re.compile(MONTH_BARE), _month),
    (re.compile(YEAR), _year),
]
PERIOD = "(?:" + "|".join(p.pattern for p, _ in _PERIODS) + ")"


def _period(fragment: str) -> Piece | None:
    for pattern, build in _PERIODS:
        m = pattern.fullmatch(fragment.strip())
        if m:
            return build(m)
    return None


def _half_year(m: re.Match[str]) -> Piece:
    year = int(m.group("y"))
    if m.group("half") == "dau":
        return Piece("range", date(year, 1, 1), date(year, 6, 30))
    return Piece("range", date(year, 7, 1), date(year, 12, 31))


def _quarter_list(m: re.Match[str]) -> list[Piece]:
    year = int(m.group("y"))
    quarters = re.findall(_ROMAN_OR_DIGIT, m.group("items"))
    return [Piece("range", *_quarter_span(year, _QUARTERS[q])) for q in quarters]


def _month_list(m: re.Match[str]) -> list[Piece]:
    year = int(m.group("y"))
    spans = [_month_span(year, int(x)) for x in re.findall(r"\d{1,2}", m.group("items"))]
    return [Piece("range", *s) for s in spans if s]


def _recurring_since_year(m: re.Match[str]) -> Piece:
    return Piece("open", date(int(m.group("y")), 1, 1))


def _from_to(m: re.Match[str]) -> Piece | None:
    first, last = _period(m.group("a")), _period(m.group("b"))
    if not first or not last or first.start is None or last.end is None:
        return None
    if first.start > last.end:
        return None
    return Piece("range", first.start, last.end)


def _since(m: re.Match[str]) -> Piece | None:
    period = _period(m.group("a"))
    return Piece("open", period.start) if period else None


def _before(m: re.Match[str]) -> Piece | None:
    period = _period(m.group("a"))
    if not period or period.start is None:
        return None
    if period.kind == "date":
        # "Trước ngày 20/9/2022" names the due day itself, as officials read it.
        return period
    # "Trước năm 2025" / "trước tháng 6/2024": due by the last day before that period.
    due = period.start - timedelta(days=1)
    return Piece("date", due, due)


def _year_range(m: re.Match[str]) -> Piece | None:
    first, last = int(m.group("a")), int(m.group("b"))
    if first > last:
        return None
    return Piece("range", date(first, 1, 1), date(last, 12, 31))


def _recurring(_: re.Match[str]) -> Piece:
    return Piece("recurring")


_RECURRING = r"thuong\s*xuyen|hang\s+(?:nam|quy|thang|tuan|ngay)|dinh\s+ky"


def _reference(_: re.Match[str]) -> None:
    return None


# "Nghị quyết số 50/NQ-CP ngày 08/4/2022", "Chỉ thị 05, ngày 23/2/2023": a document's own date.
_REFERENCE = (
    r"(?:\b\d+/[a-z][\w/-]*|\b(?:nghi quyet|nghi dinh|quyet dinh|chi thi|thong bao|cong van|"
    r"ke hoach|van ban|to trinh|bao cao)\s+(?:so\s+)?\d+)\s*,?\s*"
)

# Most specific first: an entry claims its span and later entries skip overlapping matches.
PATTERNS: list[tuple[re.Pattern[str], Builder]] = [
    (re.compile(_REFERENCE + DAY), _reference),
    (
        re.compile(rf"\b(?:6|06|sau)\s*thang\s*(?P<half>dau|cuoi)\s*(?:nam\s*)?(?P<y>{_YEAR_RAW})"),
        _half_year,
    ),
    (
        re.compile(
            rf"\bquy\s*(?P<items>{_ROMAN_OR_DIGIT}(?:{_LIST_SEP}(?:quy\s*)?{_ROMAN_OR_DIGIT})+)"
            rf"\s*(?:[/.-]|\s+nam\s+|\s)\s*(?P<y>{_YEAR_RAW})(?![\d/])"
        ),
        _quarter_list,
    ),
    (
        re.compile(
            rf"\bthang\s*(?P<items>\d{{1,2}}(?:{_LIST_SEP}(?:thang\s*)?\d{{1,2}})+)"
            rf"\s*(?:[/-]|\s+nam\s+)\s*(?P<y>{_YEAR_RAW})(?![\d/])"
        ),
        _month_list,
    ),
    (
        re.compile(rf"(?<![\d/])(?P<y>{_YEAR_RAW})\s*[-–]\s*(?:thuc\s+hien\s+)?(?:{_RECURRING})"),
        _recurring_since_year,
    ),
    (
        re.compile(rf"\btu\s+(?P<a>{PERIOD})\s*(?:den|toi|-|–)\s*(?:het\s+)?(?P<b>{PERIOD})"),
        _from_to,
    ),
    (re.compile(rf"\btu\s+(?P<a>{PERIOD})"), _since),
    (re.compile(rf"\btruoc\s+(?P<a>{PERIOD})"), _before),
    (
        re.compile(
            rf"(?<![\d/.:])(?P<a>{_YEAR_RAW})\s*(?:-|–|den)\s*(?:nam\s*)?(?P<b>{_YEAR_RAW})(?![\d/])"
        ),
        _year_range,
    ),
    *_PERIODS,
    (re.compile(_RECURRING), _recurring),
]


def _pieces(folded: str) -> list[Piece]:
    claimed: list[tuple[int, int]] = []
    found: list[tuple[int, Piece]] = []
    for pattern, build in PATTERNS:
        for m in pattern.finditer(folded):
            if any(m.start() < end and start < m.end() for start, end in claimed):
                continue
            # Claimed even when the builder rejects it (e.g. 30/2/2023), so a broken date
            # is not re-read as a month or a year.
            claimed.append(m.span())
            built = build(m)
            items = built if isinstance(built, list) else [built] if built else []
            found.extend((m.start(), piece) for piece in items)
    found.sort(key=lambda item: item[0])
    return [piece for _, piece in found]


def _combine(text: str, pieces: list[Piece]) -> Deadline:
    concrete = [p for p in pieces if p.kind in ("date", "range")]
    if concrete:
        ranges = sorted({(p.start, p.end) for p in concrete if p.start and p.end})
        single_day = len(concrete) == 1 and concrete[0].kind == "date"
        return Deadline(
            text=text,
            start=min(s for s, _ in ranges),
            end=max(e for _, e in ranges),
            kind="date" if single_day else "range",
            ranges=ranges,
        )
    if pieces:
        starts = [p.start for p in pieces if p.start is not None]
        return Deadline(text=text, start=min(starts) if starts else None, kind="recurring")
    return Deadline(text=text)


# Folding merges "từ" (from) with "tư" ("Bộ Kế hoạch và Đầu tư 12/2023"); keep the latter apart.
_TU_NOT_FROM = re.compile(r"\btư\b", re.IGNORECASE)


def parse_deadline(text: str) -> Deadline:
    """Read a deadline cell; unknown wording gives kind ``unspecified``. Never raises.

    A day gives ``date``; a month, quarter, half-year or year gives ``range``; several
    periods give one ``range`` from the first start to the last end, with each period in
    ``ranges``. ``Thường xuyên`` gives ``recurring`` (with a start for ``2022 - Thường
    xuyên`` or ``Từ quý IV/2024``). A concrete period beats "recurring" in the same cell:
    ``Quý II/2024 và thường xuyên`` is due in Q2 2024.
    """
    # PDF cells arrive split over lines ("Thường \nxuyên"); normalize keeps newlines.
    clean = " ".join(normalize(text or "").split())
    return _combine(clean, _pieces(fold(_TU_NOT_FROM.sub("tuw", clean))))


def deadline_end(deadline: Deadline) -> date | None:
    """Last day the task is due, for "due before" filters; None when open-ended or unknown."""
    return deadline.end if deadline.kind in ("date", "range") else None


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_iso_date(value: str) -> date:
    """``2024-06-30`` -> date; anything else raises ValueError naming the expected format."""
    text = (value or "").strip()
    if not _ISO_DATE.fullmatch(text):
        raise ValueError(f"invalid date {value!r}: expected YYYY-MM-DD, e.g. 2024-06-30")
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"invalid date {value!r}: {exc}") from exc
