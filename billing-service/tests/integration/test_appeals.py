"""Appeals over real processes (both services and the mock clearinghouse over HTTP): a
bundling denial of a distinct procedure appealed and overturned, paid by the payer's new 835;
a timely filing denial appealed and upheld. Each patient's ledger, statement and balance add
up to the cent after every step."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from account_checks import assert_account_balances

pytestmark = pytest.mark.integration

HEADERS = {"Authorization": "Bearer demo-key-clinic-a"}
_numbers = itertools.count(1)


class Biller:
    def __init__(self, coding_url: str, billing_url: str) -> None:
        self.coding = httpx.AsyncClient(base_url=coding_url, headers=HEADERS, timeout=30)
        self.http = httpx.AsyncClient(base_url=billing_url, headers=HEADERS, timeout=30)

    async def close(self) -> None:
        await self.coding.aclose()
        await self.http.aclose()

    async def get(self, path: str) -> Any:
        response = await self.http.get(path)
        assert response.status_code == 200, response.text
        return response.json()

    async def post(self, path: str, body: Any = None, expected: int = 200) -> Any:
        response = await self.http.post(path, json=body)
        assert response.status_code == expected, response.text
        return response.json()

    async def billed_visit(self, *, member_id: str, days_ago: int,
                           lines: list[dict[str, Any]]) -> dict[str, Any]:
        """A PPO patient, the encounter coded and finalized in coding-service, its claim
        built, submitted and adjudicated."""
        number = next(_numbers)
        patient_id = f"MRN-AP-{number}"
        await self.post("/v1/coverages", {
            "patient_id": patient_id, "payer_id": "MOCK-PPO", "member_id": member_id,
            "relationship": "self",
            "subscriber": {"first_name": "Odile", "last_name": "Marchetti",
                           "birth_date": "1968-03-09", "sex": "F"},
            "effective_from": "2020-01-01"}, expected=201)
        created = await self.coding.post("/v1/encounters", json={
            "external_id": f"ehr-ap-{number}",
            "patient": {"id": patient_id, "first_name": "Odile", "last_name": "Marchetti",
                        "birth_date": "1968-03-09", "sex": "F",
                        "address": {"line1": "9 Quay Road", "line2": None,
                                    "city": "Springfield", "state": "IL",
                                    "postal_code": "62701"}},
            "date_of_service": (date.today() - timedelta(days=days_ago)).isoformat(),
            "place_of_service": "11",
            "rendering_provider_npi": "1245319599", "billing_provider_npi": "1234567893"})
        assert created.status_code == 201, created.text
        encounter = created.json()
        coded = await self.coding.put(
            f"/v1/encounters/{encounter['id']}/codes",
            json={"diagnoses": [{"code": "M54.50"}], "service_lines": lines},
            headers={"If-Match": str(encounter["version"])})
        assert coded.status_code == 200, coded.text
        finalized = await self.coding.post(f"/v1/encounters/{encounter['id']}/finalize")
        assert finalized.status_code == 200, finalized.text
        claim = await self.post("/v1/claims", {"encounter_id": encounter["id"]}, expected=201)
        await self.post(f"/v1/claims/{claim['id']}/submit")
        await self.post("/v1/admin/process")
        return await self.get(f"/v1/claims/{claim['id']}")  # type: ignore[no-any-return]

    async def appeal_decided(self, claim_id: str, level: int, reason: str) -> dict[str, Any]:
        submitted = await self.post(f"/v1/claims/{claim_id}/appeals",
                                    {"level": level, "reason": reason}, expected=201)
        assert submitted["status"] == "submitted"
        await self.post("/v1/admin/process")
        listed = await self.get(f"/v1/claims/{claim_id}/appeals")
        return next(a for a in listed["items"] if a["id"] == submitted["id"])  # type: ignore[no-any-return]


def line(code: str, charge: str, *modifiers: str) -> dict[str, Any]:
    return {"procedure_code": code, "modifiers": list(modifiers), "units": 1,
            "charge": charge, "diagnosis_pointers": [1]}


@pytest.fixture
async def biller(services: Any) -> AsyncIterator[Biller]:
    driver = Biller(services.coding_url, services.billing_url)
    yield driver
    await driver.close()


async def test_a_bundling_denial_appealed_and_overturned(biller: Biller) -> None:
    # A member new to the plan: the 500.00 deductible takes the first 44.20, then the
    # overturned line's 35.10 too, so every dollar shows on the patient's account.
    member_id = f"W{810_000_000 + next(_numbers):09d}"
    denied = await biller.billed_visit(member_id=member_id, days_ago=6, lines=[
        line("97530", "60.00"), line("97140", "50.00", "59")])
    patient_id = denied["patient"]["id"]
    assert denied["status"] == "partially_paid"
    assert [(d["line"], d["carc"], d["category"]) for d in denied["denials"]] == [
        (2, "97", "bundling")]
    statement = await assert_account_balances(biller, patient_id)
    assert statement["totals"]["you_owe"] == "44.20"

    decided = await biller.appeal_decided(
        denied["id"], 1, "97140 was performed in a separate session; the note documents it.")
    assert decided["status"] == "overturned" and decided["decided_at"] is not None
    assert "97140-59" in decided["letter"]
    paid = await biller.get(f"/v1/claims/{denied['id']}")
    assert (paid["status"], paid["denials"]) == ("paid", [])
    # Both lines allowed (44.20 + 35.10) and all to the deductible: paid 0.00.
    assert (paid["paid_amount"], paid["patient_responsibility"]) == ("0.00", "79.30")
    statement = await assert_account_balances(biller, patient_id)
    assert statement["totals"]["you_owe"] == "79.30"
    ledger = await biller.get(f"/v1/patients/{patient_id}/ledger?limit=200")
    assert ledger["balance"] == "79.30"
    worklist_ids = {i["claim_id"] for i in (await biller.get("/v1/worklist?limit=200"))["items"]}
    assert denied["id"] not in worklist_ids


async def test_a_timely_filing_denial_appealed_and_upheld(biller: Biller) -> None:
    member_id = f"W{820_000_000 + next(_numbers):09d}"
    denied = await biller.billed_visit(member_id=member_id, days_ago=200,
                                       lines=[line("99213", "150.00")])
    patient_id = denied["patient"]["id"]
    assert denied["status"] == "denied"
    assert [d["category"] for d in denied["denials"]] == ["timely_filing"]
    await assert_account_balances(biller, patient_id)

    first = await biller.appeal_decided(denied["id"], 1, "The claim was sent on time.")
    assert first["status"] == "upheld" and "timely filing limit" in first["decision"]
    second = await biller.appeal_decided(denied["id"], 2, "We ask for an independent review.")
    assert second["status"] == "upheld"
    after = await biller.get(f"/v1/claims/{denied['id']}")
    assert (after["status"], after["paid_amount"], after["patient_responsibility"]) == (
        "denied", "0.00", "0.00")
    statement = await assert_account_balances(biller, patient_id)
    assert statement["totals"]["you_owe"] == "0.00"
