"""POST and GET /v1/claims/{id}/appeals over the in-process mock payer: who may appeal, the
letter, and the payer's decisions reaching the claim."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from tests.conftest import office_visit

from billing_service.payers.adapter import PayerUnavailable

# Deductible met: the payer's 20% coinsurance shows in every amount.
DEDUCTIBLE_MET = "W100000002"
_days = itertools.count(20)
REASON = "Line 2 was a separate session from line 1; the record documents modifier 59."


def therapy(code: str, charge: str, *modifiers: str) -> dict[str, Any]:
    return {**office_visit(code, charge), "modifiers": list(modifiers)}


async def work_item(billing: Any, claim_id: str) -> dict[str, Any]:
    path, cursor = "/v1/worklist?limit=200", None
    while True:
        page = await billing.get(path + (f"&cursor={cursor}" if cursor else ""))
        found = next((i for i in page["items"] if i["claim_id"] == claim_id), None)
        if found is not None or page["next_cursor"] is None:
            assert found is not None
            return found
        cursor = page["next_cursor"]


async def appeal(billing: Any, claim_id: str, level: int = 1, reason: str = REASON,
                 expected: int = 201) -> dict[str, Any]:
    response = await billing.http.post(f"/v1/claims/{claim_id}/appeals",
                                       json={"level": level, "reason": reason})
    assert response.status_code == expected, response.text
    body: dict[str, Any] = response.json()
    return body


async def bundled_claim(billing: Any) -> dict[str, Any]:
    # Each on a day of its own: the same member's same services on one day are a duplicate.
    claim = await billing.covered_claim(
        member_id=DEDUCTIBLE_MET, date_of_service=date.today() - timedelta(days=next(_days)),
        lines=[therapy("97530", "60.00"), therapy("97140", "50.00", "59")])
    return await billing.submitted_and_processed(claim["id"])


async def test_a_distinct_procedure_held_for_records_is_overturned_and_paid(billing) -> None:
    denied = await bundled_claim(billing)
    # The PPO pays 59 only after reviewing the record: CO-97 with M127 until then.
    assert denied["status"] == "partially_paid"
    assert [(d["line"], d["carc"], d["rarcs"], d["category"]) for d in denied["denials"]] == [
        (2, "97", ["M15", "M127"], "bundling")]
    assert (denied["paid_amount"], denied["patient_responsibility"]) == ("35.36", "8.84")

    submitted = await appeal(billing, denied["id"])
    assert (submitted["status"], submitted["level"], submitted["reason"]) == (
        "submitted", 1, REASON)
    assert submitted["decided_at"] is None and submitted["decision"] is None
    letter = submitted["letter"]
    for said in (denied["payer_claim_control_number"], denied["patient_control_number"],
                 denied["id"], f"Patient account {denied['patient']['id']}",
                 "line 2, 97140-59", "CO-97", "M127", REASON, "Mock Commercial PPO"):
        assert said in letter
    for phi in (denied["patient"]["last_name"], denied["patient"]["birth_date"]):
        assert phi not in letter
    await appeal(billing, denied["id"], expected=409)  # one at a time

    await billing.process()
    paid = await billing.get(f"/v1/claims/{denied['id']}")
    # 97530 44.20 and 97140 35.10 allowed, each 20% the patient's: 35.36 + 28.08 paid.
    assert (paid["status"], paid["paid_amount"], paid["patient_responsibility"]) == (
        "paid", "63.44", "15.86")
    assert paid["denials"] == []
    listed = await billing.get(f"/v1/claims/{denied['id']}/appeals")
    assert listed["next_cursor"] is None
    [decided] = listed["items"]
    assert (decided["id"], decided["status"]) == (submitted["id"], "overturned")
    assert decided["decided_at"] is not None and "line 2" in decided["decision"]
    remittances = (await billing.get(f"/v1/claims/{denied['id']}/remittance"))["remittances"]
    assert [r["status"] for r in remittances] == ["partially_paid", "reversed", "paid"]
    assert remittances[1]["paid"] == "-35.36"
    actions = [e["action"] for e in (await billing.get(
        f"/v1/claims/{denied['id']}/events?limit=200"))["items"]]
    assert actions[-4:] == ["appeal", "reversal", "readjudicate", "appeal_decided"]
    # Nothing denied any more: nothing to appeal.
    await appeal(billing, denied["id"], level=2, expected=409)


async def test_a_timely_filing_denial_is_upheld_at_both_levels(billing) -> None:
    claim = await billing.covered_claim(date_of_service=date.today() - timedelta(days=200))
    denied = await billing.submitted_and_processed(claim["id"])
    assert denied["status"] == "denied"
    problem = await appeal(billing, claim["id"], level=2, expected=409)
    assert problem["field"] == "$.level" and problem["rule"] == "appeal.not_allowed"
    submitted = await appeal(billing, claim["id"])
    item = await work_item(billing, claim["id"])
    assert item["appeal"] == {"appeal_id": submitted["id"], "level": 1, "status": "submitted",
                              "submitted_at": submitted["submitted_at"], "decided_at": None}
    assert item["next_step"].startswith("Wait for the payer's decision on the level 1 appeal")
    await billing.process()
    item = await work_item(billing, claim["id"])
    assert item["appeal"]["status"] == "upheld"
    assert "POST /v1/claims/" in item["next_step"]
    [first] = (await billing.get(f"/v1/claims/{claim['id']}/appeals"))["items"]
    assert first["status"] == "upheld"
    assert "timely filing limit" in first["decision"]
    after = await billing.get(f"/v1/claims/{claim['id']}")
    assert (after["status"], after["paid_amount"]) == ("denied", "0.00")
    await appeal(billing, claim["id"], level=1, expected=409)  # level 1 once
    await appeal(billing, claim["id"], level=2)
    await billing.process()
    listed = (await billing.get(f"/v1/claims/{claim['id']}/appeals"))["items"]
    assert [(a["level"], a["status"]) for a in listed] == [(1, "upheld"), (2, "upheld")]
    assert (await billing.get(f"/v1/claims/{claim['id']}"))["status"] == "denied"


async def test_only_a_claim_with_a_denial_can_be_appealed(billing) -> None:
    ready = await billing.covered_claim()
    problem = await appeal(billing, ready["id"], expected=409)
    assert problem["claim_status"] == "ready" and problem["field"] == "$"
    paid = await billing.submitted_and_processed(ready["id"])
    assert paid["status"] == "paid"
    await appeal(billing, ready["id"], expected=409)
    assert (await billing.get(f"/v1/claims/{ready['id']}/appeals"))["items"] == []


async def test_bad_requests_are_refused_naming_the_field(billing) -> None:
    denied = await bundled_claim(billing)
    for body, field in (({"level": 3, "reason": REASON}, "level"),
                        ({"level": 1, "reason": "   "}, "reason"),
                        ({"level": 1}, "reason")):
        response = await billing.http.post(f"/v1/claims/{denied['id']}/appeals", json=body)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert field in response.text
    response = await billing.http.post("/v1/claims/no-such-claim/appeals",
                                       json={"level": 1, "reason": REASON})
    assert response.status_code == 404
    response = await billing.http.get("/v1/claims/no-such-claim/appeals")
    assert response.status_code == 404
    assert (await billing.get(f"/v1/claims/{denied['id']}/appeals"))["items"] == []


async def test_a_payer_that_does_not_answer_keeps_nothing_and_decides_later(
        app, billing, monkeypatch) -> None:
    denied = await bundled_claim(billing)
    adapter = app.state.payer_adapter

    async def unavailable(*_: Any) -> None:
        raise PayerUnavailable("The payer did not answer in time.")

    with monkeypatch.context() as patched:
        patched.setattr(adapter, "appeal", unavailable)
        response = await billing.http.post(f"/v1/claims/{denied['id']}/appeals",
                                           json={"level": 1, "reason": REASON})
        assert response.status_code == 503, response.text
        assert response.headers["Retry-After"]
    assert (await billing.get(f"/v1/claims/{denied['id']}/appeals"))["items"] == []

    submitted = await appeal(billing, denied["id"])
    with monkeypatch.context() as patched:
        patched.setattr(adapter, "appeal_decision", unavailable)
        await billing.process()
        [waiting] = (await billing.get(f"/v1/claims/{denied['id']}/appeals"))["items"]
        assert (waiting["id"], waiting["status"]) == (submitted["id"], "submitted")
    await billing.process()
    [decided] = (await billing.get(f"/v1/claims/{denied['id']}/appeals"))["items"]
    assert decided["status"] == "overturned"
    assert (await billing.get(f"/v1/claims/{denied['id']}"))["status"] == "paid"


async def test_an_appeal_won_in_part_pays_that_part_and_leaves_the_rest_denied(billing) -> None:
    claim = await billing.covered_claim(
        member_id=DEDUCTIBLE_MET, date_of_service=date.today() - timedelta(days=next(_days)),
        lines=[therapy("97530", "60.00"), therapy("97140", "50.00", "XU"),
               therapy("97810", "80.00")])
    denied = await billing.submitted_and_processed(claim["id"])
    assert [(d["line"], d["category"]) for d in denied["denials"]] == [
        (2, "bundling"), (3, "other")]
    await appeal(billing, claim["id"])
    await billing.process()
    after = await billing.get(f"/v1/claims/{claim['id']}")
    assert (after["status"], after["paid_amount"]) == ("partially_paid", "63.44")
    assert [(d["line"], d["carc"], d["category"]) for d in after["denials"]] == [
        (3, "96", "other")]
    [decided] = (await billing.get(f"/v1/claims/{claim['id']}/appeals"))["items"]
    assert decided["status"] == "overturned"
    assert "Upheld for line 3 (96)" in decided["decision"]
    events = (await billing.get(f"/v1/claims/{claim['id']}/events?limit=200"))["items"]
    readjudicated = next(e for e in events if e["action"] == "readjudicate")
    assert (readjudicated["from"], readjudicated["to"]) == ("partially_paid", "partially_paid")
    # Level 2 follows only an upheld level 1.
    await appeal(billing, claim["id"], level=2, expected=409)


async def test_a_claim_voided_while_its_appeal_is_decided_ends_with_nothing_paid(
        billing) -> None:
    denied = await bundled_claim(billing)
    await appeal(billing, denied["id"])
    assert (await billing.act(denied["id"], "void"))["status"] == "voided"
    # The payer decides the appeal in its next turn and adjudicates the void a turn later:
    # the appeal's payment comes, and the void takes it back.
    await billing.process()
    [decided] = (await billing.get(f"/v1/claims/{denied['id']}/appeals"))["items"]
    assert decided["status"] == "overturned"
    after = await billing.get(f"/v1/claims/{denied['id']}")
    assert (after["status"], after["paid_amount"], after["balance"]) == (
        "voided", "0.00", "0.00")
    remittances = (await billing.get(f"/v1/claims/{denied['id']}/remittance"))["remittances"]
    assert [(r["status"], r["paid"]) for r in remittances] == [
        ("partially_paid", "35.36"), ("reversed", "-35.36"), ("paid", "63.44"),
        ("reversed", "-63.44")]


async def bundled_claim_with_a_secondary(
        billing: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A visit billed to the PPO (which holds the 59 line) with the HMO second: the encounter
    and its primary claim, adjudicated; the HMO's claim is built and ready."""
    encounter = billing.coding.add(
        date_of_service=date.today() - timedelta(days=next(_days)),
        lines=[therapy("97530", "60.00"), therapy("97140", "50.00", "59")])
    patient = encounter["patient"]["id"]
    await billing.coverage(patient, member_id=DEDUCTIBLE_MET)
    await billing.coverage(patient, payer_id="MOCK-HMO", priority="secondary")
    primary = await billing.submitted_and_processed((await billing.claim_for(encounter))["id"])
    return encounter, primary


async def test_an_appeal_won_on_the_primary_replaces_the_secondary_claim_built_before_it(
        billing) -> None:
    encounter, primary = await bundled_claim_with_a_secondary(billing)
    patient = encounter["patient"]["id"]
    assert (primary["status"], primary["paid_amount"], primary["patient_responsibility"]) == (
        "partially_paid", "35.36", "8.84")
    # The HMO, second, pays what the PPO left the patient on line 1; line 2 stays denied.
    first_secondary = await billing.submitted_and_processed(
        (await standing_claims(billing, encounter))[1]["id"])
    assert (first_secondary["payer_sequence"], first_secondary["status"],
            first_secondary["paid_amount"], first_secondary["patient_responsibility"]) == (
        "secondary", "partially_paid", "8.84", "0.00")

    await appeal(billing, primary["id"])
    await billing.process()
    overturned = await billing.get(f"/v1/claims/{primary['id']}")
    assert (overturned["status"], overturned["paid_amount"],
            overturned["patient_responsibility"]) == ("paid", "63.44", "15.86")
    # What the HMO was told the PPO paid is no longer true: its claim is replaced.
    replaced = await billing.get(f"/v1/claims/{first_secondary['id']}")
    second = await billing.get(f"/v1/claims/{replaced['replaced_by_claim_id']}")
    assert (replaced["status"], second["status"], second["frequency_code"],
            second["prior_claim_id"], second["original_payer_claim_number"]) == (
        "replaced", "ready", "7", primary["id"], first_secondary["payer_claim_control_number"])
    assert [c["id"] for c in await standing_claims(billing, encounter)] == [
        primary["id"], second["id"]]
    history = (await billing.get(f"/v1/claims/{first_secondary['id']}/events"))["items"]
    assert history[-1]["reason"] == (f"Replaced by claim {second['id']}: claim "
                                     f"{primary['id']} was adjudicated again by its payer")

    final = await billing.submitted_and_processed(second["id"])
    # The HMO's replacement pays all the patient now owes after the PPO, 15.86; its
    # reversal took back the 8.84 of the claim it replaced.
    assert (final["status"], final["paid_amount"], final["patient_responsibility"]) == (
        "paid", "15.86", "0.00")
    taken_back = await billing.get(f"/v1/claims/{first_secondary['id']}")
    assert (taken_back["paid_amount"], taken_back["patient_responsibility"]) == (
        "0.00", "0.00")
    totals = (await billing.get(f"/v1/patients/{patient}/statement"))["totals"]
    # billed 110.00 = 63.44 + 15.86 paid + 30.70 the PPO's contractual adjustment + 0.00 owed
    assert (totals["billed"], totals["insurance_paid"], totals["plan_discount"],
            totals["you_owe"]) == ("110.00", "79.30", "30.70", "0.00")


async def standing_claims(billing: Any, encounter: dict[str, Any]) -> list[dict[str, Any]]:
    """The encounter's claims neither replaced nor taken back, primary first."""
    listed = await billing.get(f"/v1/claims?encounter_id={encounter['encounter_id']}")
    standing = [c for c in listed["items"] if c["status"] not in ("replaced", "canceled",
                                                                   "voided")]
    return sorted(standing, key=lambda c: ["primary", "secondary"].index(c["payer_sequence"]))


async def test_an_appeal_won_while_the_payer_after_holds_its_claim_voids_it_and_bills_anew(
        billing) -> None:
    encounter, primary = await bundled_claim_with_a_secondary(billing)
    patient = encounter["patient"]["id"]
    first_secondary = (await standing_claims(billing, encounter))[1]
    await appeal(billing, primary["id"])
    await billing.act(first_secondary["id"], "submit")
    # In one turn the HMO accepts the claim (277CA) and the PPO overturns its denial: the
    # HMO's claim, accepted but not adjudicated, is voided and the HMO billed anew.
    await billing.process()
    voided = await billing.get(f"/v1/claims/{first_secondary['id']}")
    [primary_now, second] = await standing_claims(billing, encounter)
    assert (voided["status"], primary_now["status"], second["status"],
            second["frequency_code"], second["prior_claim_id"]) == (
        "voided", "paid", "ready", "1", primary["id"])
    history = (await billing.get(f"/v1/claims/{first_secondary['id']}/events"))["items"]
    assert any(e["action"] == "void" and e["reason"] == (
        f"Voided: claim {second['id']} bills this payer for claim {primary['id']}, which was "
        "adjudicated again by its payer") for e in history)
    # The HMO's answer to the voided claim came and was taken back by the void.
    assert (voided["paid_amount"], voided["balance"]) == ("0.00", "0.00")

    final = await billing.submitted_and_processed(second["id"])
    assert (final["status"], final["paid_amount"], final["patient_responsibility"]) == (
        "paid", "15.86", "0.00")
    totals = (await billing.get(f"/v1/patients/{patient}/statement"))["totals"]
    assert (totals["billed"], totals["insurance_paid"], totals["plan_discount"],
            totals["you_owe"]) == ("110.00", "79.30", "30.70", "0.00")
