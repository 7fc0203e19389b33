"""Every request example coding-service's OpenAPI document gives is sent to the service, in the
document's order, on a database of its own, and answered with the status of the response
example of its name: the README's encounter created, coded with If-Match, finalized,
reopened, queried; code lookups, webhooks, the feed, FHIR and the audit trail. Every
operation gives an example, and every one is sent but those NOT_SENT names, each with its
reason."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from coding_factories import CLINIC_A

from coding_service.config import Settings
from coding_service.main import create_app
from rcm_shared.testing import migrate, throwaway_database
from rcm_shared.testing.examples import (
    request_examples,
    send_examples,
    undocumented_operations,
)

SERVICE_DIR = Path(__file__).resolve().parents[2]

# The operations whose examples show an answer only, and why it cannot be asked for here.
NOT_SENT = {
    ("GET", "/metrics"): "needs the operators' metrics:read key, which no clinic's key has; its "
                         "counts are those of every request before it",
}


@pytest.fixture(scope="module")
def examples_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with throwaway_database("coding_examples", tmp_path_factory.mktemp("examples")) as url:
        migrate(SERVICE_DIR / "alembic.ini", url)
        yield url


@pytest.fixture(scope="module")
async def examples_client(examples_database: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(database_url=examples_database, webhook_worker_enabled=False,
                              codeset_cache_dir=SERVICE_DIR.parent / "var" / "cache"))
    async with LifespanManager(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://coding.test", headers=CLINIC_A,
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
