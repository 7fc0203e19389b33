"""Every request example billing-service's OpenAPI document gives is sent to the service, in the
document's order, on databases of its own (development mode: the demo providers are
registered), and answered with the status, and the shape, of the response example of its
name. coding-service is the suite's fake, serving the encounters the claim examples bill:
coding-service's own example encounter, finalized, and a second visit of its patient. Every
operation gives an example, and every one is sent but those NOT_SENT names, each with its
reason."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from billing_service.claims.examples import ENCOUNTER, SECOND_ENCOUNTER
from billing_service.config import Settings
from billing_service.main import create_app
from coding_service.encounters.examples import FINALIZE
from mockpayer.cli import migrate as migrate_mock_payer
from rcm_shared.testing import migrate, throwaway_database
from rcm_shared.testing.examples import (
    request_examples,
    send_examples,
    undocumented_operations,
)

SERVICE_DIR = Path(__file__).resolve().parents[2]
CLINIC_A = {"Authorization": "Bearer demo-key-clinic-a"}

# The operations whose examples show an answer only, and why it cannot be asked for here.
NOT_SENT = {
    ("GET", "/metrics"): "needs the operators' metrics:read key, which no clinic's key has; its "
                         "counts are those of every request before it",
    ("POST", "/v1/remittances"): "its body is X12 text, not JSON",
    ("POST", "/v1/admin/process"): "the payer's answers depend on the day (timely filing) and "
                                   "would change every example after it",
}

# coding-service's own documented answer to finalizing its example encounter: the visit the
# claim examples bill, as coding-service serves it (the fake sets the id, status and version).
_VISIT: dict[str, Any] = {key: value for key, value in FINALIZE[0].response.items()
                          if key not in ("id", "status", "coding_version")}
_SECOND_VISIT: dict[str, Any] = {
    **_VISIT, "external_id": "ehr-visit-1002", "date_of_service": "2026-06-01",
    "diagnoses": [{"code": "I10"}],
    "service_lines": [{**_VISIT["service_lines"][0], "procedure_code": "99213", "modifiers": [],
                       "charge": "120.00", "diagnosis_pointers": [1]}],
}


def _finalized(coding: Any, encounter_id: str, visit: dict[str, Any]) -> None:
    coding.encounters[("clinic-a", encounter_id)] = {
        "id": encounter_id, "status": "finalized", "coding_version": 1, **visit}
    coding.versions[("clinic-a", encounter_id, 1)] = {
        "encounter_id": encounter_id, "coding_version": 1,
        "finalized_at": "2026-12-05T13:51:44.719534Z", "finalized_by": "key:90db94607739",
        **visit}


@pytest.fixture(scope="module")
def examples_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    folder = tmp_path_factory.mktemp("examples")
    with throwaway_database("billing_examples", folder) as url, \
            throwaway_database("billing_examples_payer", folder) as payer_url:
        migrate(SERVICE_DIR / "alembic.ini", url)
        migrate_mock_payer(payer_url)
        yield url, payer_url


@pytest.fixture(scope="module")
async def examples_client(examples_databases: tuple[str, str], coding: Any,
                          ) -> AsyncIterator[httpx.AsyncClient]:
    url, payer_url = examples_databases
    _finalized(coding, ENCOUNTER, _VISIT)
    _finalized(coding, SECOND_ENCOUNTER, _SECOND_VISIT)
    app = create_app(Settings(database_url=url, mock_payer_database_url=payer_url,
                              payer_worker_enabled=False), coding_transport=coding.transport)
    async with LifespanManager(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://billing.test", headers=CLINIC_A,
    ) as client:
        yield client


async def test_every_documented_request_is_answered_as_documented(
    examples_client: httpx.AsyncClient,
) -> None:
    document = (await examples_client.get("/openapi.json")).json()
    examples = [e for e in request_examples(document) if (e.method, e.path) not in NOT_SENT]
    operations = {(method.upper(), path) for path, item in document["paths"].items()
                  for method in item}
    assert {(e.method, e.path) for e in examples} == operations - NOT_SENT.keys()
    assert NOT_SENT.keys() <= operations
    assert [e.where for e in examples if e.status is None] == [], "each needs its answer"
    answered = await send_examples(examples_client, examples)
    assert {where: got for where, got in answered.items() if got[0] != got[1] or got[2]} == {}


async def test_every_operation_gives_an_example(examples_client: httpx.AsyncClient) -> None:
    document = (await examples_client.get("/openapi.json")).json()
    assert undocumented_operations(document) == []
