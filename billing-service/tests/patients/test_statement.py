"""The patient statement in plain words, from posted adjustments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from billing_service.patients.statement import ClaimFacts, PostedAdjustment, statement_claim


def facts(status: str, *adjustments: tuple[str, str, str], paid: str = "0.00",
          allowed: str = "0.00", coinsurance: str | None = "20") -> ClaimFacts:
    return ClaimFacts(
        claim_id="c1", date_of_service=date(2026, 3, 2), payer_id="MOCK-PPO", status=status,
        billed=Decimal("200.00"), allowed=Decimal(allowed), insurance_paid=Decimal(paid),
        adjustments=[PostedAdjustment(g, c, Decimal(a)) for g, c, a in adjustments],
        coinsurance_percent=Decimal(coinsurance) if coinsurance else None,
    )


def test_copay_deductible_and_coinsurance_are_each_explained() -> None:
    claim = statement_claim(facts(
        "paid", ("CO", "45", "50.00"), ("PR", "3", "25.00"), ("PR", "1", "75.00"),
        ("PR", "2", "10.00"), paid="40.00", allowed="150.00"))
    assert claim.you_owe == Decimal("110.00")
    assert claim.plan_discount == Decimal("50.00")
    assert [(e.kind, e.amount) for e in claim.explanation] == [
        ("plan_discount", Decimal("50.00")), ("insurance_paid", Decimal("40.00")),
        ("copay", Decimal("25.00")), ("deductible", Decimal("75.00")),
        ("coinsurance", Decimal("10.00"))]
    texts = [e.text for e in claim.explanation]
    assert texts[2] == "Your copay for the visit: $25.00."
    assert texts[3].startswith("Your plan's deductible: $75.00.")
    assert texts[4].startswith("Coinsurance (20%) of the allowed amount: $10.00.")
    assert claim.status_text == "Your insurer processed this visit."


def test_nothing_owed_and_no_explanation_while_the_insurer_decides() -> None:
    claim = statement_claim(facts("submitted"))
    assert claim.you_owe == Decimal("0.00")
    assert claim.explanation == ()
    assert "reviewing" in claim.status_text


def test_denied_services_are_written_off_not_billed_to_the_patient() -> None:
    claim = statement_claim(facts("denied", ("CO", "96", "200.00")))
    assert claim.you_owe == Decimal("0.00")
    assert [(e.kind, e.amount) for e in claim.explanation] == [("declined", Decimal("200.00"))]
    assert "You do not owe this." in claim.explanation[0].text


def test_other_patient_responsibility_is_named_and_large_amounts_grouped() -> None:
    claim = statement_claim(facts("paid", ("PR", "1", "1234.50"), ("PR", "96", "80.00"),
                                  coinsurance=None))
    assert claim.you_owe == Decimal("1314.50")
    texts = {e.kind: e.text for e in claim.explanation}
    assert texts["deductible"].startswith("Your plan's deductible: $1,234.50.")
    assert texts["not_covered"].startswith("Services your plan does not cover")
