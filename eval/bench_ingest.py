"""Benchmark: cold and warm (unchanged corpus) ingest of the shipped corpus, and the
structure parse of the whole corpus alone.

Each ingest run is a fresh process, so "cold" includes loading the embedding model and
"warm" shows what a re-ingest of an unchanged corpus costs. Prints seconds, chunk count and
peak memory (max RSS). Targets on a 2-core machine: cold < 60 s, warm < 3 s, parse < 2 s.

The parse (``ingest.structure.parse_blocks`` over every loaded document; loading is not
timed) also runs in a fresh process: its first pass fills the text caches, as an ingest does.

    python eval/bench_ingest.py [--corpus corpus] [--parse-only]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = """
import json, resource, sys, time
from pathlib import Path
from rag.settings import Settings
from ingest.build import ingest_corpus
started = time.perf_counter()
report = ingest_corpus(Settings(_env_file=None, corpus_dir=Path(sys.argv[1]), index_dir=Path(sys.argv[2])))
print(json.dumps({
    "seconds": round(time.perf_counter() - started, 2),
    "process_seconds": round(time.process_time(), 2),
    "skipped": report.skipped, "chunks": report.chunks, "tasks": report.tasks,
    "embedded": report.embedded, "reused": report.reused,
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
}))
"""


PARSE_CHILD = """
import json, sys, time
from pathlib import Path
from ingest.loaders import load_corpus
from ingest.structure import parse_blocks
documents, errors = load_corpus(Path(sys.argv[1]))
passes = []
for _ in range(int(sys.argv[2])):
    started = time.perf_counter()
    blocks = sum(len(parse_blocks(document)) for document in documents)
    passes.append(time.perf_counter() - started)
print(json.dumps({
    "documents": len(documents), "errors": len(errors), "blocks": blocks,
    "lines": sum(len(page.lines) for d in documents for page in d.pages),
    "first_seconds": round(passes[0], 3), "best_seconds": round(min(passes), 3),
}))
"""
PARSE_PASSES = 3
# Imports from this checkout, whatever the working directory of the run.
ROOT = Path(__file__).resolve().parents[1]


def _child(code: str, *args: str) -> dict:
    output = subprocess.run(
        [sys.executable, "-c", code, *args],
        check=True,
        capture_output=True,
        text=True,
        env={
            "HF_HUB_OFFLINE": "1",
            "ANONYMIZED_TELEMETRY": "False",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(ROOT),
        },
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def run(corpus: Path, index_dir: Path) -> dict:
    started = time.perf_counter()
    result = _child(CHILD, str(corpus), str(index_dir))
    result["command_seconds"] = round(time.perf_counter() - started, 2)
    return result


def parse_time(corpus: Path, passes: int = PARSE_PASSES) -> dict:
    """Seconds to find the structure of every document of ``corpus``: first and best pass."""
    return _child(PARSE_CHILD, str(corpus), str(passes))


def print_parse(result: dict) -> None:
    print(
        f"parse: {result['documents']} documents, {result['lines']} lines, "
        f"{result['blocks']} blocks; first pass {result['first_seconds']} s, "
        f"best of {PARSE_PASSES} {result['best_seconds']} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--parse-only", action="store_true", help="time the parse, skip ingest")
    args = parser.parse_args()
    print_parse(parse_time(args.corpus.resolve()))
    if args.parse_only:
        return
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = Path(tmp) / "index"
        cold = run(args.corpus.resolve(), index_dir)
        warm = run(args.corpus.resolve(), index_dir)
    print(
        f"{'run':<6} {'ingest s':>9} {'command s':>10} {'chunks':>7} {'tasks':>6} {'embedded':>9} {'peak RSS MB':>12}"
    )
    for name, result in (("cold", cold), ("warm", warm)):
        print(
            f"{name:<6} {result['seconds']:>9} {result['command_seconds']:>10} {result['chunks']:>7} "
            f"{result['tasks']:>6} {result['embedded']:>9} {result['peak_rss_mb']:>12}"
        )


if __name__ == "__main__":
    main()
