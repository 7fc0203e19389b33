"""Both services as real processes on loopback ports, each on its own throwaway database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from rcm_shared.testing import migrate, throwaway_database

REPO = Path(__file__).resolve().parents[3]
STARTUP_TIMEOUT_SECONDS = 90


@dataclass(frozen=True)
class RunningServices:
    coding_url: str
    billing_url: str
    billing_log: Path
    coding_log: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(app: str, port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "uvicorn", app, "--factory", "--host", "127.0.0.1",
               "--port", str(port), "--no-access-log"]
    with log.open("wb") as out:
        return subprocess.Popen(command, env={**os.environ, **env}, stdout=out,
                                stderr=subprocess.STDOUT, cwd=REPO)


def wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} not ready in {STARTUP_TIMEOUT_SECONDS}s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServices]:
    workdir = tmp_path_factory.mktemp("services")
    with ExitStack() as stack:
        coding_db = stack.enter_context(throwaway_database("it_coding", workdir))
        billing_db = stack.enter_context(throwaway_database("it_billing", workdir))
        migrate(REPO / "coding-service" / "alembic.ini", coding_db)
        migrate(REPO / "billing-service" / "alembic.ini", billing_db)
        coding_port, billing_port = free_port(), free_port()
        coding_url = f"http://127.0.0.1:{coding_port}"
        billing_url = f"http://127.0.0.1:{billing_port}"
        coding_log, billing_log = workdir / "coding.log", workdir / "billing.log"
        coding = start("coding_service.main:create_app", coding_port, {
            "DATABASE_URL": coding_db,
            "CODESET_CACHE_DIR": str(REPO / "var" / "cache"),
        }, coding_log)
        stack.callback(stop, coding)
        billing = start("billing_service.main:create_app", billing_port, {
            "DATABASE_URL": billing_db,
            "CODING_SERVICE_URL": coding_url,
            # The tests drive the payer steps through the admin endpoint, deterministically.
            "PAYER_WORKER_ENABLED": "false",
        }, billing_log)
        stack.callback(stop, billing)
        wait_ready(coding_url, coding, coding_log)
        wait_ready(billing_url, billing, billing_log)
        yield RunningServices(coding_url, billing_url, billing_log, coding_log)
