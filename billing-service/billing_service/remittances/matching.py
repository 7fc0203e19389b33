"""One 835 claim payment matched to the claim it pays: its lines by the line item control
number billing sent (REF*6R), its status, its trace number. Pure."""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal

from billing_service.claims.state_machine import ClaimStatus
from billing_service.models.claim import Claim
from billing_service.payers.adapter import (
    Adjustment,
    LineRemittance,
    Remittance,
    RemittanceStatus,
)
from billing_service.x12.claim837 import line_item_control_number
from billing_service.x12.remit835 import (
    DENIED,
    SEQUENCE_OF_STATUS_CODE,
    ClaimPayment,
    PaymentAdvice,
    ReadAdjustment,
    ServicePayment,
)
from rcm_shared.issues import issue
from rcm_shared.money import ZERO, to_money

PROCEDURE_CODE = re.compile(r"^[A-Z0-9]{5}$")
# RemittancePosting.trace_number holds 80 characters.
MAX_TRACE = 80


def trace_number(advice: PaymentAdvice, claim: ClaimPayment) -> str:
    """What identifies one claim payment across files: the payment's trace number (TRN02),
    the payer's claim number and whether it is a reversal. The same 835 delivered again, in a
    new envelope or not, yields the same trace numbers."""
    text = f"{advice.trace_number}:{claim.payer_claim_control_number}"
    if claim.is_reversal:
        text += ":22"
    if len(text) <= MAX_TRACE:
        return text
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def _is_denied(service: ServicePayment) -> bool:
    # Nothing paid and nothing left to the patient: the payer refused the line.
    return service.paid == ZERO and not any(a.group == "PR" for a in service.adjustments)


def remittance_status(claim: ClaimPayment) -> RemittanceStatus:
    """CLP02 22 is a reversal and 4 a denial; a processed claim is partially paid when some
    of its lines were denied, denied when all were."""
    if claim.is_reversal:
        return "reversed"
    if claim.status_code == DENIED:
        return ClaimStatus.DENIED
    if not claim.services:
        denied = claim.paid == ZERO and not any(a.group == "PR" for a in claim.adjustments)
        return ClaimStatus.DENIED if denied else ClaimStatus.PAID
    denied_lines = sum(1 for service in claim.services if _is_denied(service))
    if denied_lines == len(claim.services):
        return ClaimStatus.DENIED
    return ClaimStatus.PARTIALLY_PAID if denied_lines else ClaimStatus.PAID


def _adjustments(read: tuple[ReadAdjustment, ...]) -> tuple[Adjustment, ...]:
    return tuple(Adjustment(a.group, a.carc, to_money(a.amount))  # type: ignore[arg-type]
                 for a in read)


def _allowed(service: ServicePayment) -> Decimal:
    if service.allowed is not None:
        return to_money(service.allowed)
    # Without AMT*B6: what is left of the charge after the payer's own reductions.
    reductions = sum((a.amount for a in service.adjustments if a.group != "PR"), ZERO)
    return to_money(service.billed - reductions)


def match(
    claim: Claim, advice: PaymentAdvice, payment: ClaimPayment
) -> tuple[Remittance | None, list[dict[str, str]]]:
    """The payment as a Remittance of `claim`'s lines, or why its lines do not match."""
    # The claim's own line numbers, and for a claim crossed over to this payer, those of the
    # claim the payer before forwarded (the number the payment names; the same lines).
    by_control_number = {
        line_item_control_number(number, line.line_number): line
        for number in {claim.patient_control_number, payment.patient_control_number}
        for line in claim.lines
    }
    findings = []
    lines = []
    for service in payment.services:
        where = f"segment {service.position} (SVC)"
        control = service.line_item_control_number
        line = by_control_number.get(control) if control else None
        if line is None:
            findings.append(issue(
                "x12.835.unmatched_line", where,
                f"REF*6R {control!r} names no line of claim {claim.patient_control_number}."
                if control else "The service line carries no REF*6R line item control number.",
            ))
            continue
        # The code the payer adjudicated, unless it is no procedure code (a revenue code,
        # an NDC): then the line's own.
        adjudicated = service.procedure_code
        lines.append(LineRemittance(
            line_number=line.line_number,
            procedure_code=adjudicated if PROCEDURE_CODE.fullmatch(adjudicated)
            else line.procedure_code,
            billed=to_money(service.billed),
            allowed=_allowed(service),
            paid=to_money(service.paid),
            adjustments=_adjustments(service.adjustments),
            rarc=service.remark_codes,
        ))
    if findings:
        return None, findings
    return Remittance(
        patient_control_number=payment.patient_control_number,
        payer_claim_control_number=payment.payer_claim_control_number,
        status=remittance_status(payment),
        billed=to_money(payment.billed),
        paid=to_money(payment.paid),
        patient_responsibility=to_money(payment.patient_responsibility),
        lines=tuple(lines),
        claim_adjustments=_adjustments(payment.adjustments),
        remark_codes=payment.remark_codes,
        remittance_id=trace_number(advice, payment),
        paid_date=advice.paid_on,
        payer_sequence=SEQUENCE_OF_STATUS_CODE.get(payment.status_code, "P"),  # type: ignore[arg-type]
        crossed_over_to=payment.crossover_carrier_id if payment.forwarded else None,
    ), []
