"""No claim is left where nothing leads on: a claim built on the wrong or an inactive payer
is re-pointed at another coverage or canceled, a canceled claim's encounter is billed anew, a
reopened encounter's never-accepted claim is rebuilt, and every 409 names what works."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

Claim = dict[str, Any]
CLINIC_B = {"Authorization": "Bearer demo-key-clinic-b"}


def visit(code: str = "99213", charge: str = "150.00") -> dict[str, Any]:
    return {"procedure_code": code, "modifiers": [], "units": 1, "charge": charge,
            "diagnosis_pointers": [1]}


async def inactive_payer_claim(billing: Any) -> tuple[Claim, dict[str, Any]]:
    """A claim built on the patient's coverage with a payer that closed, and the coverage
    recorded since, the one the claim should have gone to."""
    encounter = billing.coding.add(lines=[visit()])
    patient = encounter["patient"]["id"]
    closed = await billing.coverage(patient, payer_id="MOCK-OLD", member_id="L123456789")
    claim = await billing.claim_for(encounter, coverage_id=closed["id"])
    assert claim["status"] == "ready"
    assert [i["rule"] for i in claim["scrub_issues"]] == ["payer.inactive"]
    await billing.end_coverage(closed["id"])
    good = await billing.coverage(patient, effective_from="2021-01-01")
    return claim, good


async def patch_coverage(billing: Any, claim: Claim, coverage_id: str,
                         version: int | None = None) -> Any:
    return await billing.http.patch(
        f"/v1/claims/{claim['id']}", json={"coverage_id": coverage_id},
        headers={"If-Match": f'"{version or claim["version"]}"'})


async def test_a_claim_on_an_inactive_payer_is_pointed_at_another_coverage(billing) -> None:
    claim, good = await inactive_payer_claim(billing)
    refused = await billing.http.post(f"/v1/claims/{claim['id']}/submit")
    assert refused.status_code == 422
    assert {"change_coverage", "cancel"} <= set(refused.json()["allowed_actions"])

    response = await patch_coverage(billing, claim, good["id"])
    assert response.status_code == 200, response.text
    moved = response.json()
    assert response.headers["etag"] == f'"{claim["version"] + 1}"'
    assert (moved["status"], moved["coverage_id"], moved["payer_id"], moved["scrub_issues"]) == (
        "ready", good["id"], "MOCK-PPO", [])
    done = await billing.submitted_and_processed(claim["id"])
    assert done["status"] == "paid"
    event = next(e for e in (await billing.get(f"/v1/claims/{claim['id']}/events"))["items"]
                 if e["action"] == "change_coverage")
    assert (event["from"], event["to"]) == ("ready", "ready")
    assert "MOCK-OLD" in event["reason"] and "MOCK-PPO" in event["reason"]


async def test_a_claim_on_an_inactive_payer_is_canceled_and_billed_anew(billing) -> None:
    claim, good = await inactive_payer_claim(billing)
    canceled = await billing.act(claim["id"], "cancel")
    assert (canceled["status"], canceled["allowed_actions"], canceled["balance"]) == (
        "canceled", [], "0.00")
    events = (await billing.get(f"/v1/claims/{claim['id']}/events"))["items"]
    assert (events[-1]["action"], events[-1]["from"], events[-1]["to"]) == (
        "cancel", "ready", "canceled")

    response = await billing.http.post("/v1/claims", json={
        "encounter_id": claim["encounter_id"], "coverage_id": good["id"]})
    assert response.status_code == 201, response.text
    anew = response.json()
    assert anew["id"] != claim["id"]
    assert (anew["status"], anew["payer_id"], anew["coding_version"], anew["scrub_issues"]) == (
        "ready", "MOCK-PPO", 1, [])
    listed = await billing.get(f"/v1/claims?encounter_id={claim['encounter_id']}")
    assert [(c["id"], c["status"]) for c in listed["items"]] == [
        (claim["id"], "canceled"), (anew["id"], "ready")]
    # Canceled is not open work, and owes nothing.
    worklist = await billing.get("/v1/worklist")
    assert claim["id"] not in {i["claim_id"] for i in worklist["items"]}
    statement = await billing.get(f"/v1/patients/{claim['patient']['id']}/statement")
    assert claim["id"] not in {c["claim_id"] for c in statement["claims"]}


async def test_a_rejected_claim_is_pointed_at_another_coverage_and_resubmitted(billing) -> None:
    encounter = billing.coding.add(lines=[visit()])
    patient = encounter["patient"]["id"]
    wrong = await billing.coverage(patient, member_id="W000000000")
    claim = await billing.claim_for(encounter, coverage_id=wrong["id"])
    rejected = await billing.submitted_and_processed(claim["id"])
    assert rejected["status"] == "rejected"
    await billing.end_coverage(wrong["id"])
    right = await billing.coverage(patient, payer_id="MOCK-HMO", effective_from="2021-01-01")
    assert rejected["allowed_actions"] == ["resubmit", "change_coverage", "cancel"]

    moved = (await patch_coverage(billing, rejected, right["id"])).json()
    assert (moved["status"], moved["payer_id"]) == ("rejected", "MOCK-HMO")
    await billing.act(claim["id"], "resubmit")
    await billing.process()
    assert (await billing.get(f"/v1/claims/{claim['id']}"))["status"] == "paid"


async def test_changing_coverage_is_refused_where_it_cannot_lead(billing) -> None:
    claim, good = await inactive_payer_claim(billing)
    other_patient = await billing.coverage("MRN-someone-else")
    mismatch = await patch_coverage(billing, claim, other_patient["id"])
    assert mismatch.status_code == 422
    assert mismatch.json()["issues"][0]["rule"] == "coverage.patient_mismatch"
    unknown = await patch_coverage(billing, claim, "5a1b3c9e-0000-4000-8000-000000000000")
    assert unknown.status_code == 422
    assert unknown.json()["issues"][0]["rule"] == "coverage.unknown"
    # Another clinic's coverage is no coverage of this one.
    theirs = await billing.http.post("/v1/coverages", headers=CLINIC_B, json={
        "patient_id": claim["patient"]["id"], "payer_id": "MOCK-PPO",
        "member_id": "W300000077", "relationship": "self",
        "subscriber": {"first_name": "Ana", "last_name": "Silva", "birth_date": "1980-02-01",
                       "sex": "F"},
        "effective_from": "2020-01-01"})
    assert theirs.status_code == 201, theirs.text
    foreign = await patch_coverage(billing, claim, theirs.json()["id"])
    assert foreign.status_code == 422
    assert foreign.json()["issues"][0]["rule"] == "coverage.unknown"
    stale = await patch_coverage(billing, claim, good["id"], version=claim["version"] + 5)
    assert stale.status_code == 412
    missing = await billing.http.patch(f"/v1/claims/{claim['id']}",
                                       json={"coverage_id": good["id"]})
    assert missing.status_code == 428
    unchanged = await billing.get(f"/v1/claims/{claim['id']}")
    assert (unchanged["coverage_id"], unchanged["version"]) == (claim["coverage_id"],
                                                                claim["version"])

    moved = (await patch_coverage(billing, claim, good["id"])).json()
    submitted = await billing.act(claim["id"], "submit")
    late = await patch_coverage(billing, submitted, good["id"])
    assert late.status_code == 409
    problem = late.json()
    assert (problem["claim_status"], problem["action"]) == ("submitted", "change_coverage")
    assert problem["allowed_actions"] == ["acknowledge"]
    assert "payer" in problem["detail"]
    assert moved["version"] + 1 == submitted["version"]


async def test_a_reopened_encounter_rebuilds_its_claim_never_sent(billing) -> None:
    encounter = billing.coding.add(lines=[visit()])
    await billing.coverage(encounter["patient"]["id"])
    ready = await billing.claim_for(encounter)
    billing.coding.recode(encounter, lines=[visit("99214", "200.00")])

    response = await billing.http.post("/v1/claims",
                                       json={"encounter_id": encounter["encounter_id"]})
    assert response.status_code == 201, response.text
    rebuilt = response.json()
    assert (rebuilt["coding_version"], rebuilt["frequency_code"], rebuilt["total_charge"],
            rebuilt["coverage_id"]) == (2, "1", "200.00", ready["coverage_id"])
    old = await billing.get(f"/v1/claims/{ready['id']}")
    assert old["status"] == "canceled"
    last = (await billing.get(f"/v1/claims/{ready['id']}/events"))["items"][-1]
    assert (last["action"], last["from"], last["to"]) == ("cancel", "ready", "canceled")
    assert rebuilt["id"] in last["reason"]
    again = await billing.http.post("/v1/claims",
                                    json={"encounter_id": encounter["encounter_id"]})
    assert (again.status_code, again.json()["id"]) == (200, rebuilt["id"])


async def test_a_reopened_encounter_rebuilds_its_rejected_claim(billing) -> None:
    encounter = billing.coding.add(lines=[visit()])
    await billing.coverage(encounter["patient"]["id"], member_id="W000000000")
    rejected = await billing.submitted_and_processed((await billing.claim_for(encounter))["id"])
    assert rejected["status"] == "rejected"
    billing.coding.recode(encounter, lines=[visit("99214", "200.00")])
    response = await billing.http.post("/v1/claims",
                                       json={"encounter_id": encounter["encounter_id"]})
    assert response.status_code == 201, response.text
    assert (await billing.get(f"/v1/claims/{rejected['id']}"))["status"] == "canceled"


async def test_correcting_a_claim_never_accepted_names_the_rebuild(billing) -> None:
    encounter = billing.coding.add(lines=[visit()])
    await billing.coverage(encounter["patient"]["id"])
    ready = await billing.claim_for(encounter)
    billing.coding.recode(encounter, lines=[visit("99214", "200.00")])
    response = await billing.http.post(f"/v1/claims/{ready['id']}/corrections",
                                       json={"encounter_coding_version": 2})
    assert response.status_code == 409
    problem = response.json()
    assert (problem["claim_status"], problem["action"]) == ("ready", "correct")
    assert problem["allowed_actions"] == ["submit", "change_coverage", "cancel"]
    assert "POST /v1/claims" in problem["detail"]
    # And the way it names works.
    rebuilt = await billing.http.post("/v1/claims",
                                      json={"encounter_id": encounter["encounter_id"]})
    assert (rebuilt.status_code, rebuilt.json()["coding_version"]) == (201, 2)


async def test_a_claim_with_the_payer_is_not_rebuilt_and_the_409_says_what_works(
    billing,
) -> None:
    encounter = billing.coding.add(lines=[visit()])
    await billing.coverage(encounter["patient"]["id"])
    submitted = await billing.act((await billing.claim_for(encounter))["id"], "submit")
    billing.coding.recode(encounter, lines=[visit("99214", "200.00")])
    response = await billing.http.post("/v1/claims",
                                       json={"encounter_id": encounter["encounter_id"]})
    assert response.status_code == 409
    problem = response.json()
    assert (problem["claim_id"], problem["claim_status"]) == (submitted["id"], "submitted")
    assert problem["allowed_actions"] == ["acknowledge"]
    assert "payer" in problem["detail"]
    # Once adjudicated, the correction it then names works.
    await billing.process()
    paid_problem = (await billing.http.post(
        "/v1/claims", json={"encounter_id": encounter["encounter_id"]})).json()
    assert paid_problem["allowed_actions"] == ["correct", "void"]
    corrected = await billing.http.post(paid_problem["corrections"],
                                        json={"encounter_coding_version": 2})
    assert corrected.status_code == 201, corrected.text


async def test_canceling_is_refused_once_a_payer_holds_the_claim(billing) -> None:
    claim = await billing.covered_claim()
    paid = await billing.submitted_and_processed(claim["id"])
    response = await billing.http.post(f"/v1/claims/{paid['id']}/cancel")
    assert response.status_code == 409
    problem = response.json()
    assert (problem["claim_status"], problem["allowed_actions"]) == ("paid", ["correct", "void"])
    assert "void" in problem["detail"]
    twice = await billing.covered_claim()
    await billing.act(twice["id"], "cancel")
    again = await billing.http.post(f"/v1/claims/{twice['id']}/cancel")
    assert again.status_code == 409
    assert again.json()["allowed_actions"] == []
    assert "POST /v1/claims" in again.json()["detail"]


async def test_a_canceled_claim_leaves_the_worklist_and_the_aging(billing) -> None:
    claim = await billing.covered_claim(member_id="W000000000", lines=[visit("99213", "123.45")])
    rejected = await billing.submitted_and_processed(claim["id"])
    assert rejected["status"] == "rejected"
    before = await billing.get("/v1/worklist?limit=100")
    assert claim["id"] in {i["claim_id"] for i in before["items"]}

    await billing.act(claim["id"], "cancel")
    after = await billing.get("/v1/worklist?limit=100")
    assert claim["id"] not in {i["claim_id"] for i in after["items"]}
    assert after["aging"]["total_count"] == before["aging"]["total_count"] - 1
    assert Decimal(after["aging"]["total_amount"]) == (
        Decimal(before["aging"]["total_amount"]) - Decimal("123.45"))


async def test_a_canceled_replacement_is_billed_anew_as_a_replacement(billing) -> None:
    encounter = billing.coding.add(lines=[visit()])
    await billing.coverage(encounter["patient"]["id"], payer_id="MOCK-HMO")
    paid = await billing.submitted_and_processed((await billing.claim_for(encounter))["id"])
    billing.coding.recode(encounter, lines=[visit("99214", "200.00")])
    replacement = (await billing.http.post(f"/v1/claims/{paid['id']}/corrections",
                                           json={"encounter_coding_version": 2})).json()
    await billing.act(replacement["id"], "cancel")

    # The payer still holds the paid original: billing anew replaces it, never a 2nd original.
    response = await billing.http.post("/v1/claims",
                                       json={"encounter_id": encounter["encounter_id"]})
    assert response.status_code == 201, response.text
    anew = response.json()
    assert (anew["frequency_code"], anew["replaces_claim_id"], anew["original_payer_claim_number"],
            anew["coding_version"]) == ("7", paid["id"], paid["payer_claim_control_number"], 2)
    assert (await billing.get(f"/v1/claims/{paid['id']}"))["replaced_by_claim_id"] == anew["id"]
    repaid = await billing.submitted_and_processed(anew["id"])
    assert (repaid["status"], repaid["paid_amount"]) == ("paid", "111.01")


async def test_a_replacement_stays_with_the_payer_of_the_claim_it_replaces(billing) -> None:
    encounter = billing.coding.add(lines=[visit()])
    patient = encounter["patient"]["id"]
    hmo = await billing.coverage(patient, payer_id="MOCK-HMO")
    paid = await billing.submitted_and_processed((await billing.claim_for(encounter))["id"])
    billing.coding.recode(encounter, lines=[visit("99214", "200.00")])
    replacement = (await billing.http.post(f"/v1/claims/{paid['id']}/corrections",
                                           json={"encounter_coding_version": 2})).json()
    await billing.end_coverage(hmo["id"])
    ppo = await billing.coverage(patient, effective_from="2021-01-01")
    refused = await patch_coverage(billing, replacement, ppo["id"])
    assert refused.status_code == 422
    issue = refused.json()["issues"][0]
    assert issue["rule"] == "coverage.replacement_payer"
    assert f"/v1/claims/{paid['id']}/void" in issue["message"]
    # A coverage of the payer holding the replaced claim is taken.
    same_payer = await billing.http.patch(
        f"/v1/claims/{replacement['id']}", json={"coverage_id": hmo["id"]},
        headers={"If-Match": str(replacement["version"])})
    assert same_payer.status_code == 200, same_payer.text
