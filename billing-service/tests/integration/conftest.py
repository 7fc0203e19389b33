"""Both services as real processes on loopback ports, each on its own throwaway database;
the mock payer either inside billing's process or as the mock clearinghouse, a third process
billing reaches over HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from billing_events import SECRET_A

from mockpayer.cli import migrate as migrate_mock_payer
from rcm_shared.auth import hash_key
from rcm_shared.testing import migrate, throwaway_database

REPO = Path(__file__).resolve().parents[3]
STARTUP_TIMEOUT_SECONDS = 90
# Billing's credential at the mock clearinghouse, and the account it names there.
CLEARINGHOUSE_KEY = "integration-clearinghouse-key"
CLEARINGHOUSE_ACCOUNT = "billing-integration"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ServiceProcess:
    """One service started by its own `serve` command (`cli` is the service's command module);
    stop() and start() again keep its port and append to its log."""

    cli: str
    port: int
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [sys.executable, "-m", self.cli, "serve", "--port", str(self.port)]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(command, env={**os.environ, **self.env}, stdout=out,
                                            stderr=subprocess.STDOUT, cwd=REPO)

    def wait_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.url} exited early:\n{self.log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(
            f"{self.url} not ready in {STARTUP_TIMEOUT_SECONDS}s:\n{self.log.read_text()[-3000:]}"
        )

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


@dataclass(frozen=True)
class RunningServices:
    coding_url: str
    billing_url: str
    billing_log: Path
    coding_log: Path
    coding: ServiceProcess
    billing: ServiceProcess
    # The mock clearinghouse, when billing reaches the payer over HTTP.
    clearinghouse: ServiceProcess | None


@contextmanager
def running_services(workdir: Path, name: str, *,
                     clearinghouse: bool) -> Iterator[RunningServices]:
    """Migrated throwaway databases and the services started, stopped on exit."""
    common = {"ENVIRONMENT": "development", "API_KEYS": "[]", "LOG_LEVEL": "INFO"}
    with ExitStack() as stack:
        coding_db = stack.enter_context(throwaway_database(f"{name}_coding", workdir))
        billing_db = stack.enter_context(throwaway_database(f"{name}_billing", workdir))
        payer_db = stack.enter_context(throwaway_database(f"{name}_payer", workdir))
        migrate(REPO / "coding-service" / "alembic.ini", coding_db)
        migrate(REPO / "billing-service" / "alembic.ini", billing_db)
        migrate_mock_payer(payer_db)
        payer: ServiceProcess | None = None
        if clearinghouse:
            payer = ServiceProcess("mockpayer.cli", free_port(), {
                **common,
                "DATABASE_URL": payer_db,
                "API_KEYS": json.dumps([{"key_sha256": hash_key(CLEARINGHOUSE_KEY),
                                         "tenant_id": CLEARINGHOUSE_ACCOUNT}]),
            }, workdir / f"{name}-clearinghouse.log")
            payer_settings = {"PAYER_ADAPTER": "http", "CLEARINGHOUSE_URL": payer.url,
                              "CLEARINGHOUSE_API_KEY": CLEARINGHOUSE_KEY}
        else:
            payer_settings = {"PAYER_ADAPTER": "inprocess", "MOCK_PAYER_DATABASE_URL": payer_db}
        coding = ServiceProcess("coding_service.cli", free_port(), {
            **common,
            "DATABASE_URL": coding_db,
            "CODESET_CACHE_DIR": str(REPO / "var" / "cache"),
        }, workdir / f"{name}-coding.log")
        billing = ServiceProcess("billing_service.cli", free_port(), {
            **common,
            "DATABASE_URL": billing_db,
            "CODING_SERVICE_URL": coding.url,
            "CODING_BACKOFF_SECONDS": "0.05",
            # clinic-a's encounters are billed by themselves when its webhook subscription
            # (made by a test, with this secret) delivers them.
            "CODING_TENANTS": json.dumps({"clinic-a": {"api_key": "demo-key-clinic-a",
                                                       "webhook_secrets": [SECRET_A]}}),
            # The tests drive the payer steps through the admin endpoint, deterministically.
            "PAYER_WORKER_ENABLED": "false",
            **payer_settings,
        }, workdir / f"{name}-billing.log")
        started = [service for service in (payer, coding, billing) if service is not None]
        for service in started:
            service.start()
            stack.callback(service.stop)
        for service in started:
            service.wait_ready()
        yield RunningServices(coding.url, billing.url, billing.log, coding.log, coding, billing,
                              payer)


@pytest.fixture(scope="session")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServices]:
    """The pair every story shares, billing reaching the payer over HTTP as it would reach a
    real clearinghouse."""
    with running_services(tmp_path_factory.mktemp("services"), "it",
                          clearinghouse=True) as running:
        yield running


@pytest.fixture
def own_services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServices]:
    """A pair for one test alone: it may stop a service without touching the others' pair.
    The mock payer runs inside billing, as `make run` has it."""
    with running_services(tmp_path_factory.mktemp("own_services"), "own",
                          clearinghouse=False) as running:
        yield running



@pytest.fixture
def billing_worker(services: RunningServices) -> Iterator[subprocess.Popen[bytes]]:
    """`billing-service worker` beside the shared pair, on billing's database and settings,
    polling every 50 ms; its output goes to billing's log (the PHI check reads it)."""
    env = {**os.environ, **services.billing.env, "PAYER_POLL_INTERVAL_SECONDS": "0.05"}
    with services.billing_log.open("ab") as out:
        process = subprocess.Popen([sys.executable, "-m", "billing_service.cli", "worker"],
                                   env=env, stdout=out, stderr=subprocess.STDOUT, cwd=REPO)
    yield process
    if process.poll() is None:
        process.kill()
        process.wait()
