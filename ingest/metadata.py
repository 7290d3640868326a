"""Document number, date, issuer, kind and title read from a document's first page.

Vietnamese administrative documents print these in a fixed place (Decree 30/2020/NĐ-CP):
the issuing body top left, "Số: 4709/CV-TCTTKĐA" under it, the place and date top right
("Hà Nội, ngày 10 tháng 6 năm 2024"), then the kind in capitals ("KẾ HOẠCH") and the
title, or for a letter the "V/v ..." line. Text extraction may put the two header columns
on one line ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI ..."), so the motto is cut away, not
skipped. Manifest entries (and upload form fields) win over what is read here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from rag.document_aliases import document_kinds
from rag.text import fold, normalize

# The header block, kind and title sit within the first lines of page one.
HEAD_LINES = 40
MAX_TITLE_LINES = 5
# Header lines are short; a longer line is body text.
MAX_HEADER_LINE_CHARS = 160

# "Số:" opens its line in the header block; "Quyết định số 06/QĐ-TTg" in a recital is a
# reference to another document, not this one's number.
_NUMBER = re.compile(r"^\W*Số\s*[:.]?\s*(\d+[\w.-]*/[\w./-]*[A-ZĐ][\wĐđ./-]*)", re.IGNORECASE)
# The issuing date follows the place ("Hà Nội, ngày ..."); "từ ngày 01/6/2022" in a
# sentence is another date.
_DATE_WORDS = re.compile(
    r"(?:^|,\s*)ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE
)
_DATE_SLASHES = re.compile(
    r"(?:^|,\s*)ngày\s+(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})", re.IGNORECASE
)
# The national motto that shares the header lines with the issuer.
_MOTTO = re.compile(r"\s*(?:cong hoa xa hoi chu nghia viet nam|doc lap\s*-\s*tu do).*$")
_NUMBER_LINE = re.compile(r"^so\s*[:.]")
_BODY_START = re.compile(r"^(?:can cu|kinh gui)\b")
_SUBJECT = re.compile(r"^v/v\s*", re.IGNORECASE)
_TITLE_STOP = re.compile(r"^(?:can cu|kinh gui|thuc hien|de\b|theo\b|[ivx]+\.|\d+\.)")


@dataclass(frozen=True)
class DocumentMetadata:
    number: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd
    issuer: str | None = None
    kind: str | None = None
    kind_label: str | None = None
    title: str | None = None

    def entry(self) -> dict[str, str]:
        """The fields as a manifest entry would hold them (only those found)."""
        fields = {k: v for k, v in asdict(self).items() if v and k != "kind_label"}
        if self.kind_label and self.number:
            fields["short_title"] = f"{self.kind_label} số {self.number}"
        return fields


def _clean(text: str) -> str:
    return normalize(text.replace("*", "")).strip()


def _number(lines: Sequence[str]) -> str | None:
    for line in lines:
        match = _NUMBER.search(line)
        if match:
            return match.group(1).rstrip(".")
    return None


def _date(lines: Sequence[str]) -> str | None:
    for line in lines:
        match = _DATE_WORDS.search(line) or _DATE_SLASHES.search(line)
        if match:
            day, month, year = (int(g) for g in match.groups())
            if 1 <= day <= 31 and 1 <= month <= 12:
                return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def _issuer(lines: Sequence[str]) -> str | None:
    """Upper-case lines above the number line or the motto, the motto cut off; None when
    the page has neither (a bare appendix or report starts with its own title)."""
    numbered = [i for i, line in enumerate(lines) if _NUMBER_LINE.match(fold(line))]
    motto = [i for i, line in enumerate(lines) if _MOTTO.search(fold(line))]
    end = numbered[0] if numbered else motto[-1] if motto else None
    if end is None:
        return None
    parts = []
    for line in lines[: end + 1]:
        folded = fold(line)
        if _NUMBER_LINE.match(folded) or _DATE_WORDS.search(line) or _kind_at(line):
            break
        cut = _MOTTO.search(folded)
        text = line[: cut.start()].strip() if cut else line
        letters = [c for c in text if c.isalpha()]
        if letters and all(c.isupper() for c in letters):
            parts.append(text)
        elif parts:
            break
    return " ".join(parts) or None


def _kind_at(line: str) -> dict[str, str] | None:
    return document_kinds().get(fold(line).strip(" .:"))


def _title(lines: Sequence[str], start: int) -> str | None:
    title: list[str] = []
    for line in lines[start:]:
        if _TITLE_STOP.match(fold(line)) or _DATE_WORDS.search(line):
            break
        if len(title) >= MAX_TITLE_LINES:
            break
        title.append(line)
    return " ".join(title) or None


def _header_block(lines: Sequence[str]) -> list[str]:
    """Lines before the body: the recitals ("Căn cứ ...") or a paragraph-long line."""
    for index, line in enumerate(lines):
        if _BODY_START.match(fold(line)) or len(line) > MAX_HEADER_LINE_CHARS:
            return list(lines[:index])
    return list(lines)


def read_metadata(first_page: Sequence[str]) -> DocumentMetadata:
    """What the first page says about the document; fields not printed stay None."""
    lines = _header_block([c for c in (_clean(raw) for raw in first_page[:HEAD_LINES]) if c])
    kind, label, title = None, None, None
    for index, line in enumerate(lines):
        found = _kind_at(line)
        if found:
            kind, label = found["kind"], found["label"]
            rest = _title(lines, index + 1)
            title = f"{label} {rest[:1].lower()}{rest[1:]}" if rest else None
            break
    if title is None:
        subject = next((i for i, line in enumerate(lines) if _SUBJECT.match(line)), None)
        if subject is not None:
            kind, label = kind or "letter", label or "Công văn"
            title = _title([_SUBJECT.sub("", lines[subject]), *lines[subject + 1 :]], 0)
            title = f"{label} về {title}" if title else None
    return DocumentMetadata(
        number=_number(lines),
        date=_date(lines),
        issuer=_issuer(lines),
        kind=kind,
        kind_label=label,
        title=title,
    )


def with_metadata(entry: dict, first_page: Sequence[str]) -> dict:
    """A manifest entry completed from the first page: given (non-empty) fields win."""
    found = read_metadata(first_page).entry()
    return {**found, **{k: v for k, v in entry.items() if v not in (None, "", [])}}
