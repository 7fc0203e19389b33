"""Each posted remittance compared with the tenant's contract with the payer, through the
real mock payer and through uploaded 835s: the remittance view shows each line's expected and
underpaid amounts, the worklist lists the underpaid claims and totals them per payer. Every
figure to the cent."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from account_checks import assert_account_balances
from billing_835 import envelope, one_line_claim, payment

X12 = {"Content-Type": "application/edi-x12"}
_controls = itertools.count(74_101)
_medicare = itertools.count(1)


async def load(billing: Any, contracts: list[str], payer_id: str, *rates: tuple[str, str, str],
               headers: dict[str, str] | None = None) -> None:
    if headers is None:
        contracts.append(payer_id)
    response = await billing.http.put(
        f"/v1/payers/{payer_id}/contract", headers=headers,
        json={"rates": [{"procedure_code": code, "modifier": modifier or None, "allowed": allowed}
                        for code, modifier, allowed in rates]})
    assert response.status_code == 200, response.text


async def upload(billing: Any, pcn: str, payer_claim: str, **paid: Any) -> None:
    control = next(_controls)
    total, forward = paid.pop("total", paid["paid"]), paid.pop("forward", None)
    text = envelope(control, *payment(total, f"CHK{control}", "MOCK-PPO",
                                      one_line_claim(pcn, payer_claim, **paid),
                                      provider_adjustment=forward))
    response = await billing.http.post("/v1/remittances", content=text, headers=X12)
    assert response.status_code == 200, response.text
    assert response.json()["posted"] == 1, response.json()


async def lines(billing: Any, claim_id: str) -> list[tuple[str, str | None, str | None]]:
    """Per remittance and line: allowed, expected, underpaid."""
    view = await billing.get(f"/v1/claims/{claim_id}/remittance")
    return [(line["allowed"], line["expected"], line["underpaid"])
            for remittance in view["remittances"] for line in remittance["lines"]]


async def worklist(billing: Any) -> tuple[dict[str, dict[str, Any]], dict[str, tuple[int, str]],
                                          str]:
    """The underpaid items by claim, the underpayments per payer, and their total."""
    listed = await billing.get("/v1/worklist?limit=200")
    items = {i["claim_id"]: i for i in listed["items"] if i["kind"] == "underpaid"}
    per_payer = {p["payer_id"]: (p["claims"], p["underpaid"])
                 for p in listed["underpayments"]["payers"]}
    return items, per_payer, listed["underpayments"]["total"]


def grown(before: tuple[int, str], after: tuple[int, str]) -> tuple[int, str]:
    return after[0] - before[0], str(Decimal(after[1]) - Decimal(before[1]))


async def test_the_mock_payer_allowing_less_than_the_contract_underpays_the_claim(
    billing, contracts,
) -> None:
    # Claims other tests of the run left with the payer are answered before the contract is
    # in force, so that only this test's claim is compared with it.
    await billing.process()
    # MOCK-PPO allows 118.30 per unit of 99213 (its fee schedule); the contract says 130.00.
    await load(billing, contracts, "MOCK-PPO", ("99213", "", "130.00"))
    _, before, total_before = await worklist(billing)
    claim = await billing.covered_claim(lines=[
        {"procedure_code": "99213", "modifiers": [], "units": 1, "charge": "150.00",
         "diagnosis_pointers": [1]}])
    paid = await billing.submitted_and_processed(claim["id"])
    assert paid["status"] == "paid"
    assert await lines(billing, claim["id"]) == [("118.30", "130.00", "11.70")]
    view = await billing.get(f"/v1/claims/{claim['id']}/remittance")
    assert view["totals"]["underpaid"] == "11.70"

    items, after, total_after = await worklist(billing)
    item = items[claim["id"]]
    assert (item["underpaid"], item["status"], item["payer_id"], item["reason"]) == (
        "11.70", "paid", "MOCK-PPO", "Allowed 11.70 less than the contract with MOCK-PPO")
    assert f"/v1/claims/{claim['id']}/remittance" in item["next_step"]
    assert grown(before.get("MOCK-PPO", (0, "0.00")), after["MOCK-PPO"]) == (1, "11.70")
    assert Decimal(total_after) - Decimal(total_before) == Decimal("11.70")
    await assert_account_balances(billing, claim["patient"]["id"])


async def test_units_multiply_the_rate_and_a_modifier_row_wins(billing, contracts) -> None:
    await load(billing, contracts, "MOCK-PPO", ("99213", "", "130.00"),
               ("99213", "25", "150.00"), ("36415", "", "3.90"))
    claim = await billing.covered_claim(lines=[
        # Two units: the mock payer allows 2 x 118.30, the contract expects 2 x 130.00.
        {"procedure_code": "99213", "modifiers": [], "units": 2, "charge": "300.00",
         "diagnosis_pointers": [1]},
        # The modifier's row: 150.00 expected.
        {"procedure_code": "99213", "modifiers": ["25"], "units": 1, "charge": "150.00",
         "diagnosis_pointers": [1]},
        # Allowed exactly what the contract says (3.90): not underpaid.
        {"procedure_code": "36415", "modifiers": [], "units": 1, "charge": "10.00",
         "diagnosis_pointers": [1]},
        # No rate in the contract: not compared.
        {"procedure_code": "93000", "modifiers": [], "units": 1, "charge": "40.00",
         "diagnosis_pointers": [1]}])
    await billing.submitted_and_processed(claim["id"])
    assert await lines(billing, claim["id"]) == [
        ("236.60", "260.00", "23.40"), ("118.30", "150.00", "31.70"),
        ("3.90", "3.90", "0.00"), ("20.80", None, None)]
    items, _, _ = await worklist(billing)
    assert items[claim["id"]]["underpaid"] == "55.10"


async def test_a_claim_paid_at_the_contract_or_without_one_is_not_listed(billing,
                                                                        contracts) -> None:
    await load(billing, contracts, "MOCK-PPO", ("99213", "", "118.30"))
    # clinic-b's contract is clinic-b's: it compares none of clinic-a's postings.
    await load(billing, contracts, "MOCK-HMO", ("99213", "", "500.00"),
               headers={"Authorization": "Bearer demo-key-clinic-b"})
    try:
        at_contract = await billing.covered_claim()
        await billing.submitted_and_processed(at_contract["id"])
        uncontracted = await billing.covered_claim(payer_id="MOCK-HMO")
        await billing.submitted_and_processed(uncontracted["id"])
        assert await lines(billing, at_contract["id"]) == [("118.30", "118.30", "0.00")]
        assert await lines(billing, uncontracted["id"]) == [("104.65", None, None)]
        items, _, _ = await worklist(billing)
        assert at_contract["id"] not in items and uncontracted["id"] not in items
    finally:
        await billing.http.delete("/v1/payers/MOCK-HMO/contract",
                                  headers={"Authorization": "Bearer demo-key-clinic-b"})


async def test_a_denied_line_is_not_compared(billing, contracts) -> None:
    await load(billing, contracts, "MOCK-PPO", ("99213", "", "130.00"))
    claim = await billing.act((await billing.covered_claim())["id"], "submit")
    await upload(billing, claim["patient_control_number"], "ACME74101", billed="150",
                 paid="0", status="4", adjustments=[("CO", "97", "150")])
    assert await lines(billing, claim["id"]) == [("0.00", None, None)]
    assert claim["id"] not in (await worklist(billing))[0]


async def test_a_later_contract_leaves_what_a_posting_found(billing, contracts) -> None:
    await load(billing, contracts, "MOCK-PPO", ("99213", "", "130.00"))
    claim = await billing.covered_claim()
    await billing.submitted_and_processed(claim["id"])
    await load(billing, contracts, "MOCK-PPO", ("99213", "", "200.00"))
    assert await lines(billing, claim["id"]) == [("118.30", "130.00", "11.70")]
    await billing.http.delete("/v1/payers/MOCK-PPO/contract")
    assert await lines(billing, claim["id"]) == [("118.30", "130.00", "11.70")]
    assert (await worklist(billing))[0][claim["id"]]["underpaid"] == "11.70"


async def test_a_reversal_takes_the_underpayment_back_and_a_new_payment_finds_its_own(
    billing, contracts,
) -> None:
    await load(billing, contracts, "MOCK-PPO", ("99213", "25", "130.00"))
    claim = await billing.act((await billing.covered_claim(lines=[
        {"procedure_code": "99213", "modifiers": ["25"], "units": 1, "charge": "150.00",
         "diagnosis_pointers": [1]}]))["id"], "submit")
    pcn = claim["patient_control_number"]
    await upload(billing, pcn, "ACME74102", billed="150", paid="100", allowed="120",
                 adjustments=[("CO", "45", "30"), ("PR", "2", "20")])
    assert (await worklist(billing))[0][claim["id"]]["underpaid"] == "10.00"

    await upload(billing, pcn, "ACME74102", status="22", billed="-150", paid="-100",
                 allowed="-120", adjustments=[("CO", "45", "-30"), ("PR", "2", "-20")],
                 total="0", forward="-100")
    assert await lines(billing, claim["id"]) == [("120.00", "130.00", "10.00"),
                                                 ("-120.00", "-130.00", "-10.00")]
    assert claim["id"] not in (await worklist(billing))[0]

    await upload(billing, pcn, "ACME74102", billed="150", paid="110", allowed="125",
                 adjustments=[("CO", "45", "25"), ("PR", "1", "15")])
    view = await billing.get(f"/v1/claims/{claim['id']}/remittance")
    assert [line["underpaid"] for r in view["remittances"] for line in r["lines"]] == [
        "10.00", "-10.00", "5.00"]
    assert view["totals"]["underpaid"] == "5.00"
    assert (await worklist(billing))[0][claim["id"]]["underpaid"] == "5.00"


async def test_the_secondary_payer_is_compared_with_its_own_contract(billing, contracts) -> None:
    # The HMO, paying after Medicare, allows 148.35 for 99214 (its own fee schedule); the
    # contract with it says 160.00. Medicare has no contract: its line is not compared.
    await load(billing, contracts, "MOCK-HMO", ("99214", "", "160.00"))
    encounter = billing.coding.add(lines=[
        {"procedure_code": "99214", "modifiers": [], "units": 1, "charge": "200.00",
         "diagnosis_pointers": [1]}])
    patient = encounter["patient"]["id"]
    await billing.coverage(patient, payer_id="MOCK-MCR",
                           member_id=f"7KT4PW2XR{next(_medicare):02d}")
    await billing.coverage(patient, payer_id="MOCK-HMO", priority="secondary")
    primary = await billing.claim_for(encounter)
    await billing.submitted_and_processed(primary["id"])
    listed = (await billing.get(f"/v1/claims?encounter_id={encounter['encounter_id']}"))["items"]
    [secondary] = [c for c in listed if c["payer_sequence"] == "secondary"]
    await billing.submitted_and_processed(secondary["id"])
    assert await lines(billing, primary["id"]) == [("129.00", None, None)]
    assert await lines(billing, secondary["id"]) == [("148.35", "160.00", "11.65")]
    items, _, _ = await worklist(billing)
    assert primary["id"] not in items
    assert (items[secondary["id"]]["payer_id"], items[secondary["id"]]["underpaid"]) == (
        "MOCK-HMO", "11.65")
    await assert_account_balances(billing, patient)
