"""/v1/estimates: services priced by the coverage's payer through the adapter, before the
claim; with nothing billed in between, the claim's remittance gives the same amounts to the
cent, on each mock plan."""

from __future__ import annotations

import itertools
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx
import pytest

CLINIC_B = {"Authorization": "Bearer demo-key-clinic-b"}
_numbers = itertools.count(386_000_001)


def member_of(payer_id: str) -> str:
    number = next(_numbers)
    return {"MOCK-PPO": f"W{number:09d}", "MOCK-HMO": f"H{number % 100_000_000:08d}",
            # Medicare's MBI shape: digit, letter, alphanumeric, digit, letter, ... digits.
            "MOCK-MCR": f"9AA9AA9AA{number % 100:02d}",
            "MOCK-SUPP": f"S{number:09d}"}[payer_id]


def line(code: str, charge: str, *modifiers: str) -> dict[str, Any]:
    return {"procedure_code": code, "modifiers": list(modifiers), "units": 1, "charge": charge,
            "diagnosis_pointers": [1]}


def patient_share(adjustments: list[dict[str, Any]]) -> dict[str, str]:
    named = {"1": "deductible", "3": "copay", "2": "coinsurance"}
    owed = dict.fromkeys(named.values(), Decimal("0"))
    for adjustment in adjustments:
        if adjustment["group"] == "PR":
            owed[named[adjustment["carc"]]] += Decimal(adjustment["amount"])
    return {key: f"{value:.2f}" for key, value in owed.items()}


async def estimate_then_remittance(billing: Any, payer_id: str, lines: list[dict[str, Any]],
                                   member_id: str | None = None
                                   ) -> tuple[dict[str, Any], dict[str, Any]]:
    claim = await billing.covered_claim(payer_id=payer_id,
                                        member_id=member_id or member_of(payer_id), lines=lines)
    response = await billing.http.post("/v1/estimates", json={
        "encounter_id": claim["encounter_id"], "coverage_id": claim["coverage_id"]})
    assert response.status_code == 200, response.text
    await billing.submitted_and_processed(claim["id"])
    return response.json(), await billing.get(f"/v1/claims/{claim['id']}/remittance")


def assert_equal_to_the_cent(estimate: dict[str, Any], posted: dict[str, Any]) -> None:
    [remittance] = posted["remittances"]
    paid_lines = remittance["lines"]
    assert len(estimate["lines"]) == len(paid_lines)
    for estimated, paid in zip(estimate["lines"], paid_lines, strict=True):
        assert estimated["procedure_code"] == paid["procedure_code"]
        assert estimated["allowed"] == paid["allowed"]
        assert estimated["payer_pays"] == paid["paid"]
        owed = {k: v for k, v in estimated["patient_owes"].items() if k != "total"}
        assert owed == patient_share(paid["adjustments"])
    total_paid = sum((Decimal(p["paid"]) for p in paid_lines), Decimal("0"))
    assert estimate["totals"]["payer_pays"] == f"{total_paid:.2f}"


@pytest.mark.parametrize(("payer_id", "lines", "expected_owed"), [
    # PPO-GOLD, nothing met: 99213 (118.30) and 36415 (3.90) all to the deductible.
    ("MOCK-PPO", [line("99213", "150.00"), line("36415", "10.00")],
     {"deductible": "122.20", "copay": "0.00", "coinsurance": "0.00", "total": "122.20"}),
    # HMO-SELECT: a 25.00 copay on the visit, then 10% coinsurance on the rest.
    ("MOCK-HMO", [line("99214", "200.00"), line("93000", "40.00")],
     None),
    # Medicare Part B, nothing met: the 257.00 deductible first, then 20%.
    ("MOCK-MCR", [line("99215", "400.00"), line("99213", "150.00", "25")], None),
])
async def test_an_estimate_equals_the_remittance_that_follows(
        billing: Any, payer_id: str, lines: list[dict[str, Any]],
        expected_owed: dict[str, str] | None) -> None:
    estimate, remittance = await estimate_then_remittance(billing, payer_id, lines)
    assert_equal_to_the_cent(estimate, remittance)
    if expected_owed is not None:
        assert estimate["totals"]["patient_owes"] == expected_owed
    assert estimate["totals"]["patient_owes"]["total"] != "0.00"
    assert "estimate" in estimate["explanation"]
    for estimated in estimate["lines"]:
        assert estimated["procedure_code"] in estimated["explanation"]


async def test_hmo_copay_and_coinsurance_are_explained(billing: Any) -> None:
    estimate, remittance = await estimate_then_remittance(
        billing, "MOCK-HMO", [line("99213", "150.00")])
    assert_equal_to_the_cent(estimate, remittance)
    visit = estimate["lines"][0]
    assert visit["patient_owes"]["copay"] == "25.00"
    allowed = Decimal(visit["allowed"])
    assert visit["patient_owes"]["coinsurance"] == \
        f"{((allowed - 25) * Decimal('0.10')).quantize(Decimal('0.01'), ROUND_HALF_UP):.2f}"
    assert "a $25.00 copay" in visit["explanation"]
    assert "(10% of the rest)" in visit["explanation"]


async def test_a_member_with_the_deductible_met_and_a_preventive_visit(billing: Any) -> None:
    # W100000002 met the PPO deductible: straight to 20% coinsurance; 99395 is preventive.
    estimate, remittance = await estimate_then_remittance(
        billing, "MOCK-PPO", [line("99213", "150.00"), line("99395", "200.00")],
        member_id="W100000002")
    assert_equal_to_the_cent(estimate, remittance)
    visit, preventive = estimate["lines"]
    assert visit["patient_owes"]["deductible"] == "0.00"
    assert visit["patient_owes"]["coinsurance"] == "23.66"  # 20% of 118.30
    assert preventive["patient_owes"]["total"] == "0.00"
    assert "pays all of it" in preventive["explanation"]


async def test_a_supplement_billed_first_pays_nothing_as_its_remittance_says(
        billing: Any) -> None:
    estimate, remittance = await estimate_then_remittance(
        billing, "MOCK-SUPP", [line("99213", "150.00")])
    assert_equal_to_the_cent(estimate, remittance)
    assert estimate["totals"]["payer_pays"] == "0.00"
    assert "does not pay" in estimate["lines"][0]["explanation"]


async def test_lines_without_an_encounter(client: httpx.AsyncClient, billing: Any) -> None:
    coverage = await billing.coverage("MRN-ES1", member_id=member_of("MOCK-PPO"))
    response = await client.post("/v1/estimates", json={
        "coverage_id": coverage["id"], "date_of_service": "2026-11-02",
        "lines": [{"procedure_code": "99213", "charge": "150.00"},
                  {"procedure_code": "97810", "charge": "80.00"}]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [ln["allowed"] for ln in body["lines"]] == ["118.30", "0.00"]
    assert body["totals"] == {
        "allowed": "118.30", "payer_pays": "0.00",
        "patient_owes": {"deductible": "118.30", "copay": "0.00", "coinsurance": "0.00",
                         "total": "118.30"}}
    assert "does not pay for service 97810" in body["lines"][1]["explanation"]
    # An estimate changes nothing at the payer: the same request gives the same answer.
    again = await client.post("/v1/estimates", json={
        "coverage_id": coverage["id"], "date_of_service": "2026-11-02",
        "lines": [{"procedure_code": "99213", "charge": "150.00"},
                  {"procedure_code": "97810", "charge": "80.00"}]})
    assert again.json() == body


async def test_bad_requests_name_the_field(client: httpx.AsyncClient, billing: Any) -> None:
    coverage = await billing.coverage("MRN-ES2", member_id=member_of("MOCK-PPO"))
    cases = [
        ({"coverage_id": coverage["id"]}, "$"),
        ({"coverage_id": coverage["id"], "lines": [{"procedure_code": "99213",
                                                    "charge": "1"}]}, "$"),
        ({"coverage_id": coverage["id"], "date_of_service": "2026-11-02",
          "lines": [{"procedure_code": "9921", "charge": "1"}]}, "$.lines[0].procedure_code"),
        ({"coverage_id": coverage["id"], "date_of_service": "2026-11-02",
          "lines": [{"procedure_code": "99213", "charge": "0"}]}, "$.lines[0].charge"),
        ({"coverage_id": coverage["id"], "date_of_service": "2026-11-02",
          "lines": [{"procedure_code": "99213", "charge": 1.5}]}, "$.lines[0].charge"),
    ]
    for body, path in cases:
        response = await client.post("/v1/estimates", json=body)
        assert response.status_code == 422, body
        assert response.headers["content-type"] == "application/problem+json"
        assert path in [i["path"] for i in response.json()["issues"]], response.text
    unknown = await client.post("/v1/estimates", json={
        "coverage_id": "nope", "date_of_service": "2026-11-02",
        "lines": [{"procedure_code": "99213", "charge": "1"}]})
    assert [i["path"] for i in unknown.json()["issues"]] == ["$.coverage_id"]
    other_tenant = await client.post("/v1/estimates", headers=CLINIC_B, json={
        "coverage_id": coverage["id"], "date_of_service": "2026-11-02",
        "lines": [{"procedure_code": "99213", "charge": "1"}]})
    assert other_tenant.status_code == 422
    closed = await billing.coverage("MRN-ES3", payer_id="MOCK-OLD", member_id="L100000001")
    refused = await client.post("/v1/estimates", json={
        "coverage_id": closed["id"], "date_of_service": "2026-11-02",
        "lines": [{"procedure_code": "99213", "charge": "1"}]})
    assert refused.status_code == 422
    assert refused.json()["issues"][0]["rule"] == "estimate.payer_refused"
