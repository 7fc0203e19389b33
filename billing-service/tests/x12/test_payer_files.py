"""The 277CA and 835 files the mock payer writes, over every kind of answer it gives: pyx12
finds nothing wrong with any of them, and they say what the payer decided."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from billing_providers import BILLING_PROVIDER, register_providers
from payer_files import valid_npi

from billing_service.x12.ack277 import read_277ca
from billing_service.x12.remit835 import read_835
from billing_service.x12.syntax import read_interchange
from billing_service.x12.validation import pyx12_findings
from mockpayer.answers import forward_balance

D = Decimal


def line(code: str, charge: str) -> dict[str, Any]:
    return {"procedure_code": code, "modifiers": [], "units": 1, "charge": charge,
            "diagnosis_pointers": [1]}


def kind(text: str) -> str:
    return read_interchange(text).groups[0].functional_id


async def test_every_file_the_payer_writes_is_valid(billing, payer) -> None:
    paid = await billing.covered_claim(lines=[line("99213", "150.00")])
    partial = await billing.covered_claim(lines=[line("99213", "150.00"),
                                                 line("97810", "80.00")])
    denied = await billing.covered_claim(lines=[line("97810", "80.00")])
    rejected = await billing.covered_claim(member_id="W000000000")
    hmo = await billing.covered_claim(payer_id="MOCK-HMO")
    medicare = await billing.covered_claim(payer_id="MOCK-MCR", member_id="1EG4TE5MK73")
    encounter = billing.coding.add(lines=[line("99213", "150.00")])
    await billing.coverage(encounter["patient"]["id"], member_id="W100000002")
    first = await billing.claim_for(encounter)
    for claim in (paid, partial, denied, rejected, hmo, medicare, first):
        await billing.act(claim["id"], "submit")
    await payer.process()
    # The same visit billed again under another encounter: a duplicate.
    duplicate = billing.coding.add(patient_id=encounter["patient"]["id"],
                                   date_of_service=date.fromisoformat(encounter["date_of_service"]),
                                   lines=[line("99213", "150.00")])
    copy = await billing.claim_for(duplicate)
    await billing.act(copy["id"], "submit")
    # A correction (reversal, then a new payment) and a void (a recoupment).
    billing.coding.recode(encounter, lines=[line("99214", "200.00")])
    replacement = (await billing.http.post(f"/v1/claims/{first['id']}/corrections",
                                           json={"encounter_coding_version": 2})).json()
    await billing.act(replacement["id"], "submit")
    await billing.act(hmo["id"], "void")
    await payer.process()

    files = payer.recorder.received
    assert {kind(text) for text in files} == {"HN", "HP"}
    for text in files:
        assert pyx12_findings(text) == [], text

    acknowledgments = [ack for text in files if kind(text) == "HN" for ack in read_277ca(text)]
    by_claim = {ack.patient_control_number: ack for ack in acknowledgments}
    assert by_claim[rejected["patient_control_number"]].errors == (
        ("A7:33", "Subscriber not found; the member id is not on file."),)
    assert by_claim[paid["patient_control_number"]].status == "accepted"
    payments = [claim for text in files if kind(text) == "HP"
                for advice in read_835(text).advices for claim in advice.claims]
    statuses = {(claim.patient_control_number, claim.status_code) for claim in payments}
    assert {(paid["patient_control_number"], "1"), (partial["patient_control_number"], "1"),
            (denied["patient_control_number"], "4"), (copy["patient_control_number"], "4"),
            (first["patient_control_number"], "22"), (hmo["patient_control_number"], "22"),
            (replacement["patient_control_number"], "1")} <= statuses
    [copy_payment] = [c for c in payments
                      if c.patient_control_number == copy["patient_control_number"]]
    assert copy_payment.remark_codes == ("N522",)
    [partial_payment] = [c for c in payments
                         if c.patient_control_number == partial["patient_control_number"]]
    assert [s.remark_codes for s in partial_payment.services] == [(), ("N130",)]


async def test_recoupments_beyond_a_payment_are_carried_forward(billing, payer) -> None:
    # A payee of its own, so no other test's payments meet its balance.
    payee = valid_npi("170000017")
    await register_providers(billing.http, billing.http.headers,
                             {**BILLING_PROVIDER, "npi": payee})
    day = date.today() - timedelta(days=3)

    async def paid_visit(days_earlier: int) -> dict[str, Any]:
        claim = await billing.covered_claim(member_id="W100000002", billing_npi=payee,
                                            date_of_service=day - timedelta(days=days_earlier),
                                            lines=[line("99213", "150.00")])
        await billing.act(claim["id"], "submit")
        await payer.process()
        return await billing.get(f"/v1/claims/{claim['id']}")

    def last_payment() -> Any:
        [advice] = read_835([t for t in payer.recorder.received if kind(t) == "HP"][-1]).advices
        return advice

    first = await paid_visit(0)
    assert first["paid_amount"] == "94.64"
    await billing.act(first["id"], "void")
    await payer.process()
    recoupment = last_payment()
    # Only the reversal: the payer pays nothing and carries 94.64 forward.
    assert (recoupment.handling_code, recoupment.total, recoupment.payment_method) == (
        "H", D("0"), "NON")
    assert [(a.reason, a.amount) for a in recoupment.provider_adjustments] == [
        ("FB", D("-94.64"))]

    await paid_visit(1)
    recovered = last_payment()
    assert [c.paid for c in recovered.claims] == [D("94.64")]
    assert [(a.reason, a.amount) for a in recovered.provider_adjustments] == [("FB", D("94.64"))]
    assert recovered.total == D("0")

    await paid_visit(2)
    clear = last_payment()
    assert (clear.handling_code, clear.total, clear.provider_adjustments) == ("I", D("94.64"), ())
    for text in payer.recorder.received:
        assert pyx12_findings(text) == []


def test_forward_balance_takes_back_what_is_owed_and_never_pays_below_zero() -> None:
    assert forward_balance(D("50.00"), D("0.00")) == (D("0.00"), D("0.00"))
    assert forward_balance(D("-94.64"), D("0.00")) == (D("-94.64"), D("94.64"))
    assert forward_balance(D("30.00"), D("94.64")) == (D("30.00"), D("64.64"))
    assert forward_balance(D("200.00"), D("94.64")) == (D("94.64"), D("0.00"))
