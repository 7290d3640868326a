"""Fault probe on loopback: load, uploads, deletes, a kill -9 mid-job, restart.

Starts the API (uvicorn, one worker) on 127.0.0.1 over a private copy of two corpus
documents, runs ``--clients`` threads for ``--seconds`` (readers ask/search/list tasks;
writers upload small documents and delete them again), kills the server with SIGKILL
while a document job is running, restarts it, and prints: requests, non-2xx (and
connection errors while the server was down), p95 latency, open fds and RSS of each
server process at its start and end, and which documents survived.

    .venv/bin/python eval/fault.py [--clients 16] [--seconds 60]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = (
    "bao-cao-so-ket-6-thang-2023-tphcm.txt",
    "cong-van-4709-de-cuong-so-ket-6-thang-2024.txt",
)
ADMIN = "khoa-quan-tri-fault"
QUESTIONS = (
    "Ai chủ trì rà soát bộ phận một cửa?",
    "số lượng Căn cước công dân đã được đồng bộ với thẻ Bảo hiểm y tế",
    "Xếp hạng cấp Bộ có cung cấp dịch vụ công",
)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    codes: dict[int, int] = field(default_factory=dict)
    down: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, code: int, seconds: float) -> None:
        with self.lock:
            self.codes[code] = self.codes.get(code, 0) + 1
            self.latencies.append(seconds)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def process_usage(pid: int) -> tuple[int, float]:
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    rss = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1]) / 1024
    return fds, rss


class Server:
    def __init__(self, env: dict, port: int, log: Path) -> None:
        self.env, self.port, self.log = env, port, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory",
                   "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"]  # fmt: skip
        self.process = subprocess.Popen(
            command, env=self.env, cwd=ROOT, stdout=self.log.open("ab"), stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise SystemExit("server did not start; see " + str(self.log))

    def usage(self) -> tuple[int, float]:
        assert self.process is not None
        return process_usage(self.process.pid)

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


def reader(base: str, tally: Tally, stop: threading.Event, seed: int) -> None:
    rng = random.Random(seed)
    with httpx.Client(base_url=base, timeout=30, headers={"X-API-Key": ADMIN}) as http:
        while not stop.is_set():
            kind = rng.choice(("ask", "search", "tasks", "health"))
            started = time.perf_counter()
            try:
                if kind == "ask":
                    response = http.post("/v1/ask", json={"question": rng.choice(QUESTIONS)})
                elif kind == "search":
                    response = http.get("/v1/search", params={"q": rng.choice(QUESTIONS)})
                elif kind == "tasks":
                    response = http.get("/v1/tasks", params={"limit": 5})
                else:
                    response = http.get("/healthz")
            except httpx.HTTPError:
                with tally.lock:
                    tally.down += 1
                time.sleep(0.2)
                continue
            tally.add(response.status_code, time.perf_counter() - started)


def writer(base: str, tally: Tally, stop: threading.Event, number: int, outcomes: list) -> None:
    with httpx.Client(base_url=base, timeout=30, headers={"X-API-Key": ADMIN}) as http:
        round_ = 0
        while not stop.is_set():
            round_ += 1
            name = f"ghi-chu-{number}-{round_}.txt"
            text = f"Ghi chú {number}.{round_}: Sở Nội vụ chủ trì rà soát quy trình số {round_}.\n"
            try:
                started = time.perf_counter()
                response = http.post("/v1/documents", files={"file": (name, text.encode())})
                tally.add(response.status_code, time.perf_counter() - started)
                if response.status_code != 202:
                    continue
                job = _wait(http, response.json()["status_url"], stop)
                outcomes.append(("add", name, job.get("state"), job.get("error")))
                if job.get("state") == "done" and round_ % 2 == 0:
                    started = time.perf_counter()
                    gone = http.delete(f"/v1/documents/{name}")
                    tally.add(gone.status_code, time.perf_counter() - started)
                    if gone.status_code == 202:
                        job = _wait(http, gone.json()["status_url"], stop)
                        outcomes.append(("delete", name, job.get("state"), job.get("error")))
            except httpx.HTTPError:
                with tally.lock:
                    tally.down += 1
                time.sleep(0.5)


def _wait(http: httpx.Client, url: str, stop: threading.Event) -> dict:
    while True:
        try:
            body = http.get(url).json()
        except httpx.HTTPError:
            time.sleep(0.5)
            continue
        if body.get("state") in ("done", "failed") or "job_id" not in body:
            return body
        time.sleep(0.3)


def wait_for_running_job(base: str, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    with httpx.Client(base_url=base, timeout=5, headers={"X-API-Key": ADMIN}) as http:
        while time.monotonic() < deadline:
            jobs = http.get("/v1/jobs", params={"limit": 5}).json()["jobs"]
            if any(j["state"] == "running" for j in jobs):
                return True
            time.sleep(0.1)
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="da06-fault-"))
    corpus = work / "corpus"
    corpus.mkdir()
    for name in DOCUMENTS:
        shutil.copy(ROOT / "corpus" / name, corpus / name)
    env = {**os.environ, "DA06_CORPUS_DIR": str(corpus), "DA06_INDEX_DIR": str(work / "index"),
           "DA06_API_KEYS": f"{ADMIN}:admin", "DA06_RATE_LIMIT_PER_MINUTE": "0",
           "DA06_EMBEDDING_CACHE": str(ROOT / "var" / "test-cache" / "embedding-cache.sqlite"),
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}  # fmt: skip
    subprocess.run([str(Path(sys.executable).parent / "da06"), "ingest", str(corpus)], env=env, cwd=ROOT,
                   check=True, capture_output=True)  # fmt: skip
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = Server(env, port, work / "server.log")
    server.start()
    first_start = server.usage()

    tally, outcomes, stop = Tally(), [], threading.Event()
    writers = max(1, args.clients // 4)
    threads = [
        threading.Thread(target=writer, args=(base, tally, stop, n, outcomes))
        for n in range(writers)
    ]
    threads += [threading.Thread(target=reader, args=(base, tally, stop, n)) for n in range(args.clients - writers)]  # fmt: skip
    started = time.monotonic()
    for thread in threads:
        thread.start()
    killed_mid_job = wait_for_running_job(base, args.seconds / 2)
    first_end = server.usage()
    server.kill()
    killed_at = time.monotonic() - started
    server.start()
    second_start = server.usage()
    time.sleep(max(0.0, args.seconds - (time.monotonic() - started)))
    stop.set()
    for thread in threads:
        thread.join()
    second_end = server.usage()

    with httpx.Client(base_url=base, timeout=30, headers={"X-API-Key": ADMIN}) as http:
        listed = {d["source"] for d in http.get("/v1/documents").json()["documents"]}
        recovery = http.get("/v1/recovery").json()
    server.stop()
    on_disk = {p.name for p in corpus.iterdir() if p.name != "manifest.json"}
    latencies = sorted(tally.latencies)
    non_2xx = sum(n for code, n in tally.codes.items() if not 200 <= code < 300)
    report = {
        "clients": args.clients,
        "seconds": args.seconds,
        "requests": len(latencies),
        "status_codes": tally.codes,
        "non_2xx": non_2xx,
        "connection_errors_while_down": tally.down,
        "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 1) if latencies else None,
        "killed_mid_job": killed_mid_job,
        "killed_after_s": round(killed_at, 1),
        "server_1_fds_rss_mb": {"start": first_start, "before_kill": first_end},
        "server_2_fds_rss_mb": {"start": second_start, "end": second_end},
        "jobs": {
            state: sum(1 for o in outcomes if o[2] == state) for state in ("done", "failed", None)
        },
        "failed_job_reasons": sorted({o[3] for o in outcomes if o[2] == "failed"}),
        "shipped_documents_surviving": sorted(set(DOCUMENTS) & listed),
        "documents_indexed": len(listed),
        "corpus_matches_index": on_disk == listed,
        "recovery_at_restart": {
            k: recovery[k] for k in ("settled_jobs", "pruned_versions", "not_indexed")
        },
    }
    print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
