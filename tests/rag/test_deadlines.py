"""Deadline parsing: every deadline string of the corpus tables, plus the formats around them."""

from __future__ import annotations

import csv
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from eval.collect_deadlines import collect
from rag.deadlines import deadline_end, parse_deadline, parse_iso_date
from rag.text import fold, normalize

TABLE = Path(__file__).parent / "data" / "deadlines.tsv"
CORPUS = Path(__file__).parents[2] / "corpus"


def _corpus_rows() -> list[tuple[str, str, date | None, date | None]]:
    lines = [
        line for line in TABLE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    rows = []
    for record in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        start = date.fromisoformat(record["start"]) if record["start"] else None
        end = date.fromisoformat(record["end"]) if record["end"] else None
        rows.append((record["text"], record["kind"], start, end))
    return rows


CORPUS_ROWS = _corpus_rows()


def test_table_holds_the_corpus_strings():
    texts = [row[0] for row in CORPUS_ROWS]
    assert len(texts) == len(set(texts)) > 150
    assert {"Quý II/2024", "Tháng 06 và tháng 12/2024", "2022- Thường xuyên"} <= set(texts)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not present")
def test_table_covers_every_deadline_string_the_collector_finds():
    missing = set(collect(CORPUS)) - {row[0] for row in CORPUS_ROWS}
    assert not missing, "add to deadlines.tsv with a checked parse: " + "; ".join(sorted(missing))


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"), CORPUS_ROWS, ids=[r[0] for r in CORPUS_ROWS]
)
def test_corpus_deadline(text, kind, start, end):
    deadline = parse_deadline(text)
    assert (deadline.kind, deadline.start, deadline.end) == (kind, start, end)
    assert deadline.text == normalize(text)


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"), CORPUS_ROWS, ids=[r[0] for r in CORPUS_ROWS]
)
def test_corpus_deadline_nfd_folded_and_upper(text, kind, start, end):
    for variant in (unicodedata.normalize("NFD", text), fold(text), text.upper()):
        deadline = parse_deadline(variant)
        assert (deadline.kind, deadline.start, deadline.end) == (kind, start, end), variant


D = date


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("quý 1/2024", "range", D(2024, 1, 1), D(2024, 3, 31)),
        ("Quý 4 năm 2023", "range", D(2023, 10, 1), D(2023, 12, 31)),
        ("Tháng 06/2024", "range", D(2024, 6, 1), D(2024, 6, 30)),
        ("tháng 10 năm 2024", "range", D(2024, 10, 1), D(2024, 10, 31)),
        ("trước 30/11/2023", "date", D(2023, 11, 30), D(2023, 11, 30)),
        ("Trước ngày 17/6/2024", "date", D(2024, 6, 17), D(2024, 6, 17)),
        ("trước ngày 30 tháng 5 năm 2024", "date", D(2024, 5, 30), D(2024, 5, 30)),
        ("6 tháng đầu năm 2024", "range", D(2024, 1, 1), D(2024, 6, 30)),
        ("06 tháng cuối năm 2024", "range", D(2024, 7, 1), D(2024, 12, 31)),
        ("Từ tháng 3/2024", "recurring", D(2024, 3, 1), None),
        ("Từ tháng 3/2024 đến tháng 6/2024", "range", D(2024, 3, 1), D(2024, 6, 30)),
        ("Quý II/2024 và thường xuyên", "range", D(2024, 4, 1), D(2024, 6, 30)),
        # The national appendix also writes a dot between quarter and year.
        ("Quý II.2024", "range", D(2024, 4, 1), D(2024, 6, 30)),
        ("Bộ Công an Quý II.2024", "range", D(2024, 4, 1), D(2024, 6, 30)),
        ("Quý III. 2024", "range", D(2024, 7, 1), D(2024, 9, 30)),
        ("Quý III, IV.2024", "range", D(2024, 7, 1), D(2024, 12, 31)),
        ("Theo tiến độ ...", "unspecified", None, None),
        ("Theo lộ trình ...", "unspecified", None, None),
        ("Theo lịch công tác", "unspecified", None, None),
        (
            "Theo lịch công tác của Phó Thủ tướng Vũ Đức Đam và kế hoạch của các bộ, cơ quan",
            "unspecified",
            None,
            None,
        ),
        ("Trong quá trình thực hiện", "unspecified", None, None),
        ("Hằng năm", "recurring", None, None),
        # "Đầu tư" folds to "dau tu", which must not read as "từ" (from).
        ("Bộ Kế hoạch và Đầu tư 12/2023", "range", D(2023, 12, 1), D(2023, 12, 31)),
        # A document's own date is not a deadline.
        ("Thông báo 1186/TCTTKĐA ngày 23/02/2024", "unspecified", None, None),
        ("Chỉ thị 05, ngày 23/2/2023", "unspecified", None, None),
        ("30/2/2023", "unspecified", None, None),
        ("Tháng 13/2024", "unspecified", None, None),
        ("", "unspecified", None, None),
        ("   \n ", "unspecified", None, None),
        ("Sở Thông tin và Truyền thông", "unspecified", None, None),
        ("Quyết định 06/QĐ-TTg", "unspecified", None, None),
    ],
)
def test_other_formats(text, kind, start, end):
    deadline = parse_deadline(text)
    assert (deadline.kind, deadline.start, deadline.end) == (kind, start, end)


@pytest.mark.parametrize(
    ("text", "ranges"),
    [
        (
            "Tháng 06 và tháng 12/2024",
            [(D(2024, 6, 1), D(2024, 6, 30)), (D(2024, 12, 1), D(2024, 12, 31))],
        ),
        (
            "Quý III, IV/2024",
            [(D(2024, 7, 1), D(2024, 9, 30)), (D(2024, 10, 1), D(2024, 12, 31))],
        ),
        ("Quý II/2024", [(D(2024, 4, 1), D(2024, 6, 30))]),
        ("1/7/2024", [(D(2024, 7, 1), D(2024, 7, 1))]),
        ("Thường xuyên", []),
        ("2022- Thường xuyên", []),
        ("Theo tiến độ quy định", []),
    ],
)
def test_ranges(text, ranges):
    assert parse_deadline(text).ranges == ranges


def test_several_periods_span_first_start_to_last_end():
    deadline = parse_deadline("Quý III, IV/2024")
    assert (deadline.kind, deadline.start, deadline.end) == (
        "range",
        D(2024, 7, 1),
        D(2024, 12, 31),
    )


@pytest.mark.parametrize(
    "odd", [None, "2024-2023", "99/99/9999", "quý V/2024", "tháng/2024", "\x00", "ừ" * 5000]
)
def test_odd_input_never_raises(odd):
    assert parse_deadline(odd).kind in {"date", "range", "recurring", "unspecified"}


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("Quý II/2024", D(2024, 6, 30)),
        ("15/02/2024", D(2024, 2, 15)),
        ("Từ Quý IV/2024", None),
        ("Thường xuyên", None),
    ],
)
def test_deadline_end(text, end):
    assert deadline_end(parse_deadline(text)) == end


def test_parse_iso_date():
    assert parse_iso_date(" 2024-06-30 ") == D(2024, 6, 30)


@pytest.mark.parametrize("bad", ["", "30/06/2024", "2024-6-30", "20240630", "2024-02-30", "soon"])
def test_parse_iso_date_rejects_with_message(bad):
    with pytest.raises(ValueError, match="invalid date"):
        parse_iso_date(bad)
