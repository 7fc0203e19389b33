"""A patient's statement in plain words, claim by claim. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rcm_shared.money import ZERO, to_money

STATUS_TEXT = {
    "paid": "Your insurer processed this visit.",
    "partially_paid": "Your insurer paid part of this visit and declined some services.",
    "denied": "Your insurer declined to pay for this visit.",
    "ready": "We have not sent this visit to your insurer yet.",
    "submitted": "Your insurer has this visit and is reviewing it.",
    "accepted": "Your insurer has this visit and is reviewing it.",
    "rejected": "We are correcting this visit's insurance details and will send it again.",
    "crossed_over": "Your first insurer sent this visit on to your other insurer, which is "
                    "reviewing it.",
}
PENDING = frozenset({"ready", "submitted", "accepted", "rejected", "crossed_over"})
# OA-23: what the insurers before this one paid or adjusted (coordination of benefits).
PRIOR_PAYER = ("OA", "23")


@dataclass(frozen=True, slots=True)
class PostedAdjustment:
    group: str
    carc: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class ClaimFacts:
    claim_id: str
    date_of_service: date
    payer_id: str
    status: str
    billed: Decimal
    allowed: Decimal
    insurance_paid: Decimal
    adjustments: Sequence[PostedAdjustment]
    coinsurance_percent: Decimal | None
    payer_sequence: str = "primary"
    # The payer of the claim billed after this one (coordination of benefits): what this
    # payer left to the patient went there, and the patient owes what that one leaves.
    next_payer_id: str | None = None


@dataclass(frozen=True, slots=True)
class Explanation:
    kind: str
    amount: Decimal
    text: str


@dataclass(frozen=True, slots=True)
class StatementClaim:
    claim_id: str
    date_of_service: date
    payer_id: str
    payer_sequence: str
    status: str
    status_text: str
    billed: Decimal
    allowed: Decimal
    insurance_paid: Decimal
    plan_discount: Decimal
    you_owe: Decimal
    explanation: tuple[Explanation, ...]


def dollars(amount: Decimal) -> str:
    return f"${to_money(amount):,.2f}"


def _total(adjustments: Sequence[PostedAdjustment], group: str, carc: str | None = None) -> Decimal:
    return to_money(sum(
        (a.amount for a in adjustments if a.group == group and (carc is None or a.carc == carc)),
        ZERO,
    ))


def _patient_lines(claim: ClaimFacts) -> list[Explanation]:
    lines = []
    copay = _total(claim.adjustments, "PR", "3")
    if copay:
        lines.append(Explanation("copay", copay,
                                 f"Your copay for the visit: {dollars(copay)}."))
    deductible = _total(claim.adjustments, "PR", "1")
    if deductible:
        lines.append(Explanation(
            "deductible", deductible,
            f"Your plan's deductible: {dollars(deductible)}. Until the yearly deductible is "
            "met, you pay the allowed amount yourself.",
        ))
    coinsurance = _total(claim.adjustments, "PR", "2")
    if coinsurance:
        share = (f" ({claim.coinsurance_percent.normalize():f}%)"
                 if claim.coinsurance_percent is not None else "")
        lines.append(Explanation(
            "coinsurance", coinsurance,
            f"Coinsurance{share} of the allowed amount: {dollars(coinsurance)}. Your plan pays "
            "the rest.",
        ))
    other = to_money(_total(claim.adjustments, "PR") - copay - deductible - coinsurance)
    if other:
        lines.append(Explanation(
            "not_covered", other,
            f"Services your plan does not cover, which you agreed to pay: {dollars(other)}.",
        ))
    return lines


def statement_claim(claim: ClaimFacts) -> StatementClaim:
    pending = claim.status in PENDING
    discount = ZERO if pending else _total(claim.adjustments, "CO", "45")
    patient_share = ZERO if pending else _total(claim.adjustments, "PR")
    you_owe = ZERO if claim.next_payer_id is not None else patient_share
    explanation: list[Explanation] = []
    if not pending:
        before = _total(claim.adjustments, *PRIOR_PAYER)
        if before:
            explanation.append(Explanation(
                "other_insurance", before,
                f"Already paid or settled by your insurance billed before: {dollars(before)}.",
            ))
        if discount:
            explanation.append(Explanation(
                "plan_discount", discount,
                f"Discount under your plan's contract with the provider: {dollars(discount)}. "
                "You do not owe this.",
            ))
        if claim.insurance_paid:
            explanation.append(Explanation(
                "insurance_paid", claim.insurance_paid,
                f"Paid by your insurer: {dollars(claim.insurance_paid)}.",
            ))
        explanation += _patient_lines(claim)
        if claim.next_payer_id is not None and patient_share:
            explanation.append(Explanation(
                "next_insurance", patient_share,
                f"Your share of {dollars(patient_share)} was billed to your next insurance "
                f"({claim.next_payer_id}); what you owe after it is on its line.",
            ))
        declined = to_money(_total(claim.adjustments, "CO") - discount
                            + _total(claim.adjustments, "OA") - before
                            + _total(claim.adjustments, "PI"))
        if declined:
            explanation.append(Explanation(
                "declined", declined,
                f"Declined by your insurer and written off by your provider: "
                f"{dollars(declined)}. You do not owe this.",
            ))
    return StatementClaim(
        claim_id=claim.claim_id,
        date_of_service=claim.date_of_service,
        payer_id=claim.payer_id,
        payer_sequence=claim.payer_sequence,
        status=claim.status,
        status_text=STATUS_TEXT.get(claim.status, ""),
        billed=claim.billed,
        allowed=ZERO if pending else claim.allowed,
        insurance_paid=ZERO if pending else claim.insurance_paid,
        plan_discount=discount,
        you_owe=you_owe,
        explanation=tuple(explanation),
    )
