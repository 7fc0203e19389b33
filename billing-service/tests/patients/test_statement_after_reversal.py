"""The statement after a payer takes a payment back (CLP02 = 22) and pays the claim again:
every posting counts, the reversal with its negative amounts, so the patient owes what the
payer's last word says, to the cent."""

from __future__ import annotations

from typing import Any

from billing_835 import envelope, one_line_claim, payment

X12 = {"Content-Type": "application/edi-x12"}


async def upload(billing: Any, text: str) -> dict[str, Any]:
    response = await billing.http.post("/v1/remittances", content=text, headers=X12)
    assert response.status_code == 200, response.text
    assert response.json()["posted"] == 1, response.json()
    return response.json()


def owed(statement: dict[str, Any]) -> tuple[str, ...]:
    [claim] = statement["claims"]
    totals = statement["totals"]
    assert (totals["you_owe"], totals["insurance_paid"], totals["plan_discount"]) == (
        claim["you_owe"], claim["insurance_paid"], claim["plan_discount"])
    return (claim["allowed"], claim["insurance_paid"], claim["plan_discount"], claim["you_owe"])


async def test_paid_then_reversed_then_paid_again_owes_the_last_payment_only(billing) -> None:
    claim = await billing.act((await billing.covered_claim())["id"], "submit")
    pcn, patient = claim["patient_control_number"], claim["patient"]["id"]
    statement_path = f"/v1/patients/{patient}/statement"

    # Paid: 150.00 billed, 120.00 allowed (CO-45 30.00), coinsurance 20.00, paid 100.00.
    await upload(billing, envelope(70_001, *payment("100", "CHK70001", "MOCK-PPO",
        one_line_claim(pcn, "ACME7001", billed="150", paid="100", allowed="120",
                       adjustments=[("CO", "45", "30"), ("PR", "2", "20")]))))
    assert owed(await billing.get(statement_path)) == ("120.00", "100.00", "30.00", "20.00")

    # The payer takes it all back; the 100.00 is carried as a forward balance.
    await upload(billing, envelope(70_002, *payment("0", "CHK70002", "MOCK-PPO",
        one_line_claim(pcn, "ACME7001", status="22", billed="-150", paid="-100",
                       allowed="-120", adjustments=[("CO", "45", "-30"), ("PR", "2", "-20")]),
        provider_adjustment="-100")))
    reversed_claim = await billing.get(f"/v1/claims/{claim['id']}")
    assert (reversed_claim["paid_amount"], reversed_claim["patient_responsibility"]) == (
        "0.00", "0.00")
    statement = await billing.get(statement_path)
    assert owed(statement) == ("0.00", "0.00", "0.00", "0.00")
    assert statement["claims"][0]["explanation"] == []

    # The corrected payment: 125.00 allowed (CO-45 25.00), 15.00 to the deductible.
    await upload(billing, envelope(70_003, *payment("110", "CHK70003", "MOCK-PPO",
        one_line_claim(pcn, "ACME7001", billed="150", paid="110", allowed="125",
                       adjustments=[("CO", "45", "25"), ("PR", "1", "15")]))))
    statement = await billing.get(statement_path)
    assert owed(statement) == ("125.00", "110.00", "25.00", "15.00")
    assert [(e["kind"], e["amount"]) for e in statement["claims"][0]["explanation"]] == [
        ("plan_discount", "25.00"), ("insurance_paid", "110.00"), ("deductible", "15.00")]
    assert statement["summary"] == "You owe $15.00 for 1 visit."
    repaid = await billing.get(f"/v1/claims/{claim['id']}")
    assert (repaid["paid_amount"], repaid["patient_responsibility"], repaid["balance"]) == (
        "110.00", "15.00", "0.00")
