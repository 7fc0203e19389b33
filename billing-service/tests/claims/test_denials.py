"""Denials and their categories, read off a remittance; the days left to file. Pure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from billing_service.claims.denials import (
    DenialCategory,
    category,
    denial_records,
    denials,
)
from billing_service.claims.state_machine import ClaimStatus
from billing_service.claims.timely_filing import days_left
from billing_service.payers.adapter import Adjustment, LineRemittance, Remittance


@pytest.mark.parametrize(("carc", "expected"), [
    *((code, DenialCategory.ELIGIBILITY) for code in ("26", "27", "31", "32", "33", "177",
                                                      "200")),
    *((code, DenialCategory.AUTHORIZATION) for code in ("15", "39", "62", "197", "198")),
    *((code, DenialCategory.CODING) for code in ("4", "5", "6", "7", "8", "9", "10", "11",
                                                 "16", "146", "181", "182", "189")),
    *((code, DenialCategory.MEDICAL_NECESSITY) for code in ("50", "55", "56", "57", "58",
                                                            "150", "151", "167")),
    ("29", DenialCategory.TIMELY_FILING),
    ("18", DenialCategory.DUPLICATE), ("B13", DenialCategory.DUPLICATE),
    ("b13", DenialCategory.DUPLICATE),
    *((code, DenialCategory.BUNDLING) for code in ("97", "231", "234", "236")),
    # Not one of the seven: coordination of benefits, a plan exclusion, a benefit maximum,
    # a code no list names.
    *((code, DenialCategory.OTHER) for code in ("22", "96", "119", "204", "B15", "999", "")),
])
def test_each_carc_falls_in_its_category(carc: str, expected: DenialCategory) -> None:
    assert category(carc) is expected


def line(number: int, code: str, paid: str, *adjustments: tuple[str, str, str],
         rarc: tuple[str, ...] = ()) -> LineRemittance:
    adjusted = tuple(Adjustment(g, c, Decimal(a)) for g, c, a in adjustments)  # type: ignore[arg-type]
    return LineRemittance(number, code, Decimal(paid) + sum(a.amount for a in adjusted),
                          Decimal(paid), Decimal(paid), adjusted, rarc)


def remittance(*lines: LineRemittance, status: str = "partially_paid",
               claim_adjustments: tuple[Adjustment, ...] = (),
               remarks: tuple[str, ...] = ()) -> Remittance:
    return Remittance("PCN1", "PPO0000000001", status,  # type: ignore[arg-type]
                      sum((item.billed for item in lines), Decimal("0.00")),
                      sum((item.paid for item in lines), Decimal("0.00")), Decimal("0.00"),
                      lines, claim_adjustments, remarks)


def test_a_line_paid_nothing_is_denied_by_its_non_patient_adjustments() -> None:
    paid = line(1, "20610", "66.56", ("CO", "45", "36.80"), ("PR", "2", "16.64"))
    bundled = line(2, "99213", "0.00", ("CO", "97", "150.00"), rarc=("M15",))
    found = denials(remittance(paid, bundled))
    assert [(d.line, d.procedure_code, d.group_code, d.carc, d.rarcs, d.amount, d.category)
            for d in found] == [(2, "99213", "CO", "97", ("M15",), Decimal("150.00"),
                                 DenialCategory.BUNDLING)]
    assert denial_records(remittance(paid, bundled)) == [{
        "line": 2, "procedure_code": "99213", "group_code": "CO", "carc": "97",
        "rarcs": ["M15"], "amount": "150.00", "category": "bundling"}]


def test_the_patients_share_and_the_contractual_write_down_deny_nothing() -> None:
    # All of the allowed amount went to the deductible: processed, paid 0.00, not denied.
    to_deductible = line(1, "99213", "0.00", ("CO", "45", "31.70"), ("PR", "1", "118.30"))
    assert denials(remittance(to_deductible, status="paid")) == []


def test_claim_level_adjustments_deny_the_whole_claim_with_the_claims_remarks() -> None:
    claim_level = (Adjustment("CO", "29", Decimal("80.00")), Adjustment("PR", "1", Decimal(1)))
    found = denials(remittance(status="denied", claim_adjustments=claim_level,
                               remarks=("N211",)))
    assert [(d.line, d.carc, d.rarcs, d.category) for d in found] == [
        (None, "29", ("N211",), DenialCategory.TIMELY_FILING)]


def test_a_reversal_denies_nothing() -> None:
    bundled = line(2, "99213", "0.00", ("CO", "97", "150.00"))
    assert denials(remittance(bundled, status="reversed")) == []


@pytest.mark.parametrize("status", [ClaimStatus.READY, ClaimStatus.SUBMITTED,
                                    ClaimStatus.REJECTED])
def test_days_left_count_down_from_the_date_of_service_until_the_payer_has_it(
        status: ClaimStatus) -> None:
    today = date(2026, 12, 5)
    assert days_left(180, date(2026, 12, 1), status, today) == 176
    assert days_left(180, date(2026, 6, 8), status, today) == 0
    assert days_left(90, date(2026, 6, 8), status, today) == -90
    assert days_left(None, date(2026, 12, 1), status, today) is None


@pytest.mark.parametrize("status", [s for s in ClaimStatus if s not in (
    ClaimStatus.READY, ClaimStatus.SUBMITTED, ClaimStatus.REJECTED)])
def test_days_left_stop_once_the_payer_accepted_the_claim(status: ClaimStatus) -> None:
    assert days_left(180, date(2026, 12, 1), status, date(2026, 12, 5)) is None
