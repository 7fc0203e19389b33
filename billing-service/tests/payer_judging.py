"""Judging one claim with the mock payer's engine, as the engine's tests do: every remittance
checked to balance line by line and in total."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from billing_service.payers.adapter import ClaimForPayer, LineRemittance, Remittance
from mockpayer.engine import Accumulator, Adjudication, PayerRules, adjudicate

TODAY = date(2026, 11, 27)
D = Decimal
NOTHING_MET = Accumulator()


def judge(
    claim: ClaimForPayer,
    rules: dict[str, PayerRules],
    accumulator: Accumulator = NOTHING_MET,
    *,
    received_on: date = TODAY,
    duplicate: bool = False,
) -> Adjudication:
    result = adjudicate(
        claim,
        rules[claim.payer_id],
        accumulator=accumulator,
        received_on=received_on,
        duplicate=duplicate,
        payer_claim_control_number="PPO0000000042",
        paid_date=TODAY,
    )
    assert_balanced(result.remittance)
    return result


def adjustments(line: LineRemittance) -> list[tuple[str, str, str]]:
    return [(a.group, a.carc, str(a.amount)) for a in line.adjustments]


def assert_balanced(remittance: Remittance) -> None:
    for line in remittance.lines:
        assert line.billed == line.paid + sum((a.amount for a in line.adjustments), D(0))
    assert remittance.billed == sum((line.billed for line in remittance.lines), D(0))
    assert remittance.paid == sum((line.paid for line in remittance.lines), D(0))
    assert remittance.patient_responsibility == sum(
        (a.amount for line in remittance.lines for a in line.adjustments if a.group == "PR"),
        D(0),
    )
