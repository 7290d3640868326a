"""Same question, same answer: fresh processes with different hash seeds and torch thread
counts answer every dev and dev-b question identically on the same index."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLD = [ROOT / "eval" / "dev.jsonl", ROOT / "eval" / "dev-b.jsonl"]


def _answers_hash(index_dir: Path, hash_seed: str, threads: str) -> str:
    env = {
        **os.environ,
        "PYTHONHASHSEED": hash_seed,
        "OMP_NUM_THREADS": threads,
        "MKL_NUM_THREADS": threads,
        "HF_HUB_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
    }
    command = [sys.executable, "-m", "eval.answer_hash", "--index-dir", str(index_dir)]
    result = subprocess.run(
        [*command, *map(str, GOLD)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def test_three_processes_give_identical_answers(corpus_settings) -> None:
    missing = [p for p in GOLD if not p.exists()]
    if missing:
        pytest.fail(f"gold files missing: {missing}")
    hashes = {
        _answers_hash(corpus_settings.index_dir, seed, threads)
        for seed, threads in (("0", "1"), ("1234", "2"), ("random", "1"))
    }
    assert len(hashes) == 1
