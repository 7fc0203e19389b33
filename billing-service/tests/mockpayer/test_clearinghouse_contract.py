"""Contract fuzzing of the mock clearinghouse (`mockpayer serve`), as both services are
fuzzed: schemathesis drives every operation of its OpenAPI document in-process, every check
on; no answer may be a 5xx or undocumented."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from schemathesis.python.asgi import shutdown_lifespans

from mockpayer.app import create_app
from mockpayer.cli import migrate
from mockpayer.config import Settings
from rcm_shared.testing import throwaway_database
from rcm_shared.testing.contract import run_contract

CONFIG = {
    "seed": 20261205,
    "headers": {"Authorization": "Bearer demo-key-clinic-a"},
    "generation": {"max-examples": 25, "mode": "all", "database": "none"},
    "phases": {"stateful": {"enabled": False}},
    "checks": {
        # A schema-valid body may still be no 837P (422), or sent as another media type (415);
        # an account key lacks /metrics' metrics:read scope (403); an appeal reference may be
        # no appeal of the account (404).
        "positive_data_acceptance": {"expected-statuses": ["2xx", "401", "403", "404", "415",
                                                           "422"]},
    },
}


@pytest.fixture(scope="module")
def contract_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    with throwaway_database("clearinghouse_contract",
                            tmp_path_factory.mktemp("clearinghouse")) as url:
        migrate(url)
        yield create_app(Settings(database_url=url))
        shutdown_lifespans()


def test_every_operation_keeps_its_openapi_contract(contract_app: FastAPI) -> None:
    run = run_contract(contract_app, CONFIG)
    assert run.errors == []
    assert run.failures == {}
    assert set(run.cases) == run.operations, "every operation was exercised"
