"""The ledger's pure rules: which payer adjustments leave the balance, the running balance,
and a payment spread over open balances oldest first."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from billing_service.patients.ledger import (
    Entry,
    PostedMoney,
    charge,
    oldest_first,
    payer_entries,
    running,
)

NOON = datetime(2026, 11, 2, 12, tzinfo=UTC)


def posted(*adjustments: tuple[str, str, str], paid: str = "0.00") -> PostedMoney:
    return PostedMoney(7, "claim-1", NOON, Decimal(paid),
                       [(g, c, Decimal(a)) for g, c, a in adjustments])


def test_the_patient_share_and_an_earlier_payer_part_stay_on_the_balance() -> None:
    entries = payer_entries(posted(("CO", "45", "31.70"), ("PR", "2", "20.00"),
                                   ("OA", "23", "60.00"), ("PI", "94", "1.10"), paid="37.20"))
    assert [(e.kind, e.amount) for e in entries] == [
        ("payer_payment", Decimal("-37.20")), ("contractual_adjustment", Decimal("-32.80"))]


def test_another_payer_first_is_written_off_only_without_a_next_payer() -> None:
    denial = posted(("CO", "22", "150.00"))
    assert [e.amount for e in payer_entries(denial)] == [Decimal("-150.00")]
    assert payer_entries(denial, passed_on=True) == []


def test_a_reversal_raises_the_balance_again() -> None:
    entries = payer_entries(posted(("CO", "45", "-30.00"), ("PR", "2", "-20.00"), paid="-100.00"))
    assert [e.amount for e in entries] == [Decimal("100.00"), Decimal("30.00")]


def test_running_balance_in_posting_order_charge_first_at_one_instant() -> None:
    items = running([*payer_entries(posted(("CO", "45", "30.00"), paid="100.00")),
                     charge("claim-1", NOON, Decimal("150.00")),
                     Entry("patient-1", datetime(2026, 11, 1, tzinfo=UTC), "patient_payment",
                           None, Decimal("-25.00"))])
    assert [(i.kind, i.balance) for i in items] == [
        ("patient_payment", Decimal("-25.00")), ("charge", Decimal("125.00")),
        ("payer_payment", Decimal("25.00")), ("contractual_adjustment", Decimal("-5.00"))]


def test_a_payment_goes_to_the_oldest_open_balance_first_and_the_rest_is_credit() -> None:
    balances = [("old", Decimal("20.00")), ("settled", Decimal("0.00")),
                ("new", Decimal("40.00"))]
    assert oldest_first(Decimal("30.00"), balances) == (
        [("old", Decimal("20.00")), ("new", Decimal("10.00"))], Decimal("0.00"))
    assert oldest_first(Decimal("75.50"), balances) == (
        [("old", Decimal("20.00")), ("new", Decimal("40.00"))], Decimal("15.50"))
    assert oldest_first(Decimal("5.00"), []) == ([], Decimal("5.00"))
