"""A patient's payments, refunds and write-offs over HTTP, with the ledger and the statement
agreeing to the cent after every step."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from account_checks import assert_account_balances
from billing_835 import envelope, one_line_claim, payment

X12 = {"Content-Type": "application/edi-x12"}
_controls = iter(range(71_001, 72_000))


async def pay_claim(billing: Any, claim: dict[str, Any], *, paid: str,
                    adjustments: list[tuple[str, str, str]]) -> None:
    control = next(_controls)
    text = envelope(control, *payment(paid, f"CHK{control}", "MOCK-PPO", one_line_claim(
        claim["patient_control_number"], f"ACME{control}", billed="150", paid=paid,
        allowed="125", adjustments=adjustments)))
    response = await billing.http.post("/v1/remittances", content=text, headers=X12)
    assert response.status_code == 200, response.text
    assert response.json()["posted"] == 1, response.json()


async def post(billing: Any, path: str, body: dict[str, Any],
               expected: int = 201) -> dict[str, Any]:
    response = await billing.http.post(path, json=body)
    assert response.status_code == expected, response.text
    return response.json()


def kinds(statement_or_items: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(i["kind"], i["amount"], i["balance"]) for i in statement_or_items]


async def test_copay_paid_at_the_visit_then_the_claim_paid(billing) -> None:
    encounter = billing.coding.add()
    patient = encounter["patient"]["id"]
    await billing.coverage(patient)
    copay = await post(billing, f"/v1/patients/{patient}/payments",
                       {"amount": "25.00", "method": "card", "reference": "RCPT-1"})
    assert (copay["kind"], copay["amount"], copay["applied_to"], copay["unapplied"]) == (
        "patient_payment", "25.00", [], "25.00")
    statement = await assert_account_balances(billing, patient)
    assert statement["totals"]["still_owed"] == "-25.00"
    assert statement["claims"] == []

    claim = await billing.claim_for(encounter)
    await billing.act(claim["id"], "submit")
    statement = await assert_account_balances(billing, patient)
    assert (statement["totals"]["awaiting_insurance"], statement["totals"]["balance"]) == (
        "150.00", "125.00")

    await pay_claim(billing, claim, paid="100", adjustments=[("CO", "45", "25"), ("PR", "3", "25")])
    statement = await assert_account_balances(billing, patient)
    totals = statement["totals"]
    assert (totals["you_owe"], totals["payments"], totals["still_owed"],
            totals["awaiting_insurance"], totals["balance"]) == (
        "25.00", "25.00", "0.00", "0.00", "0.00")
    ledger = await billing.get(f"/v1/patients/{patient}/ledger")
    assert kinds(ledger["items"]) == [
        ("patient_payment", "-25.00", "-25.00"),
        ("charge", "150.00", "125.00"),
        ("payer_payment", "-100.00", "25.00"),
        ("contractual_adjustment", "-25.00", "0.00"),
    ]
    assert statement["summary"] == (
        "Your share is $25.00 for 1 visit. You paid $25.00. You owe $0.00.")


async def test_a_patient_overpaid_is_refunded_the_credit_and_no_more(billing) -> None:
    claim = await billing.act((await billing.covered_claim())["id"], "submit")
    patient = claim["patient"]["id"]
    await pay_claim(billing, claim, paid="105", adjustments=[("CO", "45", "25"), ("PR", "2", "20")])
    statement = await assert_account_balances(billing, patient)
    assert statement["claims"][0]["still_owed"] == "20.00"
    assert [a["amount"] for a in statement["aging"]] == ["20.00", "0.00", "0.00", "0.00"]

    paid = await post(billing, f"/v1/patients/{patient}/payments",
                      {"amount": "50.00", "method": "check", "reference": "1042"})
    assert paid["applied_to"] == [{"claim_id": claim["id"], "amount": "20.00"}]
    assert paid["unapplied"] == "30.00"
    statement = await assert_account_balances(billing, patient)
    assert (statement["totals"]["still_owed"], statement["claims"][0]["still_owed"]) == (
        "-30.00", "0.00")
    assert statement["summary"].endswith("You have a credit of $30.00, which we will refund.")

    worklist = await billing.get("/v1/worklist")
    assert {"patient_id": patient, "credit": "30.00",
            "next_step": f"Refund the credit: POST /v1/patients/{patient}/refunds."} in (
        worklist["credits"])

    too_much = await post(billing, f"/v1/patients/{patient}/refunds",
                          {"amount": "30.01", "method": "check"}, expected=422)
    assert too_much["issues"][0]["path"] == "amount"
    await post(billing, f"/v1/patients/{patient}/refunds",
               {"amount": "30.00", "method": "check", "reference": "1043"})
    statement = await assert_account_balances(billing, patient)
    assert (statement["totals"]["refunds"], statement["totals"]["balance"]) == ("30.00", "0.00")
    assert patient not in [c["patient_id"] for c in (await billing.get("/v1/worklist"))["credits"]]
    await post(billing, f"/v1/patients/{patient}/refunds",
               {"amount": "0.01", "method": "check"}, expected=422)
    ledger = await billing.get(f"/v1/patients/{patient}/ledger")
    assert kinds(ledger["items"])[-3:] == [
        ("patient_payment", "-20.00", "0.00"),
        ("patient_payment", "-30.00", "-30.00"),
        ("refund", "30.00", "0.00"),
    ]


async def test_payments_applied_as_told_and_write_offs_up_to_what_is_owed(billing) -> None:
    first = await billing.act((await billing.covered_claim())["id"], "submit")
    patient = first["patient"]["id"]
    later = billing.coding.add(patient_id=patient, date_of_service=date.today() - timedelta(days=2))
    second = await billing.act((await billing.claim_for(later))["id"], "submit")
    await pay_claim(billing, first, paid="105", adjustments=[("CO", "45", "25"), ("PR", "2", "20")])
    await pay_claim(billing, second, paid="85", adjustments=[("CO", "45", "25"), ("PR", "1", "40")])
    payments = f"/v1/patients/{patient}/payments"

    wrong = await post(billing, payments, {"amount": "10.00", "method": "cash", "applied_to": [
        {"claim_id": "not-a-claim-of-theirs", "amount": "10.00"}]}, expected=422)
    assert wrong["issues"][0]["path"] == "applied_to[0].claim_id"
    over = await post(billing, payments, {"amount": "10.00", "method": "cash", "applied_to": [
        {"claim_id": second["id"], "amount": "10.01"}]}, expected=422)
    assert over["issues"][0]["path"] == "applied_to"
    zero = await post(billing, payments, {"amount": "0.00", "method": "cash"}, expected=422)
    assert zero["issues"][0]["path"] == "amount"
    floated = await post(billing, payments, {"amount": 10.5, "method": "cash"}, expected=422)
    assert floated["status"] == 422
    await post(billing, payments, {"amount": "1.00", "method": "bitcoin"}, expected=422)

    told = await post(billing, payments, {"amount": "30.00", "method": "ach", "applied_to": [
        {"claim_id": second["id"], "amount": "30.00"}]})
    assert told["applied_to"] == [{"claim_id": second["id"], "amount": "30.00"}]
    statement = await assert_account_balances(billing, patient)
    assert [c["still_owed"] for c in statement["claims"]] == ["20.00", "10.00"]

    adjustments = f"/v1/patients/{patient}/adjustments"
    beyond = await post(billing, adjustments, {"amount": "10.01", "reason": "small_balance",
                                               "claim_id": second["id"]}, expected=422)
    assert beyond["issues"][0]["path"] == "amount"
    await post(billing, adjustments, {"amount": "1.00", "reason": "gift"}, expected=422)
    written = await post(billing, adjustments, {"amount": "10.00", "reason": "small_balance",
                                                "claim_id": second["id"]})
    assert (written["kind"], written["reason"], written["amount"]) == (
        "write_off", "small_balance", "10.00")
    await post(billing, adjustments, {"amount": "5.00", "reason": "charity"})
    statement = await assert_account_balances(billing, patient)
    assert (statement["totals"]["write_offs"], statement["totals"]["still_owed"]) == (
        "15.00", "15.00")

    # Oldest first: what the write-offs and payments left on the first visit takes it.
    rest = await post(billing, payments, {"amount": "15.00", "method": "cash"})
    assert rest["applied_to"] == [{"claim_id": first["id"], "amount": "15.00"}]
    statement = await assert_account_balances(billing, patient)
    assert statement["totals"]["balance"] == "0.00"


async def test_a_claim_the_payer_has_not_decided_is_awaiting_insurance(billing) -> None:
    claim = await billing.act((await billing.covered_claim())["id"], "submit")
    patient = claim["patient"]["id"]
    statement = await assert_account_balances(billing, patient)
    assert (statement["totals"]["you_owe"], statement["totals"]["awaiting_insurance"]) == (
        "0.00", "150.00")
    wrote_off = await post(billing, f"/v1/patients/{patient}/adjustments",
                           {"amount": "1.00", "reason": "courtesy"}, expected=422)
    assert wrote_off["issues"][0]["path"] == "amount"


async def test_no_account_for_a_patient_the_clinic_does_not_know(billing) -> None:
    for path in ("ledger", "statement"):
        response = await billing.http.get(f"/v1/patients/MRN-NOBODY/{path}")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
    for path, body in (("payments", {"amount": "5.00", "method": "cash"}),
                       ("refunds", {"amount": "5.00", "method": "cash"}),
                       ("adjustments", {"amount": "5.00", "reason": "charity"})):
        response = await billing.http.post(f"/v1/patients/MRN-NOBODY/{path}", json=body)
        assert response.status_code == 404, response.text
    nothing = await billing.http.get("/v1/patients/MRN-NOBODY/ledger")
    assert nothing.status_code == 404


async def test_a_payment_with_its_idempotency_key_is_recorded_once(billing) -> None:
    encounter = billing.coding.add()
    patient = encounter["patient"]["id"]
    await billing.coverage(patient)
    headers = {"Idempotency-Key": f"pay-{patient}"}
    body = {"amount": "40.00", "method": "cash"}
    first = await billing.http.post(f"/v1/patients/{patient}/payments", json=body, headers=headers)
    again = await billing.http.post(f"/v1/patients/{patient}/payments", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    statement = await assert_account_balances(billing, patient)
    assert statement["totals"]["payments"] == "40.00"
