"""How questions name a document: the manifest's curated aliases, and names read from the
document itself when nobody curated any (a PDF or DOCX uploaded without a manifest entry).

Users name a document by its kind and what sets it apart: its number ("cv 4709", "công văn
số 4709", "văn bản 4709"), its year ("KH 2024", "kế hoạch năm 2024"), the period a report
covers ("bc 6 tháng 2023", "báo cáo sơ kết 9 tháng năm 2025") or an appendix's number
("PL 03", "phụ lục I"). Those names are derived here from the kind, number and title the
ingest read from page one (``ingest/metadata.py``) and the letterhead's date line
(``rag/letterhead.py``, which also reads a draft's "ngày … tháng 3 năm 2024"). Which name
forms a kind takes is data (``data/document_kinds.json``).

A derived name that another document also answers to (derived or curated) would scope a
question to the wrong document half the time: it is dropped, so it scopes to neither (the
curated alias, if any, stays with its document). Pure functions.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from rag.letterhead import Letterhead, read_letterhead
from rag.query import alias_key
from rag.text import fold

if TYPE_CHECKING:
    from rag.index import StoredDocument

_YEAR = re.compile(r"(?<![0-9])((?:19|20)\d\d)(?![0-9])")
# A year that ends or starts a span ("giai đoạn 2022 – 2025", "tầm nhìn đến năm 2030") is
# not the year the document is about.
_SPAN_BEFORE = re.compile(r"(?:den|tu|doan|[-–/])\s*(?:nam\s*)?$")
_SPAN_AFTER = re.compile(r"^\s*[-–/]")
_MONTHS = re.compile(r"(?<![0-9a-z])0*(\d{1,2}) thang( dau nam| cuoi nam)?(?![0-9a-z])")
_QUARTER = re.compile(r"(?<![0-9a-z])quy (iv|i{1,3}|[1-4])(?![0-9a-z])")
_STAGES = {"so ket": "sơ kết", "tong ket": "tổng kết"}
_APPENDIX = re.compile(r"^\W*phu luc\s*(?:so\s*)?([ivx]{1,5}|\d{1,3})(?![0-9a-z])")
_ROMAN_QUARTERS = {"1": "I", "2": "II", "3": "III", "4": "IV"}


@cache
def document_kinds() -> dict[str, dict]:
    """Kinds by their folded word ("ke hoach"): label, manifest kind, name forms."""
    data = resources.files("rag").joinpath("data/document_kinds.json").read_text("utf-8")
    return {key: value for key, value in json.loads(data).items() if not key.startswith("_")}


@dataclass(frozen=True)
class Period:
    text: str  # "6 tháng", "quý II"
    from_start: bool = False  # "6 tháng đầu năm"


def _kind_of(kind: str | None, title: str) -> dict | None:
    """The kind entry of a document: its manifest kind, else the kind word its title opens
    with (a file named "bao-cao-2025.pdf" with nothing printed to read)."""
    kinds = document_kinds()
    found = next((entry for entry in kinds.values() if entry["kind"] == kind), None)
    if found:
        return found
    folded = fold(title).strip()
    return next((kinds[word] for word in kinds if folded.startswith(f"{word} ")), None)


def title_year(title: str) -> str | None:
    """The year a title is about: "… năm 2024 trên địa bàn …", not "đến năm 2030"."""
    folded = fold(title)
    for match in _YEAR.finditer(folded):
        before, after = folded[: match.start()], folded[match.end() :]
        if not (_SPAN_BEFORE.search(before) or _SPAN_AFTER.match(after)):
            return match.group(1)
    return None


def letterhead_year(letterhead: Letterhead | None, date: str | None) -> str | None:
    """The year of the date line (also a draft's "ngày … tháng 3 năm 2024"), else of the
    manifest's date."""
    if letterhead and letterhead.date:
        found = re.search(r"nam\s+((?:19|20)\d\d)", fold(letterhead.date.text))
        if found:
            return found.group(1)
    found = _YEAR.match(date or "")
    return found.group(1) if found else None


def title_period(title: str) -> Period | None:
    folded = fold(title)
    months = _MONTHS.search(folded)
    if months and 1 <= int(months.group(1)) <= 11:
        return Period(f"{int(months.group(1))} tháng", months.group(2) == " dau nam")
    quarter = _QUARTER.search(folded)
    if quarter:
        roman = _ROMAN_QUARTERS.get(quarter.group(1), quarter.group(1).upper())
        return Period(f"quý {roman}")
    return None


def _number(document: StoredDocument, letterhead: Letterhead | None) -> str | None:
    if document.number:
        return document.number
    if letterhead and letterhead.number and letterhead.number.complete:
        return letterhead.number.text
    return None


def derived_names(document: StoredDocument) -> list[str]:
    """The names users would give the document, read from its kind, number, title and the
    letterhead of its first page."""
    kind = _kind_of(document.kind, document.title)
    if kind is None:
        return []
    letterhead = _letterhead(document)
    label, forms = kind["label"].lower(), set(kind.get("names", ()))
    names: list[str] = []
    number = _number(document, letterhead)
    if "number" in forms and number and re.match(r"\d", number):
        digits = re.match(r"\d+", number).group(0)
        names += [number, f"{label} {digits}", f"văn bản {digits}"]
    year = title_year(document.title) or letterhead_year(letterhead, document.date)
    if "year" in forms and year:
        names.append(f"{label} {year}")
        if "de an 06" in fold(document.title):
            names.append(f"{label} đề án 06 {year}")
    period = title_period(document.title) if "period" in forms and year else None
    if period:
        names += _period_names(label, period, year, fold(document.title))
    appendix = _APPENDIX.match(fold(document.title)) if "appendix" in forms else None
    if appendix:
        names.append(f"{label} {appendix.group(1)}")
    return list(dict.fromkeys(names))


def _period_names(label: str, period: Period, year: str, folded_title: str) -> list[str]:
    """ "báo cáo 6 tháng 2023", "… 6 tháng đầu năm 2023", "báo cáo sơ kết 6 tháng 2023"."""
    spans = [f"{period.text} {year}"]
    if period.from_start:
        spans.append(f"{period.text} đầu năm {year}")
    stages = [stage for word, stage in _STAGES.items() if word in folded_title]
    names = [f"{label} {span}" for span in spans]
    names += [f"{label} {stage} {span}" for stage in stages for span in spans]
    names += [f"{label} {stage} {year}" for stage in stages]
    return names


def document_aliases(documents: Mapping[str, StoredDocument]) -> dict[str, list[str]]:
    """Each document's names: its curated aliases, then the derived names no other document
    answers to."""
    derived = {source: derived_names(document) for source, document in documents.items()}
    owners: dict[str, set[str]] = defaultdict(set)
    for source, document in documents.items():
        for name in [*document.aliases, *derived[source]]:
            owners[alias_key(name)].add(source)
    return {
        source: _distinct(
            [*document.aliases, *(n for n in derived[source] if owners[alias_key(n)] == {source})]
        )
        for source, document in documents.items()
    }


def _distinct(names: list[str]) -> list[str]:
    """One name per key: "báo cáo năm 2023" and "báo cáo 2023" match the same questions."""
    kept: dict[str, str] = {}
    for name in names:
        kept.setdefault(alias_key(name), name)
    return list(kept.values())


def _letterhead(document: StoredDocument) -> Letterhead | None:
    if not document.pages:
        return None
    return read_letterhead(document.lines(document.pages[0]["number"]))
