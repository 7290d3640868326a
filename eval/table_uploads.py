"""Benchmark: the shipped task tables uploaded as PDF and DOCX files, read back as tasks.

For the plan's appendix, Phụ lục I and Phụ lục 03, the rows are taken from the text
exports (through the real pipeline), rebuilt as a ruled PDF, an unruled PDF (both
landscape, header repeated on every page, rows running over page breaks, page numbers)
and a DOCX table with merged group rows (``eval/table_documents.py``), then loaded,
parsed and turned into task records like any upload. A row matches when its lead units,
coordinating units (as sets of folded names) and deadline (kind and end date) equal those
of the same row from the text export; rows are paired by their task text (in order,
where a text recurs).

    python eval/table_uploads.py [--corpus corpus] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from eval.table_documents import SourceTable, plan_table, results_table, table_docx, table_pdf
from eval.task_extraction import extract_corpus, unit_key
from ingest.loaders import document_title, load_document, read_manifest
from ingest.structure import parse_blocks
from ingest.tasks import extract_tasks
from rag.schemas import TaskRecord
from rag.text import fold

ROOT = Path(__file__).resolve().parents[1]
TABLES: dict[str, Callable[[str, Sequence[TaskRecord]], SourceTable]] = {
    "ke-hoach-de-an-06-tphcm-2024.txt": plan_table,
    "phu-luc-1-ket-qua-nhiem-vu-tphcm-2024.txt": results_table,
    "phu-luc-03-ket-qua-nhiem-vu-de-an-06.txt": results_table,
}
FORMATS: dict[str, Callable[[SourceTable], bytes]] = {
    "pdf-ruled": lambda table: table_pdf(table, ruled=True),
    "pdf-unruled": lambda table: table_pdf(table, ruled=False),
    # Header printed on the first page only (Word repeats it only when asked to).
    "pdf-ruled-1hdr": lambda table: table_pdf(table, ruled=True, repeat_header=False),
    "pdf-unruled-1hdr": lambda table: table_pdf(table, ruled=False, repeat_header=False),
    "docx": table_docx,
}
FIELDS = ("lead_units", "coordinating_units", "deadline")


def text_key(text: str) -> str:
    return " ".join(fold(text).split())[:80]


def field_value(task: TaskRecord, name: str) -> object:
    if name == "deadline":
        return task.deadline.kind, task.deadline.end
    return unit_key(getattr(task, name))


def uploaded_tasks(data: bytes, name: str) -> list[TaskRecord]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        doc = load_document(path, Path(folder))
        return extract_tasks(doc, parse_blocks(doc), document_title(name, {}))


def compare(expected: Sequence[TaskRecord], found: Sequence[TaskRecord]) -> dict:
    # The same task text recurs under several groups (one row per ministry): pair the
    # n-th expected row of a text with the n-th found row of that text.
    by_text: dict[str, list[TaskRecord]] = {}
    for task in found:
        by_text.setdefault(text_key(task.text), []).append(task)
    matched = dict.fromkeys(FIELDS, 0)
    all_match = 0
    missing = 0
    for task in expected:
        candidates = by_text.get(text_key(task.text))
        if not candidates:
            missing += 1
            continue
        other = candidates.pop(0)
        same = [f for f in FIELDS if field_value(task, f) == field_value(other, f)]
        for name in same:
            matched[name] += 1
        all_match += len(same) == len(FIELDS)
    total = len(expected) or 1
    return {
        "rows": len(expected),
        "found": len(found),
        "missing": missing,
        "share": round(all_match / total, 3),
        **{name: round(count / total, 3) for name, count in matched.items()},
    }


def run(corpus_dir: Path) -> list[dict]:
    manifest = read_manifest(corpus_dir)
    exports = extract_corpus(corpus_dir, TABLES)
    results = []
    for source, build in TABLES.items():
        expected = [t for t in exports[source] if t.text]
        table = build(document_title(source, manifest), expected)
        for fmt, render in FORMATS.items():
            name = Path(source).stem + (".docx" if fmt == "docx" else ".pdf")
            found = uploaded_tasks(render(table), name)
            results.append({"source": source, "format": fmt, **compare(expected, found)})
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = run(args.corpus)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    print(f"{'source':45} {'format':17} rows found share lead coord deadline")
    for r in results:
        print(
            f"{r['source']:45} {r['format']:17} {r['rows']:4} {r['found']:5} {r['share']:5.3f}"
            f" {r['lead_units']:.3f} {r['coordinating_units']:.3f} {r['deadline']:.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
