"""Coordination of benefits: whether a payer's remittance sends the claim on to the patient's
next payer, and as which. Pure.

The next payer is billed when the payer left the patient something to pay (it may pay some of
it), or when it denied the claim because another payer comes first (the claim then goes to the
next coverage as primary: no payer before it paid).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum

from billing_service.models.claim import PayerSequence
from billing_service.payers.adapter import Adjustment, Remittance
from rcm_shared.money import ZERO

# CARCs of a payer that is not the one to pay first: 22 another payer is primary (coordination
# of benefits), 27 the coverage had ended, 109 not covered by this payer (bill the right one).
COVERAGE_DENIALS = frozenset({"22", "27", "109"})
# The payers a claim can go to, in order: SBR01 P, S and T.
ORDER = tuple(PayerSequence)


class Handoff(StrEnum):
    # The patient still owes something: the next payer gets the claim with this payer's
    # adjudication (loops 2320 and 2430).
    BALANCE = "balance"
    # The payer says another comes first: the next coverage takes the claim's place.
    COVERAGE_DENIAL = "coverage_denial"


def handoff(remittance: Remittance) -> Handoff | None:
    """Why the remittance sends the claim to the next payer, or None when it does not."""
    if remittance.status == "reversed":
        return None
    adjustments = [*remittance.claim_adjustments,
                   *(a for line in remittance.lines for a in line.adjustments)]
    if coverage_denied(remittance.paid, adjustments):
        return Handoff.COVERAGE_DENIAL
    if remittance.patient_responsibility > ZERO:
        return Handoff.BALANCE
    return None


def coverage_denied(paid: Decimal, adjustments: Iterable[Adjustment]) -> bool:
    """Nothing paid because another payer is the one to pay first."""
    return paid == ZERO and any(
        a.group in ("CO", "OA") and a.carc in COVERAGE_DENIALS for a in adjustments)


def sequence_after(sequence: PayerSequence) -> PayerSequence | None:
    """The next claim's place in the encounter's order of payers; None after the last. A claim
    moved on after a coverage denial takes the next place too, but goes out as primary (SBR01
    P): no payer before it paid."""
    position = ORDER.index(sequence) + 1
    return ORDER[position] if position < len(ORDER) else None
