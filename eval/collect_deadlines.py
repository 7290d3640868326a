"""List every distinct deadline string in the corpus tables, with how it parses.

Used to keep tests/rag/data/deadlines.tsv complete: run it after the corpus changes and
add the new strings (with a hand-checked expected parse) to the TSV.

    python -m eval.collect_deadlines [CORPUS_DIR] [--tsv]

Heuristics, one per export style:
- one cell per tab-prefixed line (the 2024 plan's appendix): the 5th cell of a row;
- tab-delimited rows (the 4709 letter's templates): any short cell that reads as a deadline;
- PDF text (phu-luc-1, phu-luc-03): short lines that read as a deadline, with words split
  over lines ("Thường" / "xuyên") joined back and directive dates ("… ngày" / "18/4/2024")
  left out.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from rag.deadlines import parse_deadline
from rag.text import fold, normalize

PLAN = "ke-hoach-de-an-06-tphcm-2024.txt"
LETTER = "cong-van-4709-de-cuong-so-ket-6-thang-2024.txt"
PDF_EXPORTS = (
    "phu-luc-1-ket-qua-nhiem-vu-tphcm-2024.txt",
    "phu-luc-03-ket-qua-nhiem-vu-de-an-06.txt",
)
MAX_LEN = 100

# Deadline cells say "Theo lộ trình …" / "Trong quá trình …" and then anything.
_OPEN_WORDING = re.compile(r"^(?:theo (?:lo trinh|tien do|ke hoach|quy dinh)|trong qua trinh)\b")
# Otherwise every word of a deadline cell comes from this vocabulary (folded) or is a number.
_VOCABULARY = set(
    [
        "trong",
        "truoc",
        "tu",
        "den",
        "het",
        "vao",
        "quy",
        "thang",
        "nam",
        "ngay",
        "thuc",
        "hien",
        "thuong",
        "xuyen",
        "hang",
        "dinh",
        "ky",
        "va",
        "dau",
        "cuoi",
        "hoan",
        "thanh",
        "ban",
        "hanh",
        "i",
        "ii",
        "iii",
        "iv",
    ]
)
_WORD = re.compile(r"[^\W_]+")
_NUMBER = re.compile(r"\d+")
# Where the deadline starts inside a fragment that begins with a unit or a directive.
_START = re.compile(
    r"\b(?:trong|trước|từ|đến|quý|tháng|thàng|năm|thực hiện thường|thường xuyên|theo tiến độ|"
    r"theo lộ trình)\b|(?<![\w/])\d{1,2}/(?:\d{1,2}/)?\d{4}\b|(?<![\w/])20\d\d\b",
    re.IGNORECASE,
)
_OWN_START = re.compile(
    r"^(?:Hoàn thành trước|Ban hành trước|Thực hiện|Trong|Trước|Từ|Đến|Theo|Quý|Tháng|Thàng|"
    r"Năm|Thường|\d)"
)
_UNIT_OR_DIRECTIVE = re.compile(
    r"^(?:Bộ|Các|Văn phòng|VPCP|Ngân hàng|UBND|Ủy ban|Sở|Công an|Tòa án|Viện|Bảo hiểm|"
    r"Thanh tra|Tổ|NQ)\b|\bNQ(?: số)? \d+[;,]?\s*$"
)
# A unit name or "NQ 175" glued before a deadline; longer text is prose that mentions a date.
_SHORT_NAME = re.compile(r"[^.:()]{1,45}")
# Status and result columns that PDF extraction glues after the deadline.
_STATUS = re.compile(r"\s(?:Hoàn thành|HOÀN THÀNH|Đã|Chưa|Đang|Thực hiện thường xuyên)\b.*$")
# The status column "Thường xuyên" repeats the deadline "Thường xuyên".
_REPEATED = re.compile(r"^(.*thường xuyên)\s+thường xuyên$", re.IGNORECASE)
_PARENTHESIS = re.compile(r"\([^)]*(?:\)|$)")
# A line after one ending like this continues a date in prose or a directive.
_CONTINUES_DATE = re.compile(r"(?:ng(?:a?à|a)y|\bnăm|\bthứ|\bsố|[-–])\s*$")  # "CPngày", OCR "ngaày"
# Task and result columns run 45+ characters a line; a line after one of them continues it.
_CONTINUES_PROSE = re.compile(r"^.{45,}[^.;:)]$")
# A PDF cell goes on to the next line after these words, even when that line is capitalised.
_CONNECTOR_END = re.compile(
    r"(?:\b(?:thường|trước|tháng|năm|trong|của|số|và|do|tại|với|hoàn|Bộ|Công|trình|độ|quy|định|"
    r"triển|ngày|\(lộ)\s*|-)$",
    re.IGNORECASE,
)
# Lines that start another cell: a status column or a row number.
_CELL_END = re.compile(r"^(?:\d{1,3}$|Đã\b|Đang\b|Chưa\b|Hoàn thành\b|-)")
MAX_JOINED = 8


def _cut_prefix(text: str) -> str | None:
    """Drop a unit or directive glued before the deadline ("Bộ Công an Tháng 6/2023")."""
    if _OWN_START.match(text):
        return text
    for start in _START.finditer(text):
        prefix = text[: start.start()]
        if _CONTINUES_DATE.search(prefix):
            continue
        if _UNIT_OR_DIRECTIVE.search(prefix.strip()) and _SHORT_NAME.fullmatch(prefix.strip()):
            return text[start.start() :]
    return None


def _reads_as_deadline(text: str) -> bool:
    folded = fold(text)
    if _OPEN_WORDING.match(folded):
        return True
    words = _WORD.findall(fold(_PARENTHESIS.sub(" ", text)))
    if not words or not all(w in _VOCABULARY or _NUMBER.fullmatch(w) for w in words):
        return False
    return parse_deadline(text).kind != "unspecified"


def clean_candidate(fragment: str) -> str | None:
    """The deadline part of a cell or line, or None when it does not look like one."""
    text = " ".join(normalize(fragment).split()).rstrip(" .;,")
    text = _STATUS.sub("", text).rstrip(" .;,")
    text = _REPEATED.sub(r"\1", text)
    cut = _cut_prefix(text) if text else None
    if not cut or len(cut) > MAX_LEN or not _reads_as_deadline(cut):
        return None
    return cut


def plan_deadlines(lines: list[str]) -> list[tuple[int, str]]:
    """5th cell of each row in the plan's appendix (one cell per tab-prefixed line).

    That column holds the deadline whatever it says, so it is kept without filtering.
    """
    rows: list[list[tuple[int, str]]] = []
    for number, line in enumerate(lines, 1):
        if line.startswith("\t"):
            cell = line[1:]
            if re.fullmatch(r"\d{1,3}", cell.strip()):
                rows.append([])
            if rows:
                rows[-1].append((number, cell))
        elif rows and rows[-1] and line.strip():
            last_number, last = rows[-1][-1]
            rows[-1][-1] = (last_number, f"{last} {line}")
    cells = [row[4] for row in rows if len(row) > 4]
    return [(number, " ".join(normalize(cell).split())) for number, cell in cells if cell.strip()]


def tab_deadlines(lines: list[str]) -> list[tuple[int, str]]:
    """Cells of tab-delimited rows that read as a deadline (columns drift between rows)."""
    found = []
    for number, line in enumerate(lines, 1):
        if "\t" in line:
            found.extend((number, c) for c in map(clean_candidate, line.split("\t")) if c)
    return found


def pdf_deadlines(lines: list[str]) -> list[tuple[int, str]]:
    """Deadlines in PDF text, where one cell spans several lines.

    From each line, join the following lines while they continue the phrase (lower-case
    start, or the text so far ends with a connector) and keep the longest join that reads
    as a deadline; its lines are then used up.
    """
    kept = [(number, line.strip()) for number, line in enumerate(lines, 1) if line.strip()]
    found: list[tuple[int, str]] = []
    i = 0
    while i < len(kept):
        number, text = kept[i]
        previous = kept[i - 1][1] if i else ""
        if _CONTINUES_DATE.search(previous) or _CONTINUES_PROSE.search(previous):
            i += 1  # "… ngày" / "18/4/2024": a directive's date or a sentence, not a cell
            continue
        best, used = clean_candidate(text), 0
        for j in range(i + 1, min(i + 1 + MAX_JOINED, len(kept))):
            following = kept[j][1]
            if _CELL_END.match(following):
                break
            if not (following[0].islower() or _CONNECTOR_END.search(text)):
                break
            text = f"{text} {following}"
            candidate = clean_candidate(text)
            if candidate:
                best, used = candidate, j - i
        if best:
            found.append((number, best))
        i += used + 1
    return found


EXTRACTORS = {PLAN: plan_deadlines, LETTER: tab_deadlines} | dict.fromkeys(
    PDF_EXPORTS, pdf_deadlines
)


def collect(corpus: Path) -> dict[str, list[str]]:
    """Distinct deadline string -> where it occurs ("file:line")."""
    found: dict[str, list[str]] = {}
    for name, extract in EXTRACTORS.items():
        path = corpus / name
        if not path.exists():
            continue
        for number, text in extract(path.read_text(encoding="utf-8").split("\n")):
            found.setdefault(text, []).append(f"{name}:{number}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default="corpus", type=Path)
    parser.add_argument("--tsv", action="store_true", help="print text, kind, start, end rows")
    parser.add_argument("--where", action="store_true", help="show the first place each occurs")
    args = parser.parse_args()
    found = collect(args.corpus)
    kinds: Counter[str] = Counter()
    for text in sorted(found, key=lambda t: (fold(t), t)):
        deadline = parse_deadline(text)
        kinds[deadline.kind] += 1
        start = deadline.start.isoformat() if deadline.start else ""
        end = deadline.end.isoformat() if deadline.end else ""
        if args.tsv:
            print(f"{text}\t{deadline.kind}\t{start}\t{end}")
            continue
        where = f"  [{found[text][0]}]" if args.where else ""
        print(f"{len(found[text]):4d}  {deadline.kind:11s} {start:10s} {end:10s}  {text}{where}")
    if not args.tsv:
        summary = ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items()))
        print(f"\n{len(found)} distinct deadline strings: {summary}")


if __name__ == "__main__":
    main()
