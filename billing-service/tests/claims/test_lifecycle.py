"""Claims through the real mock payer: acknowledgment, adjudication, posting to the cent,
rejection and resubmission, correction and void, driven by POST /v1/admin/process."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any


def visit(code: str, charge: str, pointers: tuple[int, ...] = (1,)) -> dict[str, Any]:
    return {"procedure_code": code, "modifiers": [], "units": 1, "charge": charge,
            "diagnosis_pointers": list(pointers)}


def days_ago(days: int) -> date:
    return date.today() - timedelta(days=days)


def money(value: str) -> Decimal:
    return Decimal(value)


def assert_balanced(remittance: dict[str, Any]) -> None:
    """billed == paid + adjustments on every line of every remittance."""
    for posted in remittance["remittances"]:
        for ln in posted["lines"]:
            adjusted = sum((money(a["amount"]) for a in ln["adjustments"]), Decimal("0"))
            assert money(ln["billed"]) == money(ln["paid"]) + adjusted, ln


def line_adjustments(remittance: dict[str, Any], index: int = 0) -> list[tuple[str, str, str]]:
    lines = remittance["remittances"][index]["lines"]
    return [(a["group"], a["carc"], a["amount"]) for ln in lines for a in ln["adjustments"]]


async def events(billing, claim_id: str) -> list[tuple[str, str | None, str]]:
    return [(e["action"], e["from"], e["to"])
            for e in (await billing.get(f"/v1/claims/{claim_id}/events"))["items"]]


async def test_clean_claim_is_paid_with_copay_and_coinsurance_to_the_cent(billing) -> None:
    claim = await billing.covered_claim(payer_id="MOCK-HMO", lines=[visit("99213", "150.00")])
    submitted = await billing.act(claim["id"], "submit")
    assert submitted["status"] == "submitted"
    assert submitted["submission_count"] == 1

    processed = await billing.process()
    assert processed["sent"] >= 1
    assert processed["pending_jobs"] == 0

    paid = await billing.get(f"/v1/claims/{claim['id']}")
    assert paid["status"] == "paid"
    assert paid["payer_claim_control_number"]
    # Fee schedule 104.65: CO-45 45.35; copay 25.00; 10% of 79.65 = 7.965 -> 7.97.
    assert (paid["paid_amount"], paid["patient_responsibility"], paid["adjustment_amount"],
            paid["balance"]) == ("71.68", "32.97", "78.32", "0.00")
    remittance = await billing.get(f"/v1/claims/{claim['id']}/remittance")
    assert_balanced(remittance)
    assert sorted(line_adjustments(remittance)) == [
        ("CO", "45", "45.35"), ("PR", "2", "7.97"), ("PR", "3", "25.00")]
    assert remittance["totals"] == {"billed": "150.00", "allowed": "104.65", "paid": "71.68",
                                    "patient_responsibility": "32.97", "adjustments": "78.32",
                                    "balance": "0.00", "underpaid": "0.00"}
    assert await events(billing, claim["id"]) == [
        ("create", None, "ready"), ("submit", "ready", "submitted"),
        ("acknowledge", "submitted", "accepted"), ("adjudicate", "accepted", "paid")]
    history = (await billing.get(f"/v1/claims/{claim['id']}/events"))["items"]
    assert history[2]["actor"] == "payer"
    assert history[1]["actor"] == history[0]["actor"] != "payer"
    assert set(history[3]["carc"]) == {"CO-45", "PR-3", "PR-2"}

    statement = await billing.get(f"/v1/patients/{claim['patient']['id']}/statement")
    item = statement["claims"][0]
    assert (item["billed"], item["insurance_paid"], item["plan_discount"], item["you_owe"]) == (
        "150.00", "71.68", "45.35", "32.97")
    texts = {e["kind"]: e["text"] for e in item["explanation"]}
    assert texts["copay"] == "Your copay for the visit: $25.00."
    assert texts["coinsurance"].startswith("Coinsurance (10%) of the allowed amount: $7.97.")
    assert statement["summary"] == "You owe $32.97 for 1 visit."


async def test_all_allowed_to_deductible_is_paid_zero_not_denied(billing) -> None:
    claim = await billing.covered_claim(lines=[visit("99213", "150.00")])
    done = await billing.submitted_and_processed(claim["id"])
    assert done["status"] == "paid"
    assert (done["paid_amount"], done["patient_responsibility"]) == ("0.00", "118.30")
    remittance = await billing.get(f"/v1/claims/{claim['id']}/remittance")
    assert_balanced(remittance)
    assert sorted(line_adjustments(remittance)) == [("CO", "45", "31.70"), ("PR", "1", "118.30")]
    statement = await billing.get(f"/v1/patients/{claim['patient']['id']}/statement")
    texts = [e["text"] for e in statement["claims"][0]["explanation"]]
    assert "Your plan's deductible: $118.30." in texts[-1]


async def test_deductible_accumulates_across_two_claims_of_one_member(billing) -> None:
    first_encounter = billing.coding.add(
        patient_id="MRN-accum", date_of_service=days_ago(10),
        lines=[visit("99215", "300.00"), visit("73560", "60.00"), visit("71046", "50.00")])
    coverage = await billing.coverage("MRN-accum")
    first = await billing.claim_for(first_encounter)
    first_done = await billing.submitted_and_processed(first["id"])
    # 236.60 + 42.90 + 41.60 = 321.10, all of it deductible.
    assert (first_done["paid_amount"], first_done["patient_responsibility"]) == ("0.00", "321.10")

    second_encounter = billing.coding.add(patient_id="MRN-accum", date_of_service=days_ago(9),
                                          lines=[visit("99215", "300.00")])
    second = await billing.claim_for(second_encounter, coverage_id=coverage["id"])
    second_done = await billing.submitted_and_processed(second["id"])
    # 500.00 - 321.10 = 178.90 deductible left; 20% of the other 57.70 is 11.54.
    remittance = await billing.get(f"/v1/claims/{second['id']}/remittance")
    assert_balanced(remittance)
    assert sorted(line_adjustments(remittance)) == [
        ("CO", "45", "63.40"), ("PR", "1", "178.90"), ("PR", "2", "11.54")]
    assert (second_done["status"], second_done["paid_amount"],
            second_done["patient_responsibility"]) == ("paid", "46.16", "190.44")

    statement = await billing.get("/v1/patients/MRN-accum/statement")
    assert [c["you_owe"] for c in statement["claims"]] == ["321.10", "190.44"]
    assert statement["totals"] == {"billed": "710.00", "insurance_paid": "46.16",
                                   "plan_discount": "152.30", "you_owe": "511.54",
                                   "payments": "0.00", "refunds": "0.00", "write_offs": "0.00",
                                   "still_owed": "511.54", "awaiting_insurance": "0.00",
                                   "balance": "511.54"}


async def test_partially_paid_when_a_line_is_not_covered(billing) -> None:
    claim = await billing.covered_claim(payer_id="MOCK-HMO", lines=[
        visit("99213", "150.00"), visit("97810", "80.00")])
    done = await billing.submitted_and_processed(claim["id"])
    assert done["status"] == "partially_paid"
    assert (done["paid_amount"], done["patient_responsibility"], done["balance"]) == (
        "71.68", "32.97", "0.00")
    remittance = await billing.get(f"/v1/claims/{claim['id']}/remittance")
    assert_balanced(remittance)
    denied_line = remittance["remittances"][0]["lines"][1]
    assert (denied_line["paid"], denied_line["allowed"]) == ("0.00", "0.00")
    assert [(a["group"], a["carc"], a["amount"]) for a in denied_line["adjustments"]] == [
        ("CO", "96", "80.00")]
    assert denied_line["rarc"] == ["N130"]
    event = (await billing.get(f"/v1/claims/{claim['id']}/events"))["items"][-1]
    assert "CO-96" in event["carc"] and "N130" in event["rarc"]
    assert "Service not covered" in event["reason"]


async def test_denied_claim_reaches_the_worklist_with_its_reason(billing) -> None:
    claim = await billing.covered_claim(lines=[visit("97810", "80.00")])
    done = await billing.submitted_and_processed(claim["id"])
    assert (done["status"], done["paid_amount"], done["patient_responsibility"]) == (
        "denied", "0.00", "0.00")
    assert done["allowed_actions"] == ["correct", "void"]
    remittance = await billing.get(f"/v1/claims/{claim['id']}/remittance")
    assert_balanced(remittance)
    worklist = await billing.get("/v1/worklist")
    item = next(i for i in worklist["items"] if i["claim_id"] == claim["id"])
    assert item["kind"] == "denied"
    assert "CO-96" in item["carc"]
    assert item["reason"].startswith("Denied: CO-96")
    assert claim["id"] in item["next_step"]
    statement = await billing.get(f"/v1/patients/{claim['patient']['id']}/statement")
    assert statement["claims"][0]["you_owe"] == "0.00"
    assert statement["claims"][0]["explanation"][-1]["kind"] == "declined"


async def test_rejected_for_unknown_member_is_fixed_and_resubmitted(billing) -> None:
    encounter = billing.coding.add(lines=[visit("99213", "150.00")])
    coverage = await billing.coverage(encounter["patient"]["id"], member_id="W000000000")
    claim = await billing.claim_for(encounter)
    rejected = await billing.submitted_and_processed(claim["id"])
    assert rejected["status"] == "rejected"
    assert rejected["payer_errors"] and rejected["payer_errors"][0]["code"].startswith("A7")
    assert rejected["allowed_actions"] == ["resubmit", "change_coverage", "cancel"]
    worklist = await billing.get("/v1/worklist")
    item = next(i for i in worklist["items"] if i["claim_id"] == claim["id"])
    assert item["kind"] == "rejected"
    assert rejected["payer_errors"][0]["message"] in item["reason"]

    await billing.http.patch(f"/v1/coverages/{coverage['id']}",
                             json={"member_id": "W300000001"}, headers={"If-Match": "1"})
    resubmitted = await billing.act(claim["id"], "resubmit")
    assert (resubmitted["status"], resubmitted["submission_count"]) == ("submitted", 2)
    assert resubmitted["payer_errors"] == []
    await billing.process()
    paid = await billing.get(f"/v1/claims/{claim['id']}")
    assert (paid["status"], paid["patient_responsibility"]) == ("paid", "118.30")
    assert await events(billing, claim["id"]) == [
        ("create", None, "ready"), ("submit", "ready", "submitted"),
        ("acknowledge", "submitted", "rejected"), ("resubmit", "rejected", "submitted"),
        ("acknowledge", "submitted", "accepted"), ("adjudicate", "accepted", "paid")]


async def test_correction_after_a_denial_replaces_the_claim(billing) -> None:
    encounter = billing.coding.add(lines=[visit("97810", "80.00")])
    await billing.coverage(encounter["patient"]["id"])
    original = await billing.claim_for(encounter)
    denied = await billing.submitted_and_processed(original["id"])
    assert denied["status"] == "denied"

    billing.coding.recode(encounter, lines=[visit("99213", "150.00")])
    response = await billing.http.post(f"/v1/claims/{original['id']}/corrections",
                                       json={"encounter_coding_version": 2})
    assert response.status_code == 201
    replacement = response.json()
    assert response.headers["location"] == f"/v1/claims/{replacement['id']}"
    assert (replacement["status"], replacement["frequency_code"],
            replacement["coding_version"]) == ("ready", "7", 2)
    assert replacement["original_payer_claim_number"] == denied["payer_claim_control_number"]
    assert replacement["replaces_claim_id"] == original["id"]
    replaced = await billing.get(f"/v1/claims/{original['id']}")
    assert (replaced["status"], replaced["replaced_by_claim_id"]) == (
        "replaced", replacement["id"])
    assert replaced["allowed_actions"] == []
    # The replacement is the claim of coding version 2.
    again = await billing.http.post("/v1/claims", json={"encounter_id": encounter["encounter_id"]})
    assert (again.status_code, again.json()["id"]) == (200, replacement["id"])

    paid = await billing.submitted_and_processed(replacement["id"])
    assert (paid["status"], paid["patient_responsibility"]) == ("paid", "118.30")
    statement = await billing.get(f"/v1/patients/{encounter['patient']['id']}/statement")
    assert [c["claim_id"] for c in statement["claims"]] == [replacement["id"]]


async def test_correction_after_payment_reverses_then_pays_anew(billing) -> None:
    encounter = billing.coding.add(lines=[visit("99213", "150.00")])
    await billing.coverage(encounter["patient"]["id"], payer_id="MOCK-HMO")
    original = await billing.claim_for(encounter)
    paid = await billing.submitted_and_processed(original["id"])
    assert paid["paid_amount"] == "71.68"

    billing.coding.recode(encounter, lines=[visit("99214", "200.00")])
    replacement = (await billing.http.post(f"/v1/claims/{original['id']}/corrections",
                                           json={"encounter_coding_version": 2})).json()
    repaid = await billing.submitted_and_processed(replacement["id"])
    # 148.35 allowed; copay 25.00; 10% of 123.35 = 12.335 -> 12.34; paid 111.01.
    assert (repaid["status"], repaid["paid_amount"], repaid["patient_responsibility"]) == (
        "paid", "111.01", "37.34")
    reversed_original = await billing.get(f"/v1/claims/{original['id']}")
    assert (reversed_original["status"], reversed_original["paid_amount"],
            reversed_original["patient_responsibility"], reversed_original["adjustment_amount"],
            reversed_original["balance"]) == ("replaced", "0.00", "0.00", "0.00", "0.00")
    remittance = await billing.get(f"/v1/claims/{original['id']}/remittance")
    assert_balanced(remittance)
    assert [(r["status"], r["paid"]) for r in remittance["remittances"]] == [
        ("paid", "71.68"), ("reversed", "-71.68")]
    assert ("reversal", "replaced", "replaced") in await events(billing, original["id"])


async def test_void_recoups_the_payment(billing) -> None:
    claim = await billing.covered_claim(payer_id="MOCK-HMO", lines=[visit("99213", "150.00")])
    await billing.submitted_and_processed(claim["id"])
    voided = await billing.act(claim["id"], "void")
    assert voided["status"] == "voided"
    await billing.process()
    after = await billing.get(f"/v1/claims/{claim['id']}")
    assert (after["paid_amount"], after["patient_responsibility"], after["balance"]) == (
        "0.00", "0.00", "0.00")
    actions = [a for a, _, _ in await events(billing, claim["id"])]
    assert actions[-3:] == ["void", "void_accepted", "reversal"]
    remittance = await billing.get(f"/v1/claims/{claim['id']}/remittance")
    assert_balanced(remittance)
    assert remittance["totals"]["paid"] == "0.00"
    again = await billing.http.post(f"/v1/claims/{claim['id']}/void")
    assert again.status_code == 409


async def test_medicare_plan_refuses_replacement_and_void_up_front(billing) -> None:
    encounter = billing.coding.add(date_of_service=days_ago(20), lines=[visit("99213", "150.00")])
    await billing.coverage(encounter["patient"]["id"], payer_id="MOCK-MCR",
                           member_id="1EG4TE5MK73")
    claim = await billing.claim_for(encounter)
    paid = await billing.submitted_and_processed(claim["id"])
    assert paid["status"] == "paid"
    asked_before = len(billing.coding.requests)
    for path, body in (("void", None), ("corrections", {"encounter_coding_version": 1})):
        response = await billing.http.post(f"/v1/claims/{claim['id']}/{path}", json=body)
        assert response.status_code == 422, path
        assert response.json()["issues"][0]["rule"] == "payer.frequency_not_accepted"
    assert len(billing.coding.requests) == asked_before
    unchanged = await billing.get(f"/v1/claims/{claim['id']}")
    assert (unchanged["status"], unchanged["version"]) == ("paid", paid["version"])
