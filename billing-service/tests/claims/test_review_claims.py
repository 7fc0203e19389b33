"""Claims: one original per visit (a new coding of a billed visit is its correction), a total
no payer file can carry refused before anything is stored, coding-service's 403 passed on as
the caller's own, and actors named as coding-service names them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from payer_files import HOME_ADDRESS, billing_party, rendering_party

from billing_service.claims.builder import BuiltLine
from billing_service.claims.scrubber import CoverageWindow, ScrubInput, scrub
from rcm_shared.auth import hash_key


def visit(code: str = "99213", charge: str = "150.00") -> dict[str, Any]:
    return {"procedure_code": code, "modifiers": [], "units": 1, "charge": charge,
            "diagnosis_pointers": [1]}


async def claims_of(billing: Any, patient_id: str) -> list[dict[str, Any]]:
    return (await billing.get(f"/v1/claims?patient_id={patient_id}"))["items"]


async def create(billing: Any, encounter: dict[str, Any]) -> Any:
    return await billing.http.post("/v1/claims",
                                   json={"encounter_id": encounter["encounter_id"]})


# --- one original claim per visit ------------------------------------------------------


async def test_a_new_coding_of_a_billed_visit_points_to_the_correction(billing) -> None:
    encounter = billing.coding.add(lines=[visit()])
    await billing.coverage(encounter["patient"]["id"])
    original = await billing.submitted_and_processed((await billing.claim_for(encounter))["id"])
    assert original["status"] == "paid"

    billing.coding.recode(encounter, lines=[visit("99214", "200.00")])
    refused = await create(billing, encounter)
    assert refused.status_code == 409
    assert refused.headers["content-type"] == "application/problem+json"
    problem = refused.json()
    assert (problem["claim_id"], problem["claim_status"], problem["corrections"]) == (
        original["id"], "paid", f"/v1/claims/{original['id']}/corrections")
    assert [c["id"] for c in await claims_of(billing, encounter["patient"]["id"])] == [
        original["id"]]

    # The way it points to works, and the replacement then stands for the visit.
    replacement = await billing.http.post(f"/v1/claims/{original['id']}/corrections",
                                          json={"encounter_coding_version": 2})
    assert replacement.status_code == 201, replacement.text
    # Recoded before it was sent, the replacement is rebuilt as a replacement of the same
    # claim: the payer still holds the original.
    billing.coding.recode(encounter, lines=[visit("99215", "250.00")])
    again = await create(billing, encounter)
    assert again.status_code == 201, again.text
    rebuilt = again.json()
    assert (rebuilt["coding_version"], rebuilt["frequency_code"], rebuilt["replaces_claim_id"],
            rebuilt["original_payer_claim_number"]) == (
        3, "7", original["id"], original["payer_claim_control_number"])
    assert (await billing.get(f"/v1/claims/{original['id']}"))["replaced_by_claim_id"] == (
        rebuilt["id"])
    assert (await billing.get(f"/v1/claims/{replacement.json()['id']}"))["status"] == (
        "canceled")
    paid = await billing.submitted_and_processed(rebuilt["id"])
    assert paid["status"] == "paid"


async def test_a_claim_not_yet_sent_is_rebuilt_from_the_new_coding(billing) -> None:
    encounter = billing.coding.add(lines=[visit()])
    await billing.coverage(encounter["patient"]["id"])
    ready = await billing.claim_for(encounter)
    billing.coding.recode(encounter, lines=[visit("99212", "90.00")])
    rebuilt = await create(billing, encounter)
    assert (rebuilt.status_code, rebuilt.json()["coding_version"]) == (201, 2)
    assert [(c["id"], c["status"]) for c in await claims_of(billing, encounter["patient"]["id"])
            ] == [(ready["id"], "canceled"), (rebuilt.json()["id"], "ready")]


async def test_a_voided_original_leaves_room_for_a_new_claim(billing) -> None:
    encounter = billing.coding.add(lines=[visit()])
    await billing.coverage(encounter["patient"]["id"])
    paid = await billing.submitted_and_processed((await billing.claim_for(encounter))["id"])
    voided = await billing.act(paid["id"], "void")
    assert voided["status"] == "voided"

    billing.coding.recode(encounter, lines=[visit("99214", "200.00")])
    response = await create(billing, encounter)
    assert response.status_code == 201, response.text
    new = response.json()
    assert (new["coding_version"], new["frequency_code"], new["status"]) == (2, "1", "ready")
    await billing.process()


# --- a total no payer file can carry ----------------------------------------------------


def scrub_input(*charges: str) -> ScrubInput:
    lines = tuple(BuiltLine(n, "99213", (), 1, Decimal(charge), (1,), date(2026, 3, 2))
                  for n, charge in enumerate(charges, start=1))
    return ScrubInput(
        diagnoses=("E11.9",), omitted_diagnoses=(), lines=lines,
        total_charge=sum((line.charge for line in lines), Decimal("0.00")),
        billing_provider_npi="1234567893", rendering_provider_npi="1245319599",
        billing_provider=billing_party(), rendering_provider=rendering_party(),
        date_of_service=date(2026, 3, 2), coverage=CoverageWindow(date(2026, 1, 1), None),
        payer_id="MOCK-PPO", payer_active=True, frequency_code="1",
        accepted_frequency_codes=("1",), patient_address=HOME_ADDRESS, relationship="self",
        subscriber_address=None, place_of_service="11", has_service_facility=False,
    )


def test_the_total_may_reach_the_most_an_837p_carries_and_not_a_cent_more() -> None:
    at_most = scrub_input("60000000.00", "39999999.99")
    assert scrub(at_most) == []
    over = replace(at_most, lines=scrub_input("60000000.00", "40000000.00").lines,
                   total_charge=Decimal("100000000.00"))
    assert [(f["rule"], f["path"], f["severity"]) for f in scrub(over)] == [
        ("claim.total_too_large", "$.total_charge", "error")]


async def test_lines_adding_up_beyond_the_cap_are_refused_and_nothing_is_kept(billing) -> None:
    encounter = billing.coding.add(lines=[visit("99213", "60000000.00"),
                                          visit("99214", "40000000.00")])
    await billing.coverage(encounter["patient"]["id"])
    response = await create(billing, encounter)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    [finding] = response.json()["issues"]
    assert (finding["rule"], finding["path"]) == ("claim.total_too_large", "$.total_charge")
    assert "100000000.00" in finding["message"]
    assert await claims_of(billing, encounter["patient"]["id"]) == []


# --- coding-service refusing the caller's key -------------------------------------------


async def test_coding_service_forbidding_the_key_answers_403_once(billing) -> None:
    encounter = billing.coding.add()
    await billing.coverage(encounter["patient"]["id"])
    billing.coding.failures[:] = [403]
    asked_before = len(billing.coding.requests)
    response = await create(billing, encounter)
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/forbidden")
    assert "coding:read" in response.json()["detail"]
    assert len(billing.coding.requests) - asked_before == 1
    assert await claims_of(billing, encounter["patient"]["id"]) == []
    # Nothing else changed: 404 stays 404, other refusals stay 502.
    missing = await billing.http.post("/v1/claims", json={"encounter_id": "enc-none"})
    assert missing.status_code == 404
    billing.coding.failures[:] = [409]
    assert (await create(billing, encounter)).status_code == 502


# --- actors -----------------------------------------------------------------------------


async def test_events_name_the_key_as_coding_service_does(billing) -> None:
    claim = await billing.covered_claim()
    await billing.act(claim["id"], "submit")
    await billing.process()
    actors = [(e["action"], e["actor"])
              for e in (await billing.get(f"/v1/claims/{claim['id']}/events"))["items"]]
    key = f"key:{hash_key('demo-key-clinic-a')[:12]}"
    assert actors == [("create", key), ("submit", key), ("acknowledge", "payer"),
                      ("adjudicate", "payer")]
