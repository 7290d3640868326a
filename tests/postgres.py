"""A real PostgreSQL server for the test session: Debian's binaries, initdb into a temporary
folder, one loopback port, stopped at the end.

Root cannot run postgres, so as root the server runs as the ``postgres`` user (created by
the Debian package). Without the binaries or a server that starts the PostgreSQL tests
fail, unless ``DA06_ALLOW_NO_POSTGRES=1``: then they skip with a loud message.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

ALLOW_MISSING = "DA06_ALLOW_NO_POSTGRES"
USER = "da06"


def _binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    if not found:
        raise RuntimeError("no PostgreSQL binaries under /usr/lib/postgresql/*/bin (make postgres)")
    return Path(found[-1]).parent


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    def __init__(self) -> None:
        self.bin = _binaries()
        self.root = Path(tempfile.mkdtemp(prefix="da06-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
        self._run([str(self.bin / "initdb"), "-D", str(self.data), "-U", USER, "-A", "trust",
                   "-E", "UTF8", "--no-sync"])  # fmt: skip
        options = (
            f"-h 127.0.0.1 -p {self.port} -k {self.root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"),
                   "-o", options, "-w", "-t", "30", "start"])  # fmt: skip

    def _run(self, command: list[str]) -> None:
        done = subprocess.run(_as_server_user(command), capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            log = self.root / "log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{command[0]} failed: {done.stderr[-2000:]}{tail}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={USER} dbname=postgres",
                             autocommit=True) as db:  # fmt: skip
            db.execute(sql)

    def new_database(self) -> str:
        """A fresh, empty database: one per test that needs isolation."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        self._admin(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        from rag.database import forget_engine

        forget_engine(url)
        self._admin(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")

    def stop(self) -> None:
        try:
            self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w",
                       "stop"])  # fmt: skip
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def start_or_explain() -> PostgresServer | None:
    """The server, or None (after a loud message) when it cannot be had and that is allowed."""
    started = time.perf_counter()
    try:
        server = PostgresServer()
    except (RuntimeError, OSError, KeyError, subprocess.SubprocessError) as exc:
        if os.environ.get(ALLOW_MISSING) == "1":
            message = f"PostgreSQL tests SKIPPED ({ALLOW_MISSING}=1): no server: {exc}"
            # Past pytest's capture: this must be seen.
            sys.__stderr__.write(f"\n{'!' * 78}\n{message}\n{'!' * 78}\n")
            return None
        pytest.fail(f"PostgreSQL server unavailable ({exc}); set {ALLOW_MISSING}=1 to skip")
    sys.__stderr__.write(f"\nPostgreSQL {server.bin.parent.name} on 127.0.0.1:{server.port} "
                         f"({time.perf_counter() - started:.1f} s to start)\n")  # fmt: skip
    return server
