"""/v1/eligibility-checks: a real 270 through the payer adapter, the mock payer's 271 from its
member and plan data and accumulators, read back and kept; both files pass the independent
X12 validator."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

import httpx
from x12_independent import assert_valid, independent_findings

from billing_service.x12.eligibility import read_270, read_271

DOS = "2026-06-15"
CLINIC_B = {"Authorization": "Bearer demo-key-clinic-b"}
# Members of the default plan nobody else in the run uses: nothing met yet.
_members = itertools.count(385_000_001)
Billing = Any


def new_member_id() -> str:
    return f"W{next(_members):09d}"


async def check(client: httpx.AsyncClient, coverage_id: str, expected: int = 201,
                **fields: Any) -> dict[str, Any]:
    response = await client.post("/v1/eligibility-checks", json={
        "coverage_id": coverage_id, "date_of_service": DOS, "service_type_codes": ["30"],
        **fields})
    assert response.status_code == expected, response.text
    return response.json()


async def files(client: httpx.AsyncClient, check_id: str) -> dict[str, str]:
    response = await client.get(f"/v1/eligibility-checks/{check_id}/x12")
    assert response.status_code == 200, response.text
    return response.json()


async def test_active_member_after_a_paid_claim_has_the_rest_of_the_deductible(
        client: httpx.AsyncClient, billing: Billing) -> None:
    member = new_member_id()
    claim = await billing.covered_claim(member_id=member, lines=[{
        "procedure_code": "99213", "modifiers": [], "units": 1, "charge": "150.00",
        "diagnosis_pointers": [1]}])
    paid = await billing.submitted_and_processed(claim["id"])
    assert paid["status"] == "paid"
    # PPO-GOLD: 99213 allowed 118.30, all of it toward the 500.00 deductible of the plan
    # year of the claim's date of service.
    result = await check(client, claim["coverage_id"], date_of_service=claim["date_of_service"])
    assert result["status"] == "active"
    assert result["plan"] == {"code": "PPO-GOLD", "name": "Mock PPO Gold"}
    assert result["errors"] == []
    assert result["benefits"] == {
        "deductible": {"amount": "500.00", "remaining": "381.70"},
        "out_of_pocket": {"amount": "3000.00", "remaining": "2881.70"},
        "copay": "0.00", "coinsurance_percent": "20.00",
    }
    kept = await client.get(f"/v1/eligibility-checks/{result['id']}")
    assert kept.json() == result
    x12 = await files(client, result["id"])
    inquiry = read_270(x12["inquiry"])
    assert inquiry.member_id == member and inquiry.service_type_codes == ("30",)
    assert str(inquiry.date_of_service) == claim["date_of_service"]
    assert read_271(x12["answer"]).deductible.remaining == Decimal("381.70")  # type: ignore[union-attr]
    assert_valid(x12["inquiry"], x12["answer"])


async def test_the_payers_scripted_member_and_plans(client: httpx.AsyncClient,
                                                    billing: Billing) -> None:
    short_of_max = await billing.coverage("MRN-EL1", member_id="W100000003")
    hmo = await billing.coverage("MRN-EL2", payer_id="MOCK-HMO")
    medicare = await billing.coverage("MRN-EL3", payer_id="MOCK-MCR", member_id="1EG4TE5MK73")
    near = await check(client, short_of_max["id"])
    assert near["benefits"]["deductible"] == {"amount": "500.00", "remaining": "0.00"}
    assert near["benefits"]["out_of_pocket"] == {"amount": "3000.00", "remaining": "50.00"}
    hmo_check = await check(client, hmo["id"])
    assert hmo_check["plan"]["code"] == "HMO-SELECT"
    assert hmo_check["benefits"]["copay"] == "25.00"
    assert hmo_check["benefits"]["coinsurance_percent"] == "10.00"
    assert hmo_check["benefits"]["deductible"] == {"amount": "0.00", "remaining": "0.00"}
    mcr = await check(client, medicare["id"])
    assert mcr["plan"]["code"] == "MCR-B"
    assert mcr["benefits"]["deductible"] == {"amount": "257.00", "remaining": "0.00"}
    answers = [(await files(client, c["id"]))["answer"] for c in (near, hmo_check, mcr)]
    assert_valid(*answers)


async def test_unknown_malformed_ended_and_inactive_payer(client: httpx.AsyncClient,
                                                          billing: Billing) -> None:
    unknown = await billing.coverage("MRN-EL4", member_id="W000000000")
    malformed = await billing.coverage("MRN-EL5", member_id="X12")
    ended = await billing.coverage("MRN-EL6", member_id="W100000001")
    closed = await billing.coverage("MRN-EL7", payer_id="MOCK-OLD", member_id="L100000001")
    not_found = await check(client, unknown["id"])
    assert not_found["status"] == "error"
    assert [e["code"] for e in not_found["errors"]] == ["75"]
    assert "no member" in not_found["errors"][0]["message"]
    assert not_found["benefits"] is None and not_found["plan"] is None
    bad_id = await check(client, malformed["id"])
    assert [e["code"] for e in bad_id["errors"]] == ["72"]
    gone = await check(client, ended["id"])
    assert gone["status"] == "inactive" and gone["errors"] == [] and gone["benefits"] is None
    assert gone["plan"]["code"] == "PPO-GOLD"
    assert read_271((await files(client, gone["id"]))["answer"]).plan_end.isoformat() \
        == "2026-03-31"  # type: ignore[union-attr]
    # Before the coverage ended, the same member is active.
    still = await check(client, ended["id"], date_of_service="2026-03-31")
    assert still["status"] == "active"
    old_payer = await check(client, closed["id"])
    assert [e["code"] for e in old_payer["errors"]] == ["79"]
    texts = []
    for result in (not_found, bad_id, gone, still, old_payer):
        x12 = await files(client, result["id"])
        texts += [x12["inquiry"], x12["answer"]]
    assert_valid(*texts)


async def test_the_independent_validator_finds_a_broken_271(client: httpx.AsyncClient,
                                                            billing: Billing) -> None:
    coverage = await billing.coverage("MRN-EL8", member_id="W000000000")
    answer = (await files(client, (await check(client, coverage["id"]))["id"]))["answer"]
    unknown_reason = answer.replace("AAA*N**75*C", "AAA*N**99*C")
    no_subscriber = answer.replace("HL*3*2*22*0~", "")
    found = independent_findings([answer, unknown_reason, no_subscriber])
    assert found[0] == []
    assert found[1] and "reject_reason_code" in found[1][0]
    assert found[2]


async def test_a_coverage_shows_its_last_check(client: httpx.AsyncClient,
                                               billing: Billing) -> None:
    coverage = await billing.coverage("MRN-EL9", member_id="W100000001")
    assert coverage["last_eligibility_check"] is None
    first = await check(client, coverage["id"], date_of_service="2026-03-01")
    second = await check(client, coverage["id"])
    shown = (await client.get(f"/v1/coverages/{coverage['id']}")).json()
    assert shown["last_eligibility_check"] == {
        "id": second["id"], "status": "inactive", "date_of_service": DOS,
        "checked_at": second["checked_at"]}
    assert first["status"] == "active"
    listed = (await client.get("/v1/coverages", params={"patient_id": "MRN-EL9"})).json()
    assert [c["last_eligibility_check"]["id"] for c in listed["items"]] == [second["id"]]


async def test_bad_requests_and_other_tenants(client: httpx.AsyncClient,
                                              billing: Billing) -> None:
    coverage = await billing.coverage("MRN-EL10")
    unknown = await check(client, "no-such-coverage", expected=422)
    assert [i["path"] for i in unknown["issues"]] == ["$.coverage_id"]
    bad = await client.post("/v1/eligibility-checks", json={
        "coverage_id": coverage["id"], "date_of_service": "2026-13-01",
        "service_type_codes": ["30*"]})
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    assert {i["path"] for i in bad.json()["issues"]} == {
        "$.date_of_service", "$.service_type_codes[0]"}
    mine = await check(client, coverage["id"])
    for path in (f"/v1/eligibility-checks/{mine['id']}",
                 f"/v1/eligibility-checks/{mine['id']}/x12"):
        assert (await client.get(path, headers=CLINIC_B)).status_code == 404
    other = await client.post("/v1/eligibility-checks", headers=CLINIC_B, json={
        "coverage_id": coverage["id"], "date_of_service": DOS})
    assert other.status_code == 422
