"""Starting what the benchmarks measure: databases, migrated schemas, API processes and
background workers."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx

BENCH_DIR = Path(__file__).resolve().parent
BILLING_DIR = BENCH_DIR.parent
REPO = BILLING_DIR.parent
READY_TIMEOUT_SECONDS = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (uvicorn's workers), in MB."""
    total = 0
    for process in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{process}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            continue
    return total / 1024


def _children(pid: int) -> list[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:
        return []
    return [int(child) for child in found]


def postgres_reachable(admin_url: str) -> bool:
    async def check() -> None:
        connection = await asyncpg.connect(_asyncpg_dsn(admin_url), timeout=3)
        await connection.close()

    try:
        asyncio.run(check())
    except (TimeoutError, OSError, asyncpg.PostgresError):
        return False
    return True


def postgres_version(admin_url: str) -> str:
    async def fetch() -> str:
        connection = await asyncpg.connect(_asyncpg_dsn(admin_url), timeout=3)
        try:
            return str(await connection.fetchval("SHOW server_version"))
        finally:
            await connection.close()

    return asyncio.run(fetch())


def _asyncpg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


@contextmanager
def postgres_database(admin_url: str, prefix: str) -> Iterator[str]:
    """A new PostgreSQL database on the server of `admin_url`, dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"

    async def execute(statement: str) -> None:
        connection = await asyncpg.connect(_asyncpg_dsn(admin_url), timeout=10)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(execute(f'CREATE DATABASE "{name}"'))
    try:
        base, _, _ = admin_url.rpartition("/")
        yield f"{base}/{name}"
    finally:
        asyncio.run(execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def query_postgres(url: str, sql: str, *args: object) -> list[asyncpg.Record]:
    async def fetch() -> list[asyncpg.Record]:
        connection = await asyncpg.connect(_asyncpg_dsn(url), timeout=10)
        try:
            return list(await connection.fetch(sql, *args))
        finally:
            await connection.close()

    return asyncio.run(fetch())


def run_cli(module: str, *args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", module, *args], env=env, check=True, cwd=REPO,
                   stdout=subprocess.DEVNULL)


@dataclass
class Server:
    """An app factory served as the services' `serve` command serves it (rcm_shared.serve);
    `ready_seconds` is process start to the first 200 on the probe."""

    name: str
    app: str
    env: dict[str, str]
    workers: int = 1
    probe: str = "/readyz"
    cwd: Path = REPO
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    ready_seconds: float = 0.0
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, log_dir: Path) -> Server:
        command = [sys.executable, "-m", "rcm_shared.serve", self.app, "--host", "127.0.0.1",
                   "--port", str(self.port), "--workers", str(self.workers),
                   "--log-level", "warning"]
        self.log_path = log_dir / f"{self.name}-{self.port}.log"
        started = time.perf_counter()
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, env={**os.environ, **self.env}, cwd=self.cwd, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
            )
        self._wait_ready(started)
        return self

    def _wait_ready(self, started: float) -> None:
        assert self.process is not None
        deadline = started + READY_TIMEOUT_SECONDS
        with httpx.Client(timeout=2) as client:
            while time.perf_counter() < deadline:
                try:
                    if client.get(self.url + self.probe).status_code == 200:
                        self.ready_seconds = time.perf_counter() - started
                        if self.workers > 1:
                            self._wait_for_workers(client)
                        return
                except httpx.TransportError:
                    pass
                if self.process.poll() is not None:
                    raise RuntimeError(f"{self.name} exited during start-up; see {self.log_path}")
                time.sleep(0.005)
        raise RuntimeError(f"{self.name} was not ready in {READY_TIMEOUT_SECONDS}s")

    def _wait_for_workers(self, client: httpx.Client) -> None:
        # The first worker answers before the others have loaded; give them time to listen.
        assert self.process is not None
        deadline = time.perf_counter() + READY_TIMEOUT_SECONDS
        while len(_children(self.process.pid)) < self.workers and time.perf_counter() < deadline:
            time.sleep(0.05)
        for _ in range(20 * self.workers):
            client.get(self.url + self.probe)

    def rss_mb(self) -> float:
        assert self.process is not None
        return rss_mb(self.process.pid)

    def stop(self) -> None:
        stop_process_group(self.process)


def stop_process_group(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@dataclass
class Worker:
    """A `billing-service worker` process: the payer loop in a process of its own."""

    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None

    def start(self, log_dir: Path) -> Worker:
        with (log_dir / f"billing-worker-{uuid.uuid4().hex[:8]}.log").open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "billing_service.cli", "worker"],
                env={**os.environ, **self.env}, cwd=REPO, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
            )
        return self

    def stop(self) -> None:
        stop_process_group(self.process)


@contextmanager
def running(*servers: Server, log_dir: Path) -> Iterator[tuple[Server, ...]]:
    started: list[Server] = []
    try:
        for server in servers:
            started.append(server.start(log_dir))
        yield servers
    finally:
        for server in reversed(started):
            server.stop()
