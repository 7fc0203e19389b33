"""Where a claim is at the mock payer, as a 277 (005010X212) says it: the category and status
code of the claim's latest submission. Pure."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from billing_service.payers.adapter import Acknowledgment, ClaimStatus, Remittance
from billing_service.x12.status import ClaimStatusAnswer, StatusInquiry

RECEIVED = ("A1", "19")
PENDING = ("P1", "20")
NOT_FOUND = ("A4", "35")
PAID = ("F1", "65")
# Finalized, denied (or revised by a replacement or void): the remittance says why.
DENIED = ("F2", "1")
REVISED = ("F3", "1")
# A front-end rejection with nothing more precise to give: missing or invalid information.
RETURNED = ("A3", "21")


def not_found(inquiry: StatusInquiry, today: date) -> ClaimStatusAnswer:
    return ClaimStatusAnswer(inquiry.trace_number, *NOT_FOUND, today)


def answer(
    inquiry: StatusInquiry,
    *,
    stage: str,
    acknowledgment: Acknowledgment | None,
    payer_claim_status: str | None,
    payer_claim_control_number: str | None,
    remittance: Remittance | None,
    adjudicated_on: date | None,
    today: date,
) -> ClaimStatusAnswer:
    """`stage`: the submission's (received, rejected, accepted, adjudicated);
    `payer_claim_status`: the accepted claim's (pending, paid, partially_paid, denied,
    reversed, applied)."""
    base = ClaimStatusAnswer(inquiry.trace_number, *PENDING, today,
                             total_charge=inquiry.total_charge,
                             patient_control_number=inquiry.patient_control_number)
    if stage == "received":
        return replace(base, category=RECEIVED[0], status_code=RECEIVED[1])
    if stage == "rejected":
        errors = acknowledgment.errors if acknowledgment is not None else ()
        category, code = errors[0][0].split(":")[:2] if errors else RETURNED
        return replace(base, category=category, status_code=code)
    base = replace(base, payer_claim_control_number=payer_claim_control_number)
    if payer_claim_status in (None, "pending"):
        return base
    if payer_claim_status in (ClaimStatus.PAID, ClaimStatus.PARTIALLY_PAID):
        category, code = PAID
    elif payer_claim_status == ClaimStatus.DENIED:
        category, code = DENIED
    else:
        category, code = REVISED
    return replace(base, category=category, status_code=code,
                   paid=remittance.paid if remittance is not None else None,
                   adjudicated_on=adjudicated_on)
