"""Every request example billing-service's OpenAPI document gives is sent to the service, in
the document's order, on databases of its own (development mode: the demo providers are
registered), and answered with the status of the response example of its name."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from billing_service.config import Settings
from billing_service.main import create_app
from mockpayer.cli import migrate as migrate_mock_payer
from rcm_shared.testing import migrate, throwaway_database
from rcm_shared.testing.examples import request_examples, send_examples

SERVICE_DIR = Path(__file__).resolve().parents[2]
CLINIC_A = {"Authorization": "Bearer demo-key-clinic-a"}

# The operations whose examples show an answer only, and why it cannot be asked for here.
NOT_SENT = {
    ("GET", "/metrics"): "needs the operators' metrics:read key, which no clinic's key has; its "
                         "counts are those of every request before it",
}


@pytest.fixture(scope="module")
def examples_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    folder = tmp_path_factory.mktemp("examples")
    with throwaway_database("billing_examples", folder) as url, \
            throwaway_database("billing_examples_payer", folder) as payer_url:
        migrate(SERVICE_DIR / "alembic.ini", url)
        migrate_mock_payer(payer_url)
        yield url, payer_url


@pytest.fixture(scope="module")
async def examples_client(examples_databases: tuple[str, str]
                          ) -> AsyncIterator[httpx.AsyncClient]:
    url, payer_url = examples_databases
    app = create_app(Settings(database_url=url, mock_payer_database_url=payer_url,
                              payer_worker_enabled=False))
    async with LifespanManager(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://billing.test", headers=CLINIC_A,
    ) as client:
        yield client


async def test_every_documented_request_is_answered_as_documented(
    examples_client: httpx.AsyncClient,
) -> None:
    document = (await examples_client.get("/openapi.json")).json()
    examples = [e for e in request_examples(document) if (e.method, e.path) not in NOT_SENT]
    assert {(e.method, e.path) for e in examples} >= {
        ("POST", "/v1/coverages"), ("POST", "/v1/providers"), ("POST", "/v1/estimates")}
    assert [e.where for e in examples if e.status is None] == [], "each needs its answer"
    answered = await send_examples(examples_client, examples)
    assert {where: got for where, got in answered.items() if got[0] != got[1]} == {}
