"""Benchmark: task-record extraction against the hand-checked sample.

Runs the real pipeline (load -> parse_blocks -> extract_tasks) on the corpus, matches each
sample row by (source, line_start), falling back to the row number, and prints per-document
field accuracy over lead units, coordinating units, directives, deadline (kind + end
date), status and, for the plan, product; then the mismatches. Always exits 0.

Comparison rules: units as sets of folded names; directives as the set of one key per
document (its number with a slash such as ``836/TB-TCTTKĐA``, else type + number such as
``chi thi 05``, else the folded text); deadline by kind and end date; status exactly;
product by folded text.

Sample status convention (``eval/data/tasks_sample.jsonl``): the PDF exports lose which
results column a cell sat in, so a row reads "hoàn thành" / "chưa hoàn thành" / "đang
triển khai" / "thường xuyên" from its status words (a trailing "Thường xuyên" is the last
column), "hoàn thành" for "đã ..." or a named document, else "thường xuyên" when the
deadline is only recurring, else "unknown"; the plan has no results column.

    python eval/task_extraction.py [--corpus corpus] [--sample eval/data/tasks_sample.jsonl] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from rag.schemas import TaskRecord
from rag.text import fold

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SAMPLE = ROOT / "eval" / "data" / "tasks_sample.jsonl"
DEFAULT_CORPUS = ROOT / "corpus"
FIELDS = ("lead_units", "coordinating_units", "directives", "deadline", "status", "product")

_NUMBER = re.compile(r"\d+\s*/\s*[A-ZĐ][\wĐđ-]*")
_TYPE_NUMBER = re.compile(
    r"^(nghi quyet|nghi dinh|chi thi|cong van|thong bao|van ban|quyet dinh|ket luan|"
    r"cong dien|nq|nd|ct|tb|qd)\s*(?:so\s*)?(\d+)"
)
_ABBREVIATIONS = {
    "nq": "nghi quyet",
    "nd": "nghi dinh",
    "ct": "chi thi",
    "tb": "thong bao",
    "qd": "quyet dinh",
}


def load_sample(path: Path) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def extract_corpus(corpus_dir: Path, sources: Iterable[str]) -> dict[str, list[TaskRecord]]:
    """Task records of the named corpus files, through the real ingest steps."""
    from ingest.loaders import document_title, load_document, read_manifest
    from ingest.structure import parse_blocks
    from ingest.tasks import extract_tasks

    manifest = read_manifest(corpus_dir)
    out = {}
    for source in sorted(set(sources)):
        doc = load_document(corpus_dir / source, corpus_dir)
        out[source] = extract_tasks(doc, parse_blocks(doc), document_title(source, manifest))
    return out


# --- comparison --------------------------------------------------------------------------------


def unit_key(names: Iterable[str]) -> frozenset[str]:
    return frozenset(" ".join(fold(name).split()) for name in names if name.strip())


def directive_key(text: str) -> str:
    """One key per document: '836/TB-TCTTKĐA', else 'chi thi 05', else the folded text."""
    number = _NUMBER.search(text)
    if number:
        return fold(re.sub(r"\s+", "", number.group(0))).upper()
    folded = " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split())
    typed = _TYPE_NUMBER.match(folded.lstrip("- "))
    if typed:
        kind = _ABBREVIATIONS.get(typed.group(1), typed.group(1))
        return f"{kind} {int(typed.group(2))}"
    return folded


def directives_key(items: Iterable[str]) -> frozenset[str]:
    return frozenset(directive_key(item) for item in items if item.strip())


def _text_key(value: str | None) -> str:
    return " ".join(fold(value or "").split())


def expected_values(row: Mapping) -> dict[str, object]:
    return {
        "lead_units": unit_key(row["lead_units"]),
        "coordinating_units": unit_key(row["coordinating_units"]),
        "directives": directives_key(row["directives"]),
        "deadline": (row["deadline_kind"], row["deadline_end"]),
        "status": row["status"],
        "product": _text_key(row.get("product")),
    }


def actual_values(task: TaskRecord) -> dict[str, object]:
    end = task.deadline.end.isoformat() if task.deadline.end else None
    return {
        "lead_units": unit_key(task.lead_units),
        "coordinating_units": unit_key(task.coordinating_units),
        "directives": directives_key(task.directives),
        "deadline": (task.deadline.kind, end),
        "status": task.status,
        "product": _text_key(task.product),
    }


def fields_of(row: Mapping) -> tuple[str, ...]:
    """Product is a plan column; the results appendices have none."""
    return FIELDS if "product" in row else FIELDS[:-1]


def match_task(row: Mapping, tasks: Sequence[TaskRecord]) -> TaskRecord | None:
    """The task at the row's first line, else the task with its number nearest that line
    (numbering restarts per group, so a number alone is ambiguous)."""
    for task in tasks:
        if task.line_start == row["line_start"]:
            return task
    same_number = [t for t in tasks if t.row == str(row["row"])]
    if not same_number:
        return None
    return min(same_number, key=lambda t: abs(t.line_start - row["line_start"]))


# --- scoring -----------------------------------------------------------------------------------


def score(sample: Sequence[Mapping], tasks_by_source: Mapping[str, Sequence[TaskRecord]]) -> dict:
    """Per-document and overall field accuracy, per-field accuracy and the mismatches."""
    documents: dict[str, dict] = {}
    mismatches: list[dict] = []
    for row in sample:
        source = row["source"]
        doc = documents.setdefault(
            source, {"rows": 0, "unmatched": 0, "checks": 0, "correct": 0, "fields": {}}
        )
        doc["rows"] += 1
        task = match_task(row, tasks_by_source.get(source, []))
        expected = expected_values(row)
        actual = actual_values(task) if task else {}
        if task is None:
            doc["unmatched"] += 1
        for field in fields_of(row):
            ok = task is not None and actual[field] == expected[field]
            counts = doc["fields"].setdefault(field, [0, 0])
            counts[0] += int(ok)
            counts[1] += 1
            doc["checks"] += 1
            doc["correct"] += int(ok)
            if not ok:
                mismatches.append(_mismatch(row, field, expected[field], actual.get(field)))
    return _summary(documents, mismatches)


def _mismatch(row: Mapping, field: str, expected: object, actual: object) -> dict:
    return {
        "source": row["source"],
        "row": row["row"],
        "line_start": row["line_start"],
        "field": field,
        "expected": _plain(expected),
        "actual": _plain(actual),
    }


def _plain(value: object) -> object:
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def _summary(documents: dict[str, dict], mismatches: list[dict]) -> dict:
    checks = sum(d["checks"] for d in documents.values())
    correct = sum(d["correct"] for d in documents.values())
    per_document = {
        source: {
            "rows": d["rows"],
            "unmatched": d["unmatched"],
            "accuracy": round(d["correct"] / d["checks"], 4) if d["checks"] else 0.0,
            "fields": {f: round(ok / n, 4) for f, (ok, n) in d["fields"].items()},
        }
        for source, d in sorted(documents.items())
    }
    return {
        "documents": per_document,
        "overall": round(correct / checks, 4) if checks else 0.0,
        "rows": sum(d["rows"] for d in documents.values()),
        "mismatches": mismatches,
    }


def run(corpus_dir: Path = DEFAULT_CORPUS, sample_path: Path = DEFAULT_SAMPLE) -> dict:
    sample = load_sample(sample_path)
    tasks = extract_corpus(corpus_dir, (row["source"] for row in sample))
    return score(sample, tasks)


def _print_report(report: dict) -> None:
    print(f"{'document':<46} {'rows':>5} {'accuracy':>9}  fields")
    for source, doc in report["documents"].items():
        fields = " ".join(f"{f.split('_')[0]}={v:.2f}" for f, v in doc["fields"].items())
        print(f"{source:<46} {doc['rows']:>5} {doc['accuracy']:>9.3f}  {fields}")
    print(f"{'overall':<46} {report['rows']:>5} {report['overall']:>9.3f}")
    if report["mismatches"]:
        print(f"\n{len(report['mismatches'])} mismatches:")
    for item in report["mismatches"]:
        print(
            f"  {item['source']} row {item['row']} (line {item['line_start']}) {item['field']}: "
            f"expected {item['expected']!r}, got {item['actual']!r}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sample", type=Path, default=DEFAULT_SAMPLE)
    parser.add_argument("--json", action="store_true", help="print a machine-readable summary")
    args = parser.parse_args(argv)
    report = run(args.corpus, args.sample)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
