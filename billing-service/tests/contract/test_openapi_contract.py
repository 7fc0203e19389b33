"""Contract fuzzing: schemathesis drives every operation of billing's OpenAPI document
in-process.

Generated requests, valid and invalid (schemathesis' examples, coverage and fuzzing phases),
go to a billing-service app on its own database with clinic-a's demo key (every scope), the
mock payer real and coding-service replaced by the suite's fake. No answer may be a 5xx, and
every answer must be documented: its status code, content type, headers and body schema;
schema-invalid requests must be refused and valid ones must not be. The examples per
operation are bounded and the seed fixed, so the run is repeatable and takes seconds. The
number of cases is printed at the end of the test session.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from billing_contract_summary import BILLING_CONTRACT_SUMMARY
from fastapi import FastAPI
from schemathesis.python.asgi import shutdown_lifespans

from billing_service.config import Settings
from billing_service.main import create_app
from rcm_shared.testing import migrate, throwaway_database
from rcm_shared.testing.contract import run_contract

SERVICE_DIR = Path(__file__).resolve().parents[2]
MAX_EXAMPLES = 15
CONFIG = {
    "seed": 20260503,
    "headers": {"Authorization": "Bearer demo-key-clinic-a"},
    "generation": {"max-examples": MAX_EXAMPLES, "mode": "all", "database": "none"},
    "phases": {"stateful": {"enabled": False}},
    "checks": {
        # A schema-valid request may still break a rule the schema cannot express, and the
        # answer is then a documented 4xx: a cursor this API never issued (400), a webhook
        # without coding-service's signature (401), an id nobody has (404), a state that
        # refuses the action (409), a stale If-Match (412), an 835 that cannot be read or a
        # claim that cannot be built (422), a missing If-Match (428).
        "positive_data_acceptance": {"expected-statuses": [
            "2xx", "3xx", "400", "401", "403", "404", "409", "412", "415", "422", "428", "429"]},
        # A required If-Match left out answers 428 with the current version (RFC 6585), as
        # the document says, rather than a plain 400.
        "missing_required_header": {"expected-statuses": [
            "400", "401", "403", "404", "406", "415", "422", "428"]},
    },
}


@pytest.fixture(scope="module")
def contract_app(tmp_path_factory: pytest.TempPathFactory, coding,
                 payer_database_url: str) -> Iterator[FastAPI]:
    with throwaway_database("billing_contract", tmp_path_factory.mktemp("contract")) as url:
        migrate(SERVICE_DIR / "alembic.ini", url)
        yield create_app(Settings(database_url=url, mock_payer_database_url=payer_database_url,
                                  payer_worker_enabled=False, coding_backoff_seconds=0),
                         coding_transport=coding.transport)
        # schemathesis started the app's lifespan in its own thread: end it before the
        # database goes.
        shutdown_lifespans()


def test_every_operation_keeps_its_openapi_contract(contract_app: FastAPI,
                                                    pytestconfig: pytest.Config) -> None:
    run = run_contract(contract_app, CONFIG)
    pytestconfig.stash[BILLING_CONTRACT_SUMMARY].append(run.summary("billing-service"))
    assert run.errors == []
    assert run.failures == {}
    assert set(run.cases) == run.operations, "every operation was exercised"
