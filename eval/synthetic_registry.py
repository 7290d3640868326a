"""Synthetic registry questions: counts, lists by status/window/unit/group, overdue as of a
date, and cross-document comparisons, in several phrasings (with and without diacritics,
document and unit abbreviations).

Expected answers are computed here with SQL over ``tasks.sqlite`` — never by the answer
code — and an answer is right when it states the expected number ("12 nhiệm vụ") or, for a
comparison, both documents' values. Run: ``python eval/synthetic_registry.py [--n 400]``.
"""

from __future__ import annotations

import argparse
import random
import re
import sqlite3
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from rag.text import fold

SEED = 13
# How users name the task tables (the manifest's aliases plus the shorthand of issue 8).
DOCUMENT_NAMES = {
    "ke-hoach-de-an-06-tphcm-2024.txt": ["Kế hoạch 2024", "KH 2024", "phụ lục kế hoạch"],
    "phu-luc-1-ket-qua-nhiem-vu-tphcm-2024.txt": ["Phụ lục I", "PL1", "phụ lục 1"],
    "phu-luc-03-ket-qua-nhiem-vu-de-an-06.txt": ["Phụ lục 03", "PL 03", "phụ lục 3"],
}
STATUS_WORDS = {
    "hoàn thành": ["đã hoàn thành", "đã xong"],
    "chưa hoàn thành": ["chưa hoàn thành", "chưa xong"],
    "đang triển khai": ["đang triển khai", "đang thực hiện"],
    "thường xuyên": ["thực hiện thường xuyên"],
}
UNIT_NAMES = {
    "Công an Thành phố": ["Công an Thành phố", "CATP"],
    "Sở Thông tin và Truyền thông": ["Sở Thông tin và Truyền thông", "Sở TT&TT", "STTTT"],
    "Sở Tư pháp": ["Sở Tư pháp"],
    "Sở Y tế": ["Sở Y tế"],
    "Sở Nội vụ": ["Sở Nội vụ"],
    "Bộ Công an": ["Bộ Công an", "BCA"],
    "Văn phòng Chính phủ": ["Văn phòng Chính phủ", "VPCP"],
    "Bộ Thông tin và Truyền thông": ["Bộ Thông tin và Truyền thông", "Bộ TT&TT"],
}
QUARTERS = ["I", "II", "III", "IV"]
COMPARE_WORDS = 20


@dataclass(frozen=True)
class SyntheticItem:
    kind: str
    question: str
    must_contain: tuple[tuple[str, ...], ...]


def _variant(text: str, rng: random.Random) -> str:
    """Half of the questions lose their diacritics, as users type them."""
    return fold(text) if rng.random() < 0.5 else text


def _count(db: sqlite3.Connection, sql: str, params: tuple) -> int:
    return int(db.execute(sql, params).fetchone()[0])


def _count_answer(n: int) -> tuple[tuple[str, ...], ...]:
    return ((f" {n} nhiệm vụ", f":{n} nhiệm vụ"),)


def status_counts(db: sqlite3.Connection, rng: random.Random) -> list[SyntheticItem]:
    items = []
    templates = [
        "{doc} có bao nhiêu nhiệm vụ {status}?",
        "Trong {doc}, số nhiệm vụ {status} là bao nhiêu?",
        "Có mấy nhiệm vụ {status} trong {doc}?",
    ]
    for source, names in DOCUMENT_NAMES.items():
        for status, words in STATUS_WORDS.items():
            n = _count(
                db, "SELECT COUNT(*) FROM tasks WHERE source=? AND status=?", (source, status)
            )
            for template in templates:
                question = template.format(doc=rng.choice(names), status=rng.choice(words))
                items.append(
                    SyntheticItem("count_status", _variant(question, rng), _count_answer(n))
                )
    return items


def unit_counts(db: sqlite3.Connection, rng: random.Random) -> list[SyntheticItem]:
    items = []
    templates = {
        "lead": ["{unit} chủ trì bao nhiêu nhiệm vụ trong {doc}?", "Trong {doc}, {unit} chủ trì mấy nhiệm vụ?"],
        "coordinating": ["{unit} phối hợp bao nhiêu nhiệm vụ trong {doc}?"],
    }  # fmt: skip
    sql = (
        "SELECT COUNT(DISTINCT t.id) FROM tasks t JOIN task_units u ON u.task_id = t.id "
        "WHERE t.source=? AND u.unit=? AND u.role=?"
    )
    for source, names in DOCUMENT_NAMES.items():
        for unit, spellings in UNIT_NAMES.items():
            for role, role_templates in templates.items():
                n = _count(db, sql, (source, unit, role))
                if n == 0 and rng.random() < 0.7:
                    continue  # keep some zero counts, but mostly units that have tasks
                question = rng.choice(role_templates).format(
                    unit=rng.choice(spellings), doc=rng.choice(names)
                )
                items.append(SyntheticItem("count_unit", _variant(question, rng), _count_answer(n)))
    return items


def group_counts(db: sqlite3.Connection, rng: random.Random) -> list[SyntheticItem]:
    items = []
    rows = db.execute(
        "SELECT t.source, g.group_key, COUNT(*) FROM tasks t JOIN task_groups g ON g.task_id=t.id "
        "WHERE g.group_key != '' GROUP BY t.source, g.group_key, g.group_title"
    ).fetchall()
    for source, key, n in rows:
        if source not in DOCUMENT_NAMES:
            continue
        for template in (
            "Nhóm {key} của {doc} có bao nhiêu nhiệm vụ?",
            "{doc}: mục {key} gồm mấy nhiệm vụ?",
        ):
            question = template.format(key=key, doc=rng.choice(DOCUMENT_NAMES[source]))
            items.append(SyntheticItem("count_group", _variant(question, rng), _count_answer(n)))
    return items


def window_lists(db: sqlite3.Connection, rng: random.Random) -> list[SyntheticItem]:
    items = []
    templates = [
        "Những nhiệm vụ nào trong {doc} có hạn trong quý {q}/{y}?",
        "{doc} có bao nhiêu nhiệm vụ có thời hạn trong quý {q} năm {y}?",
    ]
    sql = (
        "SELECT COUNT(*) FROM tasks WHERE source=? AND deadline_kind IN ('date','range') "
        "AND deadline_end >= ? AND deadline_end <= ?"
    )
    ends = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
    for source, names in DOCUMENT_NAMES.items():
        for year in (2023, 2024):
            for quarter in (1, 2, 3, 4):
                first = date(year, 3 * quarter - 2, 1)
                last = date(year, *ends[quarter])
                n = _count(db, sql, (source, first.isoformat(), last.isoformat()))
                question = rng.choice(templates).format(
                    doc=rng.choice(names), q=QUARTERS[quarter - 1], y=year
                )
                items.append(SyntheticItem("window", _variant(question, rng), _count_answer(n)))
    return items


def overdue_counts(db: sqlite3.Connection, rng: random.Random) -> list[SyntheticItem]:
    items = []
    templates = [
        "Tính đến ngày {d}, {unit} có bao nhiêu nhiệm vụ đã quá hạn?",
        "Hôm nay là {d}, những nhiệm vụ nào do {unit} chủ trì đã trễ hạn?",
    ]
    sql = (
        "SELECT COUNT(DISTINCT t.id) FROM tasks t JOIN task_units u ON u.task_id = t.id "
        "WHERE u.unit=? AND u.role='lead' AND t.status != 'hoàn thành' "
        "AND t.deadline_kind IN ('date','range') AND t.deadline_end < ?"
    )
    for unit, spellings in UNIT_NAMES.items():
        for as_of in (date(2023, 12, 31), date(2024, 6, 30), date(2024, 8, 15)):
            n = _count(db, sql, (unit, as_of.isoformat()))
            day = f"{as_of.day}/{as_of.month}/{as_of.year}"
            question = rng.choice(templates).format(d=day, unit=rng.choice(spellings))
            items.append(SyntheticItem("overdue", _variant(question, rng), _count_answer(n)))
    return items


def comparisons(db: sqlite3.Connection, rng: random.Random) -> list[SyntheticItem]:
    """Linked rows of two task tables: the answer must give both documents' deadlines."""
    items = []
    rows = db.execute(
        "SELECT a.text, a.source, a.deadline_text, b.source, b.deadline_text FROM task_links l "
        "JOIN tasks a ON a.id = l.task_id JOIN tasks b ON b.id = l.other_id "
        "WHERE a.source < b.source AND a.deadline_text != '' AND b.deadline_text != ''"
    ).fetchall()
    rng.shuffle(rows)
    for text, source_a, deadline_a, source_b, deadline_b in rows[:40]:
        if source_a not in DOCUMENT_NAMES or source_b not in DOCUMENT_NAMES:
            continue
        # Enough words to name one task: many rows share their first dozen words
        # ("Kết nối, chia sẻ dữ liệu giữa CSDLQG về dân cư với …").
        words = " ".join(re.findall(r"[\wÀ-ỹ]+", text)[:COMPARE_WORDS])
        question = (
            f"Nhiệm vụ “{words}”: {rng.choice(DOCUMENT_NAMES[source_a])} và "
            f"{rng.choice(DOCUMENT_NAMES[source_b])} ghi thời hạn có giống nhau không?"
        )
        expected = ((_clean(deadline_a),), (_clean(deadline_b),))
        items.append(SyntheticItem("compare", _variant(question, rng), expected))
    return items


def _clean(text: str) -> str:
    return " ".join(text.split())[:40]


GENERATORS: list[Callable[[sqlite3.Connection, random.Random], list[SyntheticItem]]] = [
    status_counts, unit_counts, group_counts, window_lists, overdue_counts, comparisons,
]  # fmt: skip


def generate(db_path, seed: int = SEED) -> list[SyntheticItem]:
    rng = random.Random(seed)
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return [item for generator in GENERATORS for item in generator(db, rng)]
    finally:
        db.close()


def _canon(text: str) -> str:
    return " ".join(fold(text).split())


def is_right(answer: str, item: SyntheticItem) -> bool:
    text = f" {_canon(answer)}"
    return all(any(_canon(option) in text for option in group) for group in item.must_contain)


def score(items: list[SyntheticItem], ask: Callable[[str], str]) -> dict:
    by_kind: dict[str, list[bool]] = defaultdict(list)
    failures = []
    for item in items:
        answer = ask(item.question)
        right = is_right(answer, item)
        by_kind[item.kind].append(right)
        if not right:
            failures.append(
                {"question": item.question, "expected": item.must_contain, "answer": answer}
            )
    total = [r for results in by_kind.values() for r in results]
    return {
        "accuracy": round(sum(total) / len(total), 3) if total else 0.0,
        "count": len(total),
        "by_kind": {k: (round(sum(v) / len(v), 3), len(v)) for k, v in sorted(by_kind.items())},
        "failures": failures,
    }


def sample(items: list[SyntheticItem], n: int | None, seed: int = SEED) -> list[SyntheticItem]:
    if n is None or n >= len(items):
        return items
    return random.Random(seed).sample(items, n)


def main() -> None:
    from rag.assistant import Assistant
    from rag.index import TASKS_FILE
    from rag.settings import get_settings

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=None, help="sample size (default: all)")
    parser.add_argument("--show-failures", type=int, default=10)
    args = parser.parse_args()
    assistant = Assistant.load(get_settings(), dense=False)
    items = sample(generate(assistant.files.path / TASKS_FILE), args.n)
    result = score(items, lambda q: assistant.ask(q).answer)
    print(f"synthetic registry questions: {result['count']}, accuracy {result['accuracy']}")
    for kind, (accuracy, n) in result["by_kind"].items():
        print(f"  {kind:14s} {accuracy:.3f}  ({n})")
    for failure in result["failures"][: args.show_failures]:
        print(
            "FAIL",
            failure["question"],
            "| expected",
            failure["expected"],
            "|",
            failure["answer"][:200],
        )


if __name__ == "__main__":
    main()
