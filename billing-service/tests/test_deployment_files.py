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
