"""Benchmark: cold and warm (unchanged corpus) ingest of the shipped corpus.

Each run is a fresh process, so "cold" includes loading the embedding model and "warm"
shows what a re-ingest of an unchanged corpus costs. Prints seconds, chunk count and peak
memory (max RSS). Target on a 2-core machine: cold < 60 s, warm < 3 s.

    python eval/bench_ingest.py [--corpus corpus]
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


def run(corpus: Path, index_dir: Path) -> dict:
    started = time.perf_counter()
    output = subprocess.run(
        [sys.executable, "-c", CHILD, str(corpus), str(index_dir)],
        check=True,
        capture_output=True,
        text=True,
        env={"HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "PATH": "/usr/bin:/bin"},
    )
    result = json.loads(output.stdout.strip().splitlines()[-1])
    result["command_seconds"] = round(time.perf_counter() - started, 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    args = parser.parse_args()
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
