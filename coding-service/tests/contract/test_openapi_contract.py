"""Contract fuzzing: schemathesis drives every operation of the OpenAPI document in-process.

Generated requests, valid and invalid (schemathesis' examples, coverage and fuzzing phases),
go to a coding-service app on its own database with clinic-a's demo key. No answer may be a
5xx, and every answer must be documented: its status code, content type, headers and body
schema; schema-invalid requests must be refused and valid ones must not be. The examples per
operation are bounded and the seed fixed, so the run is repeatable and takes seconds. The
number of cases is printed at the end of the test session.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from coding_contract_summary import CONTRACT_SUMMARY
from coding_factories import CLINIC_A
from fastapi import FastAPI
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events
from schemathesis.python.asgi import shutdown_lifespans

from coding_service.config import Settings
from coding_service.main import create_app
from rcm_shared.testing import migrate, throwaway_database

SERVICE_DIR = Path(__file__).resolve().parents[2]
MAX_EXAMPLES = 15
CONFIG = {
    "seed": 20260502,
    "headers": CLINIC_A,
    "generation": {"max-examples": MAX_EXAMPLES, "mode": "all", "database": "none"},
    "phases": {"stateful": {"enabled": False}},
    "checks": {
        # A schema-valid request may still break a rule the schema cannot express, and the
        # answer is then a documented 4xx: a cursor this API never issued (400), a stale
        # If-Match (412), coding errors at finalization or a reused Idempotency-Key (422), a
        # missing If-Match (428).
        "positive_data_acceptance": {"expected-statuses": [
            "2xx", "3xx", "400", "401", "403", "404", "409", "412", "422", "428", "429"]},
    },
}


@pytest.fixture(scope="module")
def contract_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    with throwaway_database("coding_contract", tmp_path_factory.mktemp("contract")) as url:
        migrate(SERVICE_DIR / "alembic.ini", url)
        yield create_app(Settings(database_url=url, webhook_worker_enabled=False,
                                  codeset_cache_dir=SERVICE_DIR.parent / "var" / "cache"))
        # schemathesis started the app's lifespan in its own thread: end it before the
        # database goes.
        shutdown_lifespans()


def test_every_operation_keeps_its_openapi_contract(contract_app: FastAPI,
                                                    pytestconfig: pytest.Config) -> None:
    schema = schemathesis.openapi.from_asgi(
        "/openapi.json", contract_app, config=SchemathesisConfig.from_dict(CONFIG))
    cases: Counter[str] = Counter()
    failures: dict[tuple[str, str], str] = {}
    errors: list[str] = []
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            recorder = event.recorder
            cases[recorder.label] += len(recorder.cases)
            for checks in recorder.checks.values():
                for check in checks:
                    if check.failure_info is not None:
                        failure = check.failure_info.failure
                        failures.setdefault((recorder.label, check.name),
                                            f"{failure.title}: {failure.message}")
        elif isinstance(event, events.NonFatalError | events.FatalError):
            errors.append(str(getattr(event, "value", None) or getattr(event, "exception", "")))
    pytestconfig.stash[CONTRACT_SUMMARY].append(
        f"coding-service OpenAPI contract: {sum(cases.values())} cases over "
        f"{len(cases)} operations, {len(failures)} failing checks"
    )
    assert errors == []
    assert failures == {}
    operations = {f"{method.upper()} {path}" for path, item in schema.raw_schema["paths"].items()
                  for method in item}
    assert set(cases) == operations, "every operation was exercised"
