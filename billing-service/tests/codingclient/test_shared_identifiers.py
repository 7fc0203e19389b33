"""billing-service accepts exactly the identifiers coding-service accepts: wired to a real
coding-service (in-process), it answers 422 (bad form) or 404 (unknown) itself for every form
of encounter id and coding version it forwards, never a 502 relaying coding-service's
refusal; and a patient id one service takes, the other takes too."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from asgi_lifespan import LifespanManager

from billing_service.config import Settings as BillingSettings
from billing_service.main import create_app as create_billing_app
from coding_service.config import Settings as CodingSettings
from coding_service.main import create_app as create_coding_app
from rcm_shared.testing import migrate, throwaway_database
from rcm_shared.testing.fields import UNKNOWN_ID

REPO = Path(__file__).resolve().parents[3]
CLINIC_A = {"Authorization": "Bearer demo-key-clinic-a"}
# Forms at and around each rule: length, the characters allowed, the first character.
ENCOUNTER_IDS = ["e" * 36, "e" * 37, "e" * 40, "7c9e6679-7425-40de-944b-e07fc1f90ae7",
                 "enc.1_a-B", "a", "-enc", ".enc", "enc 1", "enc:1", "enc*1", "enc~1",
                 "enc\x00", "enc\x1f", "énc", "enc%1"]
CODING_VERSIONS = ["0", "1", "10000", "10001", "-1", str(2**63), str(2**64), "1.5", "x"]
PATIENT_IDS = ["MRN-77", "m" * 64, "m" * 65, "MRN 77", " MRN-77", "MRN:77", "MRN\x00",
               "_MRN", "MRN.77_a"]


@pytest.fixture(scope="module")
def database_urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    tmp = tmp_path_factory.mktemp("shared_ids")
    with (throwaway_database("coding_ids", tmp) as coding_url,
          throwaway_database("billing_ids", tmp) as billing_url):
        migrate(REPO / "coding-service" / "alembic.ini", coding_url)
        migrate(REPO / "billing-service" / "alembic.ini", billing_url)
        yield coding_url, billing_url


@pytest.fixture(scope="module")
async def services(database_urls: tuple[str, str]
                   ) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    coding_url, billing_url = database_urls
    coding_app = create_coding_app(CodingSettings(
        database_url=coding_url, codeset_cache_dir=REPO / "var" / "cache",
        webhook_worker_enabled=False))
    async with LifespanManager(coding_app):
        coding_transport = httpx.ASGITransport(app=coding_app)
        billing_app = create_billing_app(
            BillingSettings(database_url=billing_url, payer_worker_enabled=False,
                            coding_backoff_seconds=0),
            coding_transport=coding_transport)
        async with (LifespanManager(billing_app),
                    httpx.AsyncClient(transport=coding_transport, base_url="http://coding.test",
                                      headers=CLINIC_A) as coding,
                    httpx.AsyncClient(transport=httpx.ASGITransport(app=billing_app),
                                      base_url="http://billing.test", headers=CLINIC_A
                                      ) as billing):
            yield coding, billing


async def test_an_encounter_id_is_refused_or_unknown_alike(services) -> None:
    coding, billing = services
    for encounter_id in ENCOUNTER_IDS:
        in_coding = await coding.get(f"/v1/encounters/{quote(encounter_id, safe='')}")
        in_billing = await billing.post("/v1/claims", json={"encounter_id": encounter_id})
        assert in_billing.status_code in (404, 422), (encounter_id, in_billing.text)
        assert in_billing.status_code == in_coding.status_code, encounter_id
        if in_billing.status_code == 422:
            assert [i["path"] for i in in_billing.json()["issues"]] == ["$.encounter_id"]


async def test_a_coding_version_is_refused_or_unknown_alike(services) -> None:
    coding, billing = services
    for version in CODING_VERSIONS:
        in_coding = await coding.get(f"/v1/encounters/{UNKNOWN_ID}/coding-versions/{version}")
        # Parsed from JSON as the number it reads as: "1.5" and "x" stay text.
        number = int(version) if version.lstrip("-").isdigit() else version
        in_billing = await billing.post(f"/v1/claims/{UNKNOWN_ID}/corrections",
                                        json={"encounter_coding_version": number})
        assert in_billing.status_code in (404, 422), (version, in_billing.text)
        assert in_billing.status_code == in_coding.status_code, version


async def test_a_patient_id_is_taken_by_both_or_neither(services) -> None:
    coding, billing = services
    for patient_id in PATIENT_IDS:
        encounter = await coding.post("/v1/encounters", json={
            "external_id": f"ids-{uuid.uuid4().hex[:12]}",
            "patient": {"id": patient_id, "first_name": "Ada", "last_name": "Lovelace",
                        "birth_date": "1980-02-14", "sex": "F"},
            "date_of_service": "2026-03-02", "place_of_service": "11",
            "rendering_provider_npi": "1234567893", "billing_provider_npi": "1234567893"})
        coverage = await billing.post("/v1/coverages", json={
            "patient_id": patient_id, "payer_id": "MOCK-PPO", "member_id": "W123456789",
            "relationship": "self", "effective_from": "2026-01-01",
            "subscriber": {"first_name": "Ada", "last_name": "Lovelace",
                           "birth_date": "1980-02-14", "sex": "F"}})
        assert {encounter.status_code, coverage.status_code} in ({201}, {422}), patient_id
