"""Accepted spellings of an expected answer, built from a record's own text.

The scorer (``eval.runner.contains_all``) accepts an answer when every ``must_contain``
group has one spelling in it; these functions write those groups the way a correct
answer may spell the value (``Quý II/2024`` or ``quý 2/2024``; ``1.542`` or ``1542``).
"""

from __future__ import annotations

import re

from rag.units import Gazetteer

# Terms the documents write both ways inside unit names ("Văn phòng UBND Thành phố").
EQUIVALENT_TERMS = (("Ủy ban nhân dân", "UBND"), ("Thành phố", "TP"))
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_QUARTER = re.compile(r"quý\s+(IV|I{1,3}|[1-4])\s*(?:/|năm\s+)\s*(\d{4})", re.IGNORECASE)
_DAY = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
_MONTH = re.compile(r"(?:tháng\s+)?(?<![\d/])(\d{1,2})\s*/\s*(\d{4})(?![\d/])", re.IGNORECASE)
_MONTH_WORDS = re.compile(r"tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\d/])(20\d{2})(?![\d/])")
_RECURRING = re.compile(r"thường xuyên", re.IGNORECASE)
_DOC_CODE = re.compile(r"(\d+)\s*/\s*([0-9A-Za-zĐđ\-]+(?:-[0-9A-Za-zĐđ]+)*)")
_DOC_KIND = re.compile(
    r"(Nghị quyết|Nghị định|Quyết định|Chỉ thị|Thông báo|Công văn|Kế hoạch|Thông tư|NQ|QĐ|CT|TB)"
    r"\s*(?:số\s*)?(\d+)",
    re.IGNORECASE,
)


def unit_variants(name: str, gazetteer: Gazetteer) -> list[str]:
    """A unit as answers name it: its canonical name, its curated aliases, both tone styles."""
    canonical = gazetteer.canonical(name) or name
    spellings = [name, canonical, *gazetteer.aliases_of(canonical)]
    for long_form, short_form in EQUIVALENT_TERMS:
        spellings += [s.replace(long_form, short_form) for s in spellings if long_form in s]
    spellings += [s.replace("Ủy", "Uỷ") for s in spellings if "Ủy" in s]
    return list(dict.fromkeys(spellings))


def quarter_variants(number: int, year: str) -> list[str]:
    roman = next(k for k, v in ROMAN.items() if v == number)
    return [f"quý {q}{sep}{year}" for q in (roman, str(number)) for sep in ("/", " năm ", " ")]


def _padded(number: int) -> list[str]:
    """``6`` and ``06``, in that order (a list, so generated files are byte-identical)."""
    return list(dict.fromkeys([str(number), f"{number:02d}"]))


def month_variants(month: int, year: str) -> list[str]:
    months = _padded(month)
    return [f"{m}/{year}" for m in months] + [f"tháng {m} năm {year}" for m in months]


def day_variants(day: int, month: int, year: str) -> list[str]:
    days, months = _padded(day), _padded(month)
    slashed = [f"{d}/{m}/{year}" for d in days for m in months]
    worded = [f"ngày {d} tháng {m} năm {year}" for d in days for m in months]
    return slashed + worded


def deadline_groups(text: str) -> list[list[str]]:
    """The time expressions of a deadline cell, at most two, each with its spellings;
    empty when the cell holds none the scorer could check (``Theo lộ trình …``)."""
    groups: list[list[str]] = []
    rest = text
    for pattern, build in (
        (_QUARTER, lambda m: quarter_variants(_quarter_number(m.group(1)), m.group(2))),
        (_DAY, lambda m: day_variants(int(m.group(1)), int(m.group(2)), m.group(3))),
        (_MONTH_WORDS, lambda m: month_variants(int(m.group(1)), m.group(2))),
        (_MONTH, lambda m: month_variants(int(m.group(1)), m.group(2))),
    ):
        for match in pattern.finditer(rest):
            groups.append(build(match))
        rest = pattern.sub(" ", rest)
    if not groups:
        years = _YEAR.findall(rest)
        if years:
            groups.append([f"năm {years[0]}", f"{years[0]}"])
        elif _RECURRING.search(text):
            groups.append(["thường xuyên"])
    return groups[:2]


def _quarter_number(token: str) -> int:
    return int(token) if token.isdigit() else ROMAN[token.upper()]


def directive_variants(directive: str) -> list[str]:
    """A directing document as answers cite it: its number code (``62/TB-VPCP``) or its kind
    and number (``Thông báo 62``, ``Thông báo số 62``); empty when it carries no number."""
    variants: list[str] = []
    code = _DOC_CODE.search(directive)
    if code and not re.fullmatch(r"\d+", code.group(2)):
        variants.append(f"{code.group(1)}/{code.group(2)}")
    kind = _DOC_KIND.search(directive)
    if kind:
        variants += [f"{kind.group(1)} {kind.group(2)}", f"{kind.group(1)} số {kind.group(2)}"]
    return list(dict.fromkeys(variants))


def number_variants(number: str) -> list[str]:
    """``1.542`` / ``1542``, ``80,1`` / ``80.1``: thousands dots and decimal commas both ways."""
    variants = [number]
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", number):
        variants.append(number.replace(".", ""))
    if re.fullmatch(r"\d+,\d+", number):
        variants.append(number.replace(",", "."))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d+", number):
        variants.append(number.replace(".", "").replace(",", "."))
    return variants


_STATUS_PHRASE = re.compile(r"\b(?:đã|chưa|đang)\s+[^\W\d_]+(?:\s+[^\W\d_]+)?", re.IGNORECASE)


def status_phrase(result: str) -> str | None:
    """How the row itself states its progress ("Đã triển khai", "Chưa hoàn thành"), if it does."""
    match = _STATUS_PHRASE.search(result or "")
    return match.group(0) if match else None


STATUS_VARIANTS = {
    "hoàn thành": (["hoàn thành", "đã xong"], ["chưa hoàn thành", "đang triển khai"]),
    "đang triển khai": (["đang triển khai", "đang thực hiện"], []),
    "chưa hoàn thành": (["chưa hoàn thành"], []),
}
