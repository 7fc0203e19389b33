"""Pure rules: where a claim is at the mock payer as a 277 category and status code, and a
priced service as a patient estimate with its sentences."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from billing_service.estimates.breakdown import estimate_of
from billing_service.payers.adapter import (
    Acknowledgment,
    Adjustment,
    LineRemittance,
    Person,
    Remittance,
)
from billing_service.x12.status import StatusInquiry
from mockpayer import status

TODAY = date(2026, 12, 5)
ASKED = StatusInquiry("T", "MOCK-PPO", "Payer", "RCMBILLING", "RCM", "1234567893", "CLINIC",
                      "W123456789", Person("Ana", "Silva", date(1980, 2, 1), "F"), "C1", None,
                      Decimal("150.00"), date(2026, 6, 1), date(2026, 6, 1))


def remittance(*lines: LineRemittance) -> Remittance:
    return Remittance("C1", "PPO1", "paid", Decimal("150.00"),
                      sum((line.paid for line in lines), Decimal(0)), Decimal(0), lines)


@pytest.mark.parametrize(("stage", "claim_status", "expected"), [
    ("received", None, ("A1", "19")),
    ("accepted", "pending", ("P1", "20")),
    ("adjudicated", "paid", ("F1", "65")),
    ("adjudicated", "partially_paid", ("F1", "65")),
    ("adjudicated", "denied", ("F2", "1")),
    ("adjudicated", "reversed", ("F3", "1")),
    ("adjudicated", "applied", ("F3", "1")),
])
def test_each_stage_has_its_category_and_code(stage: str, claim_status: str | None,
                                              expected: tuple[str, str]) -> None:
    answer = status.answer(ASKED, stage=stage, acknowledgment=None,
                           payer_claim_status=claim_status, payer_claim_control_number="PPO1",
                           remittance=None, adjudicated_on=None, today=TODAY)
    assert (answer.category, answer.status_code) == expected
    assert answer.payer_claim_control_number == (None if stage == "received" else "PPO1")


def test_a_rejection_answers_with_the_front_end_edit() -> None:
    rejected = Acknowledgment("C1", "S1", "rejected", None,
                              (("A7:562:85", "Billing provider NPI is not a valid NPI."),))
    answer = status.answer(ASKED, stage="rejected", acknowledgment=rejected,
                           payer_claim_status=None, payer_claim_control_number=None,
                           remittance=None, adjudicated_on=None, today=TODAY)
    assert (answer.category, answer.status_code) == ("A7", "562")
    bare = status.answer(ASKED, stage="rejected", acknowledgment=None, payer_claim_status=None,
                         payer_claim_control_number=None, remittance=None,
                         adjudicated_on=None, today=TODAY)
    assert (bare.category, bare.status_code) == ("A3", "21")


def test_an_estimate_splits_and_explains_what_the_patient_owes() -> None:
    visit = LineRemittance(1, "99213", Decimal("150.00"), Decimal("118.30"), Decimal("0.00"),
                           (Adjustment("CO", "45", Decimal("31.70")),
                            Adjustment("PR", "3", Decimal("25.00")),
                            Adjustment("PR", "1", Decimal("80.00")),
                            Adjustment("PR", "2", Decimal("13.30"))))
    excluded = LineRemittance(2, "97810", Decimal("80.00"), Decimal("0.00"), Decimal("0.00"),
                              (Adjustment("CO", "96", Decimal("80.00")),), ("N130",))
    preventive = LineRemittance(3, "99395", Decimal("200.00"), Decimal("156.00"),
                                Decimal("156.00"), (Adjustment("CO", "45", Decimal("44.00")),))
    estimate = estimate_of(remittance(visit, excluded, preventive), Decimal("20"))
    first, second, third = estimate.lines
    assert (first.patient_owes.copay, first.patient_owes.deductible,
            first.patient_owes.coinsurance, first.patient_owes.total) == (
        Decimal("25.00"), Decimal("80.00"), Decimal("13.30"), Decimal("118.30"))
    assert first.explanation == (
        "Your plan allows $118.30 for service 99213: you pay $118.30 (a $25.00 copay, $80.00 "
        "toward your deductible and $13.30 coinsurance (20% of the rest)) and your plan pays "
        "nothing.")
    assert "does not pay for service 97810" in second.explanation
    assert second.patient_owes.total == Decimal(0)
    assert third.explanation.endswith("pays all of it; you pay nothing.")
    assert (estimate.allowed, estimate.payer_pays, estimate.patient_owes.total) == (
        Decimal("274.30"), Decimal("156.00"), Decimal("118.30"))
    assert estimate.explanation.startswith(
        "For these 3 services your plan allows $274.30; it pays $156.00 and you pay $118.30 "
        "($80.00 deductible, $25.00 copay and $13.30 coinsurance).")
