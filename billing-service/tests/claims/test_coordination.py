"""Secondary claims through the real mock payer: billing builds the next payer's claim by
itself once a remittance leaves the patient something, sends it with the first payer's
adjudication, follows Medicare's crossover to the supplement, and moves a claim denied CO-22
to the next payer. Every figure to the cent."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from billing_835 import envelope, one_line_claim, payment

from billing_service.x12.claim837 import read_837p
from billing_service.x12.validation import pyx12_findings

_numbers = itertools.count(10)


def medicare_member() -> str:
    """A Medicare beneficiary nobody else in the run uses: nothing met yet."""
    number = next(_numbers)
    return f"1AC2DE3F{'GHJKM'[number // 100 % 5]}{number % 100:02d}"


async def claims_of(billing, encounter_id: str) -> list[dict[str, Any]]:
    listed = await billing.get(f"/v1/claims?encounter_id={encounter_id}")
    return sorted(listed["items"], key=lambda c: ["primary", "secondary", "tertiary"].index(
        c["payer_sequence"]))


def balanced(claim: dict[str, Any]) -> None:
    """billed = what the payer paid + its adjustments (contractual and the patient's share)."""
    assert Decimal(claim["total_charge"]) == (
        Decimal(claim["paid_amount"]) + Decimal(claim["adjustment_amount"])), claim


async def test_medicare_then_a_commercial_secondary_pays_its_own_benefit_at_most(
    billing,
) -> None:
    encounter = billing.coding.add(diagnoses=["E11.9"], lines=[
        {"procedure_code": "99214", "modifiers": [], "units": 1, "charge": "200.00",
         "diagnosis_pointers": [1]}])
    patient = encounter["patient"]["id"]
    await billing.coverage(patient, payer_id="MOCK-MCR", member_id=medicare_member())
    await billing.coverage(patient, payer_id="MOCK-HMO", priority="secondary")
    primary = await billing.claim_for(encounter)
    paid = await billing.submitted_and_processed(primary["id"])
    # Medicare allows 129.00, all of it to the Part B deductible: pays nothing.
    assert (paid["status"], paid["paid_amount"], paid["patient_responsibility"]) == (
        "paid", "0.00", "129.00")
    balanced(paid)

    _, secondary = await claims_of(billing, encounter["encounter_id"])
    assert (secondary["status"], secondary["payer_sequence"], secondary["payer_id"],
            secondary["prior_claim_id"]) == ("ready", "secondary", "MOCK-HMO", primary["id"])
    events = (await billing.get(f"/v1/claims/{primary['id']}/events"))["items"]
    assert events[-1]["action"] == "next_payer"

    done = await billing.submitted_and_processed(secondary["id"])
    # As primary the HMO would allow 148.35 and pay it less its 25.00 copay and 10% of the
    # rest (12.34): 111.01, less than the 129.00 the patient owes, so 111.01 it pays. What the
    # patient still owes keeps Medicare's reason: 17.99 of the deductible.
    assert (done["status"], done["paid_amount"], done["patient_responsibility"]) == (
        "paid", "111.01", "17.99")
    balanced(done)
    remittance = await billing.get(f"/v1/claims/{secondary['id']}/remittance")
    [line] = remittance["remittances"][0]["lines"]
    assert [(a["group"], a["carc"], a["amount"]) for a in line["adjustments"]] == [
        ("OA", "23", "71.00"), ("PR", "1", "17.99")]
    # Every payer's part and the patient's add up to what Medicare allowed.
    assert (Decimal(paid["paid_amount"]) + Decimal(done["paid_amount"])
            + Decimal(done["patient_responsibility"])) == Decimal("129.00")

    # The remittance view shows each payer's part; the patient owes what the last one left.
    view = await billing.get(f"/v1/claims/{primary['id']}/remittance")
    assert [(p["payer_id"], p["payer_sequence"], p["paid"], p["patient_responsibility"])
            for p in view["payers"]] == [("MOCK-MCR", "primary", "0.00", "129.00"),
                                         ("MOCK-HMO", "secondary", "111.01", "17.99")]
    assert view["patient_owes"] == "17.99"
    # So does the statement: the visit's charge once, and only the 17.99 owed.
    statement = await billing.get(f"/v1/patients/{patient}/statement")
    assert [(c["payer_id"], c["payer_sequence"], c["you_owe"]) for c in statement["claims"]] == [
        ("MOCK-MCR", "primary", "0.00"), ("MOCK-HMO", "secondary", "17.99")]
    assert (statement["totals"]["billed"], statement["totals"]["insurance_paid"],
            statement["totals"]["you_owe"]) == ("200.00", "111.01", "17.99")
    first_line = {e["kind"] for e in statement["claims"][0]["explanation"]}
    assert "next_insurance" in first_line and "declined" not in first_line
    second_line = {e["kind"]: e["amount"] for e in statement["claims"][1]["explanation"]}
    assert second_line["other_insurance"] == "71.00"
    assert "declined" not in second_line


async def test_no_second_claim_when_the_patient_owes_nothing_or_has_no_next_coverage(
    billing,
) -> None:
    encounter = billing.coding.add(lines=[
        {"procedure_code": "99385", "modifiers": [], "units": 1, "charge": "180.00",
         "diagnosis_pointers": [1]}], diagnoses=["Z00.00"])
    patient = encounter["patient"]["id"]
    await billing.coverage(patient, payer_id="MOCK-PPO")
    await billing.coverage(patient, payer_id="MOCK-HMO", priority="secondary")
    claim = await billing.claim_for(encounter)
    paid = await billing.submitted_and_processed(claim["id"])
    # A preventive visit the PPO pays in full: nothing left for the HMO.
    assert paid["patient_responsibility"] == "0.00"
    assert len(await claims_of(billing, encounter["encounter_id"])) == 1

    alone = billing.coding.add()
    await billing.coverage(alone["patient"]["id"], payer_id="MOCK-PPO")
    owed = await billing.submitted_and_processed((await billing.claim_for(alone))["id"])
    assert Decimal(owed["patient_responsibility"]) > 0
    assert len(await claims_of(billing, alone["encounter_id"])) == 1


async def test_the_secondary_837p_carries_the_primarys_835_and_passes_pyx12(
    billing, payer,
) -> None:
    encounter = billing.coding.add(lines=[
        {"procedure_code": "99213", "modifiers": [], "units": 1, "charge": "150.00",
         "diagnosis_pointers": [1]},
        {"procedure_code": "36415", "modifiers": [], "units": 1, "charge": "15.00",
         "diagnosis_pointers": [1]}])
    patient = encounter["patient"]["id"]
    await billing.coverage(patient, payer_id="MOCK-HMO")
    await billing.coverage(patient, payer_id="MOCK-PPO", member_id="W100000002",
                           priority="secondary")
    primary = await billing.claim_for(encounter)
    await billing.act(primary["id"], "submit")
    await payer.process()
    remittance = await billing.get(f"/v1/claims/{primary['id']}/remittance")
    _, secondary = await claims_of(billing, encounter["encounter_id"])
    await billing.act(secondary["id"], "submit")
    await payer.process()
    [sent] = [text for text in payer.recorder.sent if "SVD*" in text]
    assert pyx12_findings(sent) == []
    [read] = read_837p(sent).claims
    assert read.claim.payer_sequence == "S"
    [hmo] = read.claim.prior_payers
    posted = remittance["remittances"][0]
    assert (hmo.paid, hmo.patient_responsibility) == (
        Decimal(posted["paid"]), Decimal(posted["patient_responsibility"]))
    for line, posted_line in zip(hmo.lines, posted["lines"], strict=True):
        assert line.paid == Decimal(posted_line["paid"])
        assert [(a.group, a.carc, a.amount) for a in line.adjustments] == [
            (a["group"], a["carc"], Decimal(a["amount"])) for a in posted_line["adjustments"]]
    final = await billing.get(f"/v1/claims/{secondary['id']}")
    assert final["status"] == "paid"
    assert Decimal(final["paid_amount"]) == min(
        Decimal(posted["patient_responsibility"]), Decimal(final["paid_amount"]))


async def test_medicare_crosses_the_claim_over_to_the_supplement(billing, payer) -> None:
    encounter = billing.coding.add(lines=[
        {"procedure_code": "99214", "modifiers": [], "units": 1, "charge": "200.00",
         "diagnosis_pointers": [1]}])
    patient = encounter["patient"]["id"]
    await billing.coverage(patient, payer_id="MOCK-MCR", member_id="1EG4TE5MK74")
    await billing.coverage(patient, payer_id="MOCK-SUPP", member_id="S100000001",
                           priority="secondary")
    primary = await billing.claim_for(encounter)
    medicare = await billing.submitted_and_processed(primary["id"])
    assert medicare["status"] == "paid"
    owed = Decimal(medicare["patient_responsibility"])
    assert owed > 0
    remittance = await billing.get(f"/v1/claims/{primary['id']}/remittance")
    assert "MA18" in remittance["remittances"][0]["remark_codes"]

    _, crossed = await claims_of(billing, encounter["encounter_id"])
    assert (crossed["status"], crossed["payer_id"]) == ("crossed_over", "MOCK-SUPP")
    assert "submit" not in crossed["allowed_actions"]
    # The supplement answers by itself in a later turn of the payer's day.
    await payer.process()
    await payer.process()
    supplement = await billing.get(f"/v1/claims/{crossed['id']}")
    assert (supplement["status"], Decimal(supplement["paid_amount"]),
            supplement["patient_responsibility"]) == ("paid", owed, "0.00")
    balanced(supplement)


async def test_a_co_22_denial_moves_the_claim_to_the_next_payer_as_primary(
    billing, payer,
) -> None:
    encounter = billing.coding.add()
    patient = encounter["patient"]["id"]
    # The PPO knows the member's other plan is primary; the clinic had them the other way.
    await billing.coverage(patient, payer_id="MOCK-PPO", member_id="W100000004")
    await billing.coverage(patient, payer_id="MOCK-HMO", priority="secondary")
    first = await billing.claim_for(encounter)
    denied = await billing.submitted_and_processed(first["id"])
    assert denied["status"] == "denied"
    _, moved = await claims_of(billing, encounter["encounter_id"])
    assert (moved["status"], moved["payer_id"], moved["prior_claim_id"]) == (
        "ready", "MOCK-HMO", first["id"])
    await billing.act(moved["id"], "submit")
    await payer.process()
    [sent] = [text for text in payer.recorder.sent if "*MOCK-HMO" in text]
    [read] = read_837p(sent).claims
    # No payer before it paid: it goes out as primary, with no 2320 loop.
    assert (read.claim.payer_sequence, read.claim.prior_payers) == ("P", ())
    assert pyx12_findings(sent) == []
    assert (await billing.get(f"/v1/claims/{moved['id']}"))["status"] == "paid"


def one_line(code: str, charge: str) -> list[dict[str, Any]]:
    return [{"procedure_code": code, "modifiers": [], "units": 1, "charge": charge,
             "diagnosis_pointers": [1]}]


async def a_99213_with_the_ppo_then_the_hmo(billing: Any) -> dict[str, Any]:
    """A 150.00 office visit of a patient with the PPO first and the HMO second."""
    encounter: dict[str, Any] = billing.coding.add(lines=one_line("99213", "150.00"))
    patient = encounter["patient"]["id"]
    await billing.coverage(patient, payer_id="MOCK-PPO")
    await billing.coverage(patient, payer_id="MOCK-HMO", priority="secondary")
    return encounter


async def test_a_corrected_primary_corrects_the_secondary_and_every_balance_follows(
    billing,
) -> None:
    encounter = await a_99213_with_the_ppo_then_the_hmo(billing)
    patient = encounter["patient"]["id"]
    first = await billing.claim_for(encounter)
    # The PPO allows 118.30, all of it to its 500.00 deductible.
    assert (await billing.submitted_and_processed(first["id"]))["patient_responsibility"] == (
        "118.30")
    _, second = await claims_of(billing, encounter["encounter_id"])
    # The HMO pays its own benefit: 104.65 less the 25.00 copay and 10% of 79.65 (7.97).
    paid = await billing.submitted_and_processed(second["id"])
    assert (paid["paid_amount"], paid["patient_responsibility"]) == ("71.68", "46.62")

    billing.coding.recode(encounter, lines=one_line("99214", "200.00"))
    corrected = (await billing.http.post(f"/v1/claims/{first['id']}/corrections",
                                         json={"encounter_coding_version": 2})).json()
    repaid = await billing.submitted_and_processed(corrected["id"])
    # The reversal gave back the 118.30 of deductible; 167.70 allowed goes to it now.
    assert (repaid["paid_amount"], repaid["patient_responsibility"]) == ("0.00", "167.70")
    replaced = await billing.get(f"/v1/claims/{second['id']}")
    new_second = await billing.get(f"/v1/claims/{replaced['replaced_by_claim_id']}")
    assert (replaced["status"], new_second["status"], new_second["frequency_code"],
            new_second["prior_claim_id"], new_second["original_payer_claim_number"]) == (
        "replaced", "ready", "7", corrected["id"], paid["payer_claim_control_number"])

    final = await billing.submitted_and_processed(new_second["id"])
    # 148.35 allowed, 25.00 copay, 10% of 123.35 (12.34): the HMO pays 111.01.
    assert (final["status"], final["paid_amount"], final["patient_responsibility"]) == (
        "paid", "111.01", "56.69")
    # Each reversal took its payment back: the replaced claims net to nothing.
    for claim_id in (first["id"], second["id"]):
        taken_back = await billing.get(f"/v1/claims/{claim_id}")
        assert (taken_back["paid_amount"], taken_back["patient_responsibility"]) == (
            "0.00", "0.00")
    for claim in (repaid, final):
        balanced(await billing.get(f"/v1/claims/{claim['id']}"))
    statement = await billing.get(f"/v1/patients/{patient}/statement")
    assert [c["claim_id"] for c in statement["claims"]] == [corrected["id"], new_second["id"]]
    assert (statement["totals"]["billed"], statement["totals"]["you_owe"]) == (
        "200.00", "56.69")


async def test_voiding_the_primary_cancels_a_secondary_not_yet_sent(billing) -> None:
    encounter = await a_99213_with_the_ppo_then_the_hmo(billing)
    first = await billing.claim_for(encounter)
    await billing.submitted_and_processed(first["id"])
    _, second = await claims_of(billing, encounter["encounter_id"])
    assert second["status"] == "ready"
    await billing.act(first["id"], "void")
    canceled = await billing.get(f"/v1/claims/{second['id']}")
    assert canceled["status"] == "canceled"
    history = (await billing.get(f"/v1/claims/{second['id']}/events"))["items"]
    assert history[-1]["actor"] == "system" and "voided" in history[-1]["reason"]


async def post_835(billing: Any, control: int, total: str, *claims: list[str]) -> None:
    text = envelope(control, *payment(total, f"CHK{control}", "MOCK-PPO", *claims))
    response = await billing.http.post("/v1/remittances", content=text,
                                       headers={"Content-Type": "application/edi-x12"})
    assert response.status_code == 200, response.text
    assert response.json()["posted"] == len(claims), response.json()


async def test_a_primary_adjudicated_again_while_the_secondary_is_with_its_payer_marks_it(
    billing,
) -> None:
    encounter = await a_99213_with_the_ppo_then_the_hmo(billing)
    primary = await billing.claim_for(encounter)
    await billing.act(primary["id"], "submit")
    pcn = primary["patient_control_number"]
    # The PPO denies the visit as not covered by the plan, the patient's to pay: the HMO is
    # billed for it, and its claim sent.
    await post_835(billing, 95_101, "0.00", one_line_claim(
        pcn, "PPO95101", billed="150.00", paid="0.00", adjustments=[("PR", "204", "150.00")],
        status="4"))
    _, secondary = await claims_of(billing, encounter["encounter_id"])
    assert (await billing.act(secondary["id"], "submit"))["status"] == "submitted"

    # Then the PPO takes its denial back and pays: the HMO's claim, unanswered, keeps its
    # place with an event saying it is out of date; no other claim is built beside it.
    await post_835(billing, 95_102, "94.64", one_line_claim(
        pcn, "PPO95101", billed="-150.00", paid="0.00", adjustments=[("PR", "204", "-150.00")],
        status="22"), one_line_claim(
        pcn, "PPO95101", billed="150.00", paid="94.64",
        adjustments=[("CO", "45", "31.70"), ("PR", "2", "23.66")]))
    paid = await billing.get(f"/v1/claims/{primary['id']}")
    assert (paid["status"], paid["paid_amount"], paid["patient_responsibility"]) == (
        "paid", "94.64", "23.66")
    claims = await claims_of(billing, encounter["encounter_id"])
    assert [(c["id"], c["status"]) for c in claims] == [
        (primary["id"], "paid"), (secondary["id"], "submitted")]
    history = (await billing.get(f"/v1/claims/{secondary['id']}/events"))["items"]
    assert (history[-1]["action"], history[-1]["reason"]) == (
        "next_payer", f"Out of date since claim {primary['id']} was adjudicated again by its "
                      "payer: this claim's payer still has it, so it cannot be replaced yet; "
                      "void it once answered")
