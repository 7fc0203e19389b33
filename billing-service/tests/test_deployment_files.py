"""docker-compose.yml cannot run here (no Docker engine), so check what can be checked: it
parses, its services, ports and environment agree with the code and the Makefile."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pydantic import TypeAdapter

from billing_service.config import Settings as BillingSettings
from coding_service.config import Settings as CodingSettings
from mockpayer.cli import DEFAULT_PORT as CLEARINGHOUSE_PORT
from mockpayer.config import Settings as MockPayerSettings
from rcm_shared.auth import DEMO_KEYS, ApiKeyRecord, hash_key
from rcm_shared.testing import environment_variables

REPO = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text())
MAKEFILE = (REPO / "Makefile").read_text()


def makefile_default(name: str) -> str:
    match = re.search(rf"^{name} \?= (\S+)$", MAKEFILE, re.MULTILINE)
    assert match, name
    return match.group(1)


@pytest.mark.parametrize(
    ("service", "settings", "port_variable"),
    [("coding-service", CodingSettings, "CODING_PORT"),
     ("billing-service", BillingSettings, "BILLING_PORT")],
)
def test_each_service_runs_in_production_mode_with_known_settings(
    service: str, settings: type, port_variable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    definition = COMPOSE["services"][service]
    port = makefile_default(port_variable)
    assert definition["ports"] == [f"{port}:{port}"]
    assert f"--port {port}" in Path(REPO / definition["build"]["dockerfile"]).read_text()
    environment = definition["environment"]
    assert set(environment) <= environment_variables(settings)
    assert environment["ENVIRONMENT"] == "production"
    assert environment["DATABASE_URL"].startswith("postgresql+asyncpg://")
    assert definition["depends_on"]["postgres"]["condition"] == "service_healthy"
    # Production mode must accept this environment (keys and database configured).
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert settings().environment == "production"


def test_compose_keys_are_the_hashes_of_the_documented_demo_keys() -> None:
    raw = COMPOSE["services"]["coding-service"]["environment"]["API_KEYS"]
    records = TypeAdapter(list[ApiKeyRecord]).validate_json(raw)
    assert {(r.key_sha256, r.tenant_id) for r in records} == {
        (hash_key(key), tenant) for key, tenant in DEMO_KEYS.items()
        if key in ("demo-key-clinic-a", "demo-key-clinic-b")
    }


def test_each_service_has_its_own_database_and_billing_reaches_coding() -> None:
    urls = {name: COMPOSE["services"][name]["environment"]["DATABASE_URL"]
            for name in ("coding-service", "billing-service")}
    assert urls["coding-service"].rsplit("/", 1)[1] != urls["billing-service"].rsplit("/", 1)[1]
    init = COMPOSE["configs"]["create-databases"]["content"]
    for url in urls.values():
        assert f"CREATE DATABASE {url.rsplit('/', 1)[1]};" in init
    coding_url = COMPOSE["services"]["billing-service"]["environment"]["CODING_SERVICE_URL"]
    assert coding_url == f"http://coding-service:{makefile_default('CODING_PORT')}"


def test_the_billing_worker_runs_the_payer_loop_beside_an_api_that_does_not() -> None:
    api = COMPOSE["services"]["billing-service"]
    worker = COMPOSE["services"]["billing-worker"]
    assert worker["build"] == api["build"]
    assert worker["command"][-2:] == ["billing-service", "worker"]
    assert "ports" not in worker
    # The same settings, database included; only the API leaves the payer loop to the worker.
    assert worker["environment"] == api["environment"]
    assert api["environment"]["PAYER_WORKER_ENABLED"] == "false"
    assert worker["depends_on"]["billing-service"]["condition"] == "service_started"


def test_billing_reaches_the_mock_clearinghouse_over_http_with_a_credential_it_accepts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    billing = COMPOSE["services"]["billing-service"]["environment"]
    clearinghouse = COMPOSE["services"]["mock-clearinghouse"]
    environment = clearinghouse["environment"]
    assert billing["PAYER_ADAPTER"] == "http"
    assert billing["CLEARINGHOUSE_URL"] == f"http://mock-clearinghouse:{CLEARINGHOUSE_PORT}"
    assert clearinghouse["ports"] == [f"{CLEARINGHOUSE_PORT}:{CLEARINGHOUSE_PORT}"]
    assert f"--port {CLEARINGHOUSE_PORT}" in clearinghouse["command"][-1]
    assert "mockpayer migrate" in clearinghouse["command"][-1]
    # Its own database, made by the init script, not billing's.
    database = environment["DATABASE_URL"].rsplit("/", 1)[1]
    assert database != billing["DATABASE_URL"].rsplit("/", 1)[1]
    assert f"CREATE DATABASE {database};" in COMPOSE["configs"]["create-databases"]["content"]
    records = TypeAdapter(list[ApiKeyRecord]).validate_json(environment["API_KEYS"])
    assert hash_key(billing["CLEARINGHOUSE_API_KEY"]) in {r.key_sha256 for r in records}
    assert set(environment) <= environment_variables(MockPayerSettings)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert MockPayerSettings().environment == "production"
