"""An encounter too large for one claim is billed as several: POST /v1/claims answers the
first, GET /v1/claims?encounter_id= lists them all, every line is billed once with valid
pointers, each 837P passes pyx12, and a retried request builds nothing more."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from billing_service.x12.validation import pyx12_findings

FOURTEEN = ["E11.9", "I10", "M54.50", "M25.561", "J06.9", "R51.9", "E78.5", "K21.9", "F41.1",
            "G47.00", "N39.0", "Z79.4", "J45.909", "L40.0"]
CODES = ["99213", "36415", "81002", "85025", "80053", "93000", "71046", "73560", "20610",
         "96372"]


def sixty_lines() -> list[dict[str, Any]]:
    """Sixty lines, told apart by their charge, each pointing at three of the fourteen."""
    return [{"procedure_code": CODES[n % len(CODES)], "modifiers": [], "units": 1,
             "charge": f"{100 + n}.00",
             "diagnosis_pointers": [n % 14 + 1, (n + 5) % 14 + 1, (n + 9) % 14 + 1]}
            for n in range(60)]


async def claims_of_encounter(billing: Any, encounter_id: str) -> list[dict[str, Any]]:
    listed = await billing.get(f"/v1/claims?encounter_id={encounter_id}&limit=100")
    return sorted(listed["items"], key=lambda c: c["split"]["index"])


async def test_fourteen_diagnoses_and_sixty_lines_bill_every_line_once(billing) -> None:
    lines = sixty_lines()
    encounter = billing.coding.add(diagnoses=FOURTEEN, lines=lines)
    await billing.coverage(encounter["patient"]["id"])
    response = await billing.http.post("/v1/claims",
                                       json={"encounter_id": encounter["encounter_id"]})
    assert response.status_code == 201, response.text
    first = response.json()

    claims = await claims_of_encounter(billing, encounter["encounter_id"])
    count = len(claims)
    assert count >= 2
    assert first["id"] == claims[0]["id"]
    assert [c["split"] for c in claims] == [{"index": n, "of": count}
                                            for n in range(1, count + 1)]
    encounter_diagnoses = {n: code for n, code in enumerate(FOURTEEN, start=1)}
    own = {ln["charge"]: {encounter_diagnoses[p] for p in ln["diagnosis_pointers"]}
           for ln in lines}
    billed: Counter[str] = Counter()
    for claim in claims:
        assert (claim["status"], claim["scrub_issues"], claim["frequency_code"]) == (
            "ready", [], "1")
        assert 1 <= len(claim["diagnoses"]) <= 12
        assert 1 <= len(claim["lines"]) <= 50
        assert [ln["line_number"] for ln in claim["lines"]] == list(
            range(1, len(claim["lines"]) + 1))
        for ln in claim["lines"]:
            assert 1 <= len(ln["diagnosis_pointers"]) <= 4
            assert all(1 <= p <= len(claim["diagnoses"]) for p in ln["diagnosis_pointers"])
            # The pointers name the diagnoses the line pointed at in the encounter.
            assert {claim["diagnoses"][p - 1] for p in ln["diagnosis_pointers"]} == own[
                ln["charge"]]
            billed[ln["charge"]] += 1
        assert claim["total_charge"] == f"{sum(int(ln['charge'][:-3]) for ln in claim['lines'])}.00"
        x12 = await billing.http.get(f"/v1/claims/{claim['id']}/x12")
        assert x12.status_code == 200, x12.text
        assert pyx12_findings(x12.text) == []
    assert billed == Counter(ln["charge"] for ln in lines)
    assert set(billed.values()) == {1}

    # Each claim goes to the payer on its own and is adjudicated.
    for claim in claims:
        await billing.act(claim["id"], "submit")
    await billing.process()
    done = await claims_of_encounter(billing, encounter["encounter_id"])
    assert {c["status"] for c in done} <= {"paid", "partially_paid"}


async def test_a_repeated_request_answers_the_first_claim_and_builds_no_more(billing) -> None:
    encounter = billing.coding.add(diagnoses=FOURTEEN, lines=sixty_lines())
    await billing.coverage(encounter["patient"]["id"])
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = {"encounter_id": encounter["encounter_id"]}
    first = await billing.http.post("/v1/claims", json=body, headers=key)
    replayed = await billing.http.post("/v1/claims", json=body, headers=key)
    again = await billing.http.post("/v1/claims", json=body)
    assert (first.status_code, replayed.status_code, again.status_code) == (201, 201, 200)
    assert first.json() == replayed.json()
    assert again.json()["id"] == first.json()["id"]
    assert first.json()["split"]["index"] == 1
    claims = await claims_of_encounter(billing, encounter["encounter_id"])
    assert len(claims) == first.json()["split"]["of"]


async def test_fifty_lines_and_twelve_diagnoses_stay_one_claim(billing) -> None:
    lines = [{"procedure_code": "99213", "modifiers": [], "units": 1, "charge": f"{n}.00",
              "diagnosis_pointers": [n % 12 + 1]} for n in range(1, 51)]
    claim = await billing.covered_claim(diagnoses=FOURTEEN[:12], lines=lines)
    assert claim["split"] is None
    assert (len(claim["lines"]), len(claim["diagnoses"]), claim["scrub_issues"]) == (50, 12, [])
    listed = await billing.get(f"/v1/claims?encounter_id={claim['encounter_id']}")
    assert [c["id"] for c in listed["items"]] == [claim["id"]]


async def test_a_correction_into_several_claims_is_refused_naming_the_way_on(billing) -> None:
    encounter = billing.coding.add(lines=[sixty_lines()[0]], diagnoses=FOURTEEN)
    await billing.coverage(encounter["patient"]["id"])
    paid = await billing.submitted_and_processed((await billing.claim_for(encounter))["id"])
    assert paid["status"] in ("paid", "partially_paid")
    billing.coding.recode(encounter, lines=sixty_lines())
    response = await billing.http.post(f"/v1/claims/{paid['id']}/corrections",
                                       json={"encounter_coding_version": 2})
    assert response.status_code == 422
    problem = response.json()
    assert problem["issues"][0]["rule"] == "correction.split"
    assert "POST /v1/claims" in problem["issues"][0]["message"]
    unchanged = await billing.get(f"/v1/claims/{paid['id']}")
    assert (unchanged["status"], unchanged["version"]) == (paid["status"], paid["version"])


async def test_a_split_with_a_part_canceled_is_billed_anew_whole_and_each_line_once(
    billing,
) -> None:
    lines = sixty_lines()
    encounter = billing.coding.add(diagnoses=FOURTEEN, lines=lines)
    await billing.coverage(encounter["patient"]["id"])
    await billing.claim_for(encounter)
    old = await claims_of_encounter(billing, encounter["encounter_id"])
    await billing.act(old[1]["id"], "cancel")
    # Its other parts still stand: billing anew replaces them all, so no line goes twice.
    response = await billing.http.post("/v1/claims",
                                       json={"encounter_id": encounter["encounter_id"]})
    assert response.status_code == 201, response.text
    listed = (await billing.get(
        f"/v1/claims?encounter_id={encounter['encounter_id']}&limit=100"))["items"]
    assert {c["id"]: c["status"] for c in listed if c["id"] in {o["id"] for o in old}} == {
        o["id"]: "canceled" for o in old}
    standing = [c for c in listed if c["status"] == "ready"]
    assert len(standing) == len(old) == response.json()["split"]["of"]
    billed = Counter(ln["charge"] for c in standing for ln in c["lines"])
    assert billed == Counter(ln["charge"] for ln in lines)
    assert set(billed.values()) == {1}
