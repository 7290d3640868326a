"""Scale test: a corpus fifty times the shipped one, ingested cold, then queried.

Writes the shipped documents plus ``--copies`` varied copies of each (``eval/corpus_variants.py``)
to ``OUT/corpus``, ingests them in a fresh process (cold: model load included), and reports
ingest seconds, peak RSS, index size on disk, query-time RSS, single-client answer latency
(p50/p95) and, on each gold file, how many answers are correct and cite a shipped document and
how many cite a copy at all.

    python eval/scale.py [--copies 49] [--out var/scale] [--gold eval/dev.jsonl ...]

Long-running (tens of minutes on two cores: every copy's chunks are embedded).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from eval.corpus_variants import copy_name, vary_manifest_entry, vary_text
from eval.loadtest import percentile, process_tree_rss_mb
from eval.runner import contains_all, covers, load_gold

MANIFEST = "manifest.json"

# The ingest child of eval/bench_ingest.py, plus when each stage (parse, embed) first and last
# reported: the gap between parsing and embedding is the registry, task links and bm25 build.
INGEST_CHILD = """
import json, resource, sys, time
from pathlib import Path
from rag.settings import Settings
from ingest.build import ingest_corpus
started = time.perf_counter()
stages = {}
def progress(stage, done, total):
    now = round(time.perf_counter() - started, 1)
    stages.setdefault(stage, [now, now])[1] = now
report = ingest_corpus(
    Settings(_env_file=None, corpus_dir=Path(sys.argv[1]), index_dir=Path(sys.argv[2])),
    progress=progress,
)
print(json.dumps({
    "seconds": round(time.perf_counter() - started, 2),
    "process_seconds": round(time.process_time(), 2),
    "skipped": report.skipped, "chunks": report.chunks, "tasks": report.tasks,
    "embedded": report.embedded, "reused": report.reused,
    "stages_s": stages,
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
}))
"""


def write_corpus(shipped: Path, target: Path, copies: int) -> int:
    """The shipped files and their copies in ``target``; returns the number of documents."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    manifest = json.loads((shipped / MANIFEST).read_text(encoding="utf-8"))
    combined = dict(manifest)
    sources = sorted(p for p in shipped.iterdir() if p.is_file() and p.name != MANIFEST)
    for path in sources:
        shutil.copy2(path, target / path.name)
        text = path.read_text(encoding="utf-8")
        for copy in range(1, copies + 1):
            name = copy_name(path.name, copy)
            (target / name).write_text(vary_text(text, copy), encoding="utf-8")
            if path.name in manifest:
                combined[name] = vary_manifest_entry(manifest[path.name], copy)
    (target / MANIFEST).write_text(json.dumps(combined, ensure_ascii=False, indent=1), "utf-8")
    return len(sources) * (copies + 1)


def cold_ingest(corpus: Path, index_dir: Path) -> dict:
    """Ingest in a fresh process (no embedding cache), as ``eval/bench_ingest.py`` does."""
    started = time.perf_counter()
    output = subprocess.run(
        [sys.executable, "-c", INGEST_CHILD, str(corpus), str(index_dir)],
        check=True,
        capture_output=True,
        text=True,
        env={
            "HF_HUB_OFFLINE": "1",
            "ANONYMIZED_TELEMETRY": "False",
            "PATH": "/usr/bin:/bin",
            # Same thread count as the querying parent (set it to share a loaded machine).
            **{k: v for k, v in os.environ.items() if k == "OMP_NUM_THREADS"},
        },
    )
    result = json.loads(output.stdout.strip().splitlines()[-1])
    result["command_seconds"] = round(time.perf_counter() - started, 1)
    return result


def directory_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def query(index_dir: Path, gold_files: list[Path], shipped: set[str]) -> dict:
    from rag.assistant import Assistant
    from rag.settings import Settings

    settings = Settings(_env_file=None, index_dir=index_dir, rate_limit_per_minute=0)
    started = time.perf_counter()
    assistant = Assistant.load(settings)
    assistant.warm_up()
    load_s = time.perf_counter() - started
    latencies: list[float] = []
    per_gold = {}
    for gold in gold_files:
        items = load_gold(gold)
        correct = from_shipped = cites_copy = 0
        for item in items:
            began = time.perf_counter()
            answer = assistant.ask(item.question)
            latencies.append((time.perf_counter() - began) * 1000)
            # Every gold question is about the shipped documents: a copy cited is a look-alike
            # taking the answer (or part of it).
            cites_copy += any(c.source not in shipped for c in answer.citations)
            if not item.answerable:
                correct += answer.abstained
                continue
            right = not answer.abstained and contains_all(answer.answer, item.must_contain)
            correct += right
            from_shipped += right and any(
                c.source in shipped and covers(c, item) for c in answer.citations
            )
        answerable = sum(i.answerable for i in items)
        per_gold[gold.name] = {
            "n": len(items),
            "accuracy": round(correct / len(items), 3),
            "correct_and_cited_from_shipped": round(from_shipped / max(1, answerable), 3),
            "answers_citing_a_copy": cites_copy,
        }
    return {
        "load_and_warm_up_s": round(load_s, 1),
        "chunks": len(assistant.files.chunks),
        "query_p50_ms": round(statistics.median(latencies), 1),
        "query_p95_ms": round(percentile(latencies, 0.95), 1),
        "rss_mb": round(sum(process_tree_rss_mb(os.getpid()).values()), 0),
        "gold": per_gold,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=49)
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--out", type=Path, default=Path("var/scale"))
    parser.add_argument("--gold", type=Path, action="append")
    parser.add_argument("--skip-ingest", action="store_true", help="reuse OUT/index")
    args = parser.parse_args()
    gold_files = args.gold or [Path("eval/dev.jsonl")]
    corpus, index_dir = args.out / "corpus", args.out / "index"
    shipped = {p.name for p in args.corpus.iterdir() if p.name != MANIFEST}
    report: dict = {"copies": args.copies}
    if not args.skip_ingest:
        report["documents"] = write_corpus(args.corpus, corpus, args.copies)
        report["corpus_mb"] = round(directory_mb(corpus), 1)
        if index_dir.exists():
            shutil.rmtree(index_dir)
        report["ingest"] = cold_ingest(corpus.resolve(), index_dir.resolve())
    report["index_mb"] = round(directory_mb(index_dir), 1)
    report["query"] = query(index_dir, gold_files, shipped)
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
