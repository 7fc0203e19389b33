"""Fixtures for billing-service: one migrated throwaway database and one app per test run,
coding-service replaced by an in-memory fake behind httpx.MockTransport, the mock payer real
(in process, on a throwaway database of its own)."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from billing_providers import (
    BILLING_NPI,
    BILLING_PROVIDER,
    RENDERING_NPI,
    RENDERING_PROVIDER,
    register_providers,
)
from fastapi import FastAPI
from payer_recording import Payer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from billing_service.config import Settings
from billing_service.main import create_app
from mockpayer.cli import migrate as migrate_mock_payer
from mockpayer.config import MockPayerConfig
from rcm_shared.auth import DEMO_KEYS
from rcm_shared.db import create_engine, session_factory
from rcm_shared.pagination import decode_cursor, encode_cursor
from rcm_shared.testing import migrate, throwaway_database

SERVICE_DIR = Path(__file__).resolve().parents[1]
CLINIC_A = {"Authorization": "Bearer demo-key-clinic-a"}
CLINIC_B = {"Authorization": "Bearer demo-key-clinic-b"}


# The patient's home, as coding-service returns patient.address.
PATIENT_ADDRESS = {"line1": "42 Elm Street", "line2": None, "city": "Springfield", "state": "IL",
                   "postal_code": "62704"}


class FakeCodingService:
    """Serves encounters and the event feed the way coding-service does, per tenant (the
    Bearer key's)."""

    def __init__(self) -> None:
        self.encounters: dict[tuple[str, str], dict[str, Any]] = {}
        self.versions: dict[tuple[str, str, int], dict[str, Any]] = {}
        # Each tenant's GET /v1/events, oldest first; a cursor is the event's id.
        self.feeds: dict[str, list[dict[str, Any]]] = {}
        self._event_ids = itertools.count(1)
        self.requests: list[httpx.Request] = []
        # Status codes (or exceptions) the next calls answer with, before behaving normally.
        self.failures: list[int | Exception] = []
        self.transport = httpx.MockTransport(self._handle)
        self._ids = itertools.count(1)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.failures:
            failure = self.failures.pop(0)
            if isinstance(failure, Exception):
                raise failure
            return httpx.Response(failure, json={"title": "failure", "detail": "injected"})
        key = request.headers.get("authorization", "").removeprefix("Bearer ")
        tenant = DEMO_KEYS.get(key)
        if tenant is None:
            return httpx.Response(401, json={"detail": "The API key is not recognised."})
        parts = request.url.path.strip("/").split("/")
        if parts == ["v1", "events"]:
            return httpx.Response(200, json=self._feed_page(tenant, request.url.params))
        if parts[:2] == ["v1", "encounters"] and len(parts) == 3:
            found = self.encounters.get((tenant, parts[2]))
        elif parts[:2] == ["v1", "encounters"] and len(parts) == 5 and parts[4].isdigit():
            found = self.versions.get((tenant, parts[2], int(parts[4])))
        else:
            found = None
        if found is None:
            return httpx.Response(404, json={"detail": "No encounter with that id."})
        return httpx.Response(200, json=found)

    def _feed_page(self, tenant: str, params: httpx.QueryParams) -> dict[str, Any]:
        after = decode_cursor(params["after"], int)[0] if "after" in params else 0
        items = [{k: v for k, v in e.items() if k not in ("id", "tenant_id")}
                 for e in self.feeds.get(tenant, []) if int(e["id"]) > after]
        items = items[:int(params.get("limit", 50))]
        return {"items": items,
                "next_cursor": items[-1]["cursor"] if items else params.get("after")}

    def publish(self, tenant: str, event_type: str, encounter_id: str,
                coding_version: int) -> dict[str, Any]:
        """An event in the tenant's feed; returned as a webhook delivery carries it."""
        event_id = next(self._event_ids)
        event = {"id": str(event_id), "tenant_id": tenant, "cursor": encode_cursor(event_id),
                 "type": event_type, "encounter_id": encounter_id,
                 "coding_version": coding_version, "occurred_at": "2026-01-01T10:00:00Z"}
        self.feeds.setdefault(tenant, []).append(event)
        return event

    def last_event(self, tenant: str = "clinic-a") -> dict[str, Any]:
        return self.feeds[tenant][-1]

    def add(
        self,
        *,
        tenant: str = "clinic-a",
        patient_id: str | None = None,
        diagnoses: list[str] | None = None,
        lines: list[dict[str, Any]] | None = None,
        date_of_service: date | None = None,
        status: str = "finalized",
        billing_npi: str = BILLING_NPI,
        patient_address: dict[str, Any] | None = PATIENT_ADDRESS,
        **facts: Any,
    ) -> dict[str, Any]:
        """A new encounter finalized at coding version 1; returns its coding-version body."""
        number = next(self._ids)
        encounter_id = f"enc-{number:04d}"
        body = {
            "encounter_id": encounter_id,
            "coding_version": 1,
            "finalized_at": "2026-01-01T10:00:00Z",
            "finalized_by": "coder",
            "external_id": f"EXT-{number}",
            "patient": {"id": patient_id or f"MRN-{number}", "first_name": "Ana",
                        "last_name": "Silva", "birth_date": "1980-02-01", "sex": "F",
                        "address": patient_address},
            "date_of_service": (date_of_service or recent_day()).isoformat(),
            "place_of_service": "11",
            "rendering_provider_npi": RENDERING_NPI,
            "billing_provider_npi": billing_npi,
            "diagnoses": [{"code": c} for c in (diagnoses or ["E11.9"])],
            "service_lines": lines or [office_visit()],
            # referring_provider, service_facility, prior_authorization, as coding-service
            # returns them.
            **facts,
        }
        self.encounters[(tenant, encounter_id)] = {
            "id": encounter_id, "status": status, "coding_version": 1,
            **{k: v for k, v in body.items() if k not in ("encounter_id", "coding_version")},
        }
        self.versions[(tenant, encounter_id, 1)] = body
        if status == "finalized":
            self.publish(tenant, "encounter.finalized", encounter_id, 1)
        return body

    def recode(self, body: dict[str, Any], *, tenant: str = "clinic-a",
               lines: list[dict[str, Any]]) -> dict[str, Any]:
        """The encounter reopened and finalized again with other lines: coding version n+1."""
        encounter_id = body["encounter_id"]
        version = self.encounters[(tenant, encounter_id)]["coding_version"] + 1
        new = {**body, "coding_version": version, "service_lines": lines}
        self.versions[(tenant, encounter_id, version)] = new
        self.encounters[(tenant, encounter_id)]["coding_version"] = version
        self.publish(tenant, "encounter.reopened", encounter_id, version)
        self.publish(tenant, "encounter.finalized", encounter_id, version)
        return new


def recent_day(days_ago: int = 5) -> date:
    """Within every mock payer's timely-filing limit."""
    return date.today() - timedelta(days=days_ago)


def office_visit(code: str = "99213", charge: str = "150.00",
                 pointers: list[int] | None = None) -> dict[str, Any]:
    return {"procedure_code": code, "modifiers": [], "units": 1, "charge": charge,
            "diagnosis_pointers": pointers or [1]}


_members = itertools.count(200_000_001)


def new_member_id(payer_id: str = "MOCK-PPO") -> str:
    """A member nobody else in the run uses, so deductible accumulators start at zero."""
    number = next(_members)
    return {"MOCK-PPO": f"W{number:09d}", "MOCK-HMO": f"H{number % 100_000_000:08d}"}[payer_id]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with throwaway_database("billing_test", tmp_path_factory.mktemp("db")) as url:
        migrate(SERVICE_DIR / "alembic.ini", url)
        yield url


@pytest.fixture(scope="session")
def payer_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The in-process mock payer's database."""
    with throwaway_database("billing_payer_test", tmp_path_factory.mktemp("payer")) as url:
        migrate_mock_payer(url)
        yield url


@pytest.fixture(scope="session")
async def payer_sessions(payer_database_url: str) -> AsyncIterator[
        async_sessionmaker[AsyncSession]]:
    """Sessions on the mock payer's database: what the payer itself holds."""
    engine = create_engine(payer_database_url)
    yield session_factory(engine)
    await engine.dispose()


@pytest.fixture(scope="session")
def settings(database_url: str, payer_database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        mock_payer_database_url=payer_database_url,
        payer_worker_enabled=False,
        coding_backoff_seconds=0,
        payer_retry_base_seconds=0,
        mock_payer=MockPayerConfig(adjudication_delay_polls=1),
        # The fixtures register the providers the tests bill with.
        seed_demo_providers=False,
    )


@pytest.fixture(scope="session")
def coding() -> FakeCodingService:
    return FakeCodingService()


@pytest.fixture(autouse=True)
def _coding_failures_reset(coding: FakeCodingService) -> Iterator[None]:
    yield
    coding.failures.clear()


@pytest.fixture(scope="session")
async def app(settings: Settings, coding: FakeCodingService) -> AsyncIterator[FastAPI]:
    application = create_app(settings, coding_transport=coding.transport)
    async with LifespanManager(application):
        yield application


@pytest.fixture(scope="session")
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://billing.test", headers=CLINIC_A
    ) as http:
        for tenant in (CLINIC_A, CLINIC_B):
            await register_providers(http, tenant, BILLING_PROVIDER, RENDERING_PROVIDER)
        yield http


class Billing:
    """Drives billing-service over HTTP the way a biller's screen would."""

    def __init__(self, client: httpx.AsyncClient, coding: FakeCodingService) -> None:
        self.http = client
        self.coding = coding

    async def coverage(self, patient_id: str, *, payer_id: str = "MOCK-PPO",
                       member_id: str | None = None, **fields: Any) -> dict[str, Any]:
        body = {
            "patient_id": patient_id, "payer_id": payer_id,
            "member_id": member_id or new_member_id(payer_id), "group_number": "G-100",
            "relationship": "self",
            "subscriber": {"first_name": "Ana", "last_name": "Silva",
                           "birth_date": "1980-02-01", "sex": "F"},
            "effective_from": "2020-01-01", "effective_to": None, **fields,
        }
        response = await self.http.post("/v1/coverages", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    async def end_coverage(self, coverage_id: str, last_day: str = "2020-12-31") -> None:
        """The coverage ends on last_day (the plan changed, or it was the wrong one), leaving
        the patient's later dates to another coverage of its priority."""
        current = await self.get(f"/v1/coverages/{coverage_id}")
        response = await self.http.patch(f"/v1/coverages/{coverage_id}",
                                         json={"effective_to": last_day},
                                         headers={"If-Match": str(current["version"])})
        assert response.status_code == 200, response.text

    async def claim_for(self, encounter: dict[str, Any], **body: Any) -> dict[str, Any]:
        response = await self.http.post(
            "/v1/claims", json={"encounter_id": encounter["encounter_id"], **body}
        )
        assert response.status_code == 201, response.text
        return response.json()

    async def covered_claim(self, *, payer_id: str = "MOCK-PPO", member_id: str | None = None,
                            **encounter: Any) -> dict[str, Any]:
        """A finalized encounter, a coverage for its patient, and the claim built for it."""
        body = self.coding.add(**encounter)
        await self.coverage(body["patient"]["id"], payer_id=payer_id, member_id=member_id)
        return await self.claim_for(body)

    async def act(self, claim_id: str, action: str, expected: int = 200) -> dict[str, Any]:
        response = await self.http.post(f"/v1/claims/{claim_id}/{action}")
        assert response.status_code == expected, response.text
        return response.json()

    async def process(self) -> dict[str, Any]:
        response = await self.http.post("/v1/admin/process")
        assert response.status_code == 200, response.text
        return response.json()

    async def get(self, path: str) -> dict[str, Any]:
        response = await self.http.get(path)
        assert response.status_code == 200, response.text
        return response.json()

    async def submitted_and_processed(self, claim_id: str) -> dict[str, Any]:
        await self.act(claim_id, "submit")
        await self.process()
        return await self.get(f"/v1/claims/{claim_id}")


@pytest.fixture
def billing(client: httpx.AsyncClient, coding: FakeCodingService) -> Billing:
    return Billing(client, coding)


@pytest.fixture
def payer(app: FastAPI) -> Payer:
    """The app's payer adapter recorded, driven as POST /v1/admin/process drives it."""
    return Payer(app)
