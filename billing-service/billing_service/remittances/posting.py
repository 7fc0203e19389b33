"""One claim's payment from an 835, once matched to its claim, posted to it: the payment,
its adjustments and remark codes kept, each line compared with the tenant's contract with the
payer, the claim adjudicated (or a reversal recorded).
Idempotent: a remittance already posted (the same trace number) changes nothing."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.claims.codes import describe_adjustment
from billing_service.claims.denials import denial_records
from billing_service.claims.next_payer import NextPayerBilling
from billing_service.claims.repository import ClaimRepository
from billing_service.claims.state_machine import ClaimAction, ClaimStatus
from billing_service.claims.transitions import transition
from billing_service.contracts.service import ContractComparison
from billing_service.models.claim import (
    Claim,
    RemittanceAdjustment,
    RemittanceLine,
    RemittancePosting,
)
from billing_service.payers.adapter import PAYER, Adjustment, Remittance
from billing_service.remittances.repository import RemittanceRepository
from rcm_shared.db import utcnow
from rcm_shared.money import ZERO, to_money

# Adjustments that are not a denial: the contractual write-down and the patient's share.
NOT_DENIALS = {("CO", "45")}


async def claim_for_remittance(
    repository: RemittanceRepository,
    patient_control_number: str,
    payer_claim_control_number: str,
    *,
    payer_id: str | None,
    reversal: bool,
) -> Claim | None:
    """The claim a claim payment is for, locked, among the repository's tenant's claims (an
    upload) or any tenant's (what the payer adapter delivers); only `payer_id`'s claims when
    the file names its payer (REF*2U).

    A payment is matched by its patient control number (CLP01), which billing made unique, or
    for a payer a claim was crossed over to, by the number of the claim crossed over.
    A reversal may instead undo the payer claim a replacement or void referred to: it is
    matched by that payer claim number (CLP07) and the payer together, never by the number
    alone, since payers number their claims independently."""
    if reversal and payer_id is not None:
        for claim in await repository.claims_by_payer_number(payer_claim_control_number,
                                                             payer_id):
            if claim.status in (ClaimStatus.REPLACED, ClaimStatus.VOIDED):
                return claim
    matched = await repository.claim_by_control_number(patient_control_number,
                                                       payer_id=payer_id)
    if matched is None and payer_id is not None:
        matched = await repository.crossed_over_claim(patient_control_number, payer_id)
    return matched


def _codes(remittance: Remittance) -> tuple[list[str], list[str]]:
    adjustments = [*remittance.claim_adjustments,
                   *(a for line in remittance.lines for a in line.adjustments)]
    carc = list(dict.fromkeys(f"{a.group}-{a.carc}" for a in adjustments))
    rarc = list(dict.fromkeys([*remittance.remark_codes,
                               *(code for line in remittance.lines for code in line.rarc)]))
    return carc, rarc


def _denials(remittance: Remittance) -> list[Adjustment]:
    claim_level = list(remittance.claim_adjustments)
    line_level = [
        a for line in remittance.lines if line.paid == ZERO for a in line.adjustments
        if a.group != "PR"
    ]
    return [a for a in claim_level + line_level if (a.group, a.carc) not in NOT_DENIALS]


def _adjudication_reason(remittance: Remittance) -> str:
    amounts = (f"paid {to_money(remittance.paid)} of {to_money(remittance.billed)} billed; "
               f"patient responsibility {to_money(remittance.patient_responsibility)}")
    denials = list(dict.fromkeys(describe_adjustment(a.group, a.carc)
                                 for a in _denials(remittance)))
    if remittance.status == ClaimStatus.DENIED:
        return "Denied: " + ("; ".join(denials) or "no reason given")
    if remittance.status == ClaimStatus.PARTIALLY_PAID:
        return f"Partially paid ({amounts}); denied: {'; '.join(denials)}"
    return f"Paid ({amounts})"


def _post(claim: Claim, remittance: Remittance) -> RemittancePosting:
    posting = RemittancePosting(
        tenant_id=claim.tenant_id,
        claim_id=claim.id,
        trace_number=remittance.remittance_id,
        payer_claim_control_number=remittance.payer_claim_control_number,
        status=remittance.status,
        billed=to_money(remittance.billed),
        paid=to_money(remittance.paid),
        patient_responsibility=to_money(remittance.patient_responsibility),
        remark_codes=list(remittance.remark_codes),
        paid_date=remittance.paid_date,
        lines=[
            RemittanceLine(line_number=line.line_number, procedure_code=line.procedure_code,
                           billed=to_money(line.billed), allowed=to_money(line.allowed),
                           paid=to_money(line.paid), rarc=list(line.rarc))
            for line in remittance.lines
        ],
        adjustments=[
            *(RemittanceAdjustment(line_number=None, group_code=a.group, carc=a.carc,
                                   amount=to_money(a.amount))
              for a in remittance.claim_adjustments),
            *(RemittanceAdjustment(line_number=line.line_number, group_code=a.group,
                                   carc=a.carc, amount=to_money(a.amount))
              for line in remittance.lines for a in line.adjustments),
        ],
    )
    adjusted: Decimal = sum((a.amount for a in posting.adjustments), ZERO)
    claim.paid_amount = to_money(claim.paid_amount + posting.paid)
    claim.adjustment_amount = to_money(claim.adjustment_amount + adjusted)
    claim.patient_responsibility = to_money(
        claim.patient_responsibility + posting.patient_responsibility
    )
    claim.updated_at = utcnow()
    return posting


async def post_remittance(
    session: AsyncSession, claim: Claim, remittance: Remittance
) -> str | None:
    """Post `remittance` (its remittance_id is the trace number) to `claim`; None when
    posted, else why it was not."""
    if await RemittanceRepository(session, claim.tenant_id).posting_exists(
            claim.id, remittance.remittance_id):
        return f"Already posted (trace number {remittance.remittance_id})."
    awaiting = claim.status in (ClaimStatus.SUBMITTED, ClaimStatus.ACCEPTED,
                                ClaimStatus.CROSSED_OVER)
    if (remittance.status != "reversed" and not awaiting
            and remittance.payer_claim_control_number != claim.payer_claim_control_number):
        # An adjudicated claim only takes later payments on its own payer claim.
        return (f"The claim was adjudicated as payer claim {claim.payer_claim_control_number}, "
                f"not {remittance.payer_claim_control_number}; only a reversal of another "
                "payer claim applies to it.")
    posting = _post(claim, remittance)
    await ContractComparison(session, claim.tenant_id).compare(claim, remittance, posting)
    session.add(posting)
    # The latest remittance stands for the claim: a reversal leaves nothing denied.
    claim.denials = denial_records(remittance)
    carc, rarc = _codes(remittance)
    data = {"trace_number": remittance.remittance_id,
            "payer_claim_control_number": remittance.payer_claim_control_number,
            "paid": str(to_money(remittance.paid)),
            "patient_responsibility": str(to_money(remittance.patient_responsibility))}

    if remittance.status == "reversed":
        ClaimRepository(session, claim.tenant_id).record_event(
            claim, actor=PAYER, action="reversal", from_status=claim.status,
            reason=f"The payer reversed claim {remittance.payer_claim_control_number} "
                   f"(payment {to_money(remittance.paid)})",
            carc=carc, rarc=rarc, data=data,
        )
        return None

    if claim.status == ClaimStatus.SUBMITTED:
        # The acknowledgment never arrived; a remittance means the payer accepted the claim.
        previous, _ = transition(claim, ClaimAction.ACKNOWLEDGE, ClaimStatus.ACCEPTED)
        claim.payer_claim_control_number = remittance.payer_claim_control_number
        ClaimRepository(session, claim.tenant_id).record_event(
            claim, actor=PAYER, action="acknowledge", from_status=previous,
            reason="Accepted by the payer (acknowledgment implied by its remittance)")
    if claim.status in (ClaimStatus.ACCEPTED, ClaimStatus.CROSSED_OVER):
        if claim.status == ClaimStatus.CROSSED_OVER:
            claim.payer_claim_control_number = remittance.payer_claim_control_number
        previous, _ = transition(claim, ClaimAction.ADJUDICATE, ClaimStatus(remittance.status))
        ClaimRepository(session, claim.tenant_id).record_event(
            claim, actor=PAYER, action="adjudicate", from_status=previous,
            reason=_adjudication_reason(remittance), carc=carc, rarc=rarc, data=data)
        await NextPayerBilling(session, claim.tenant_id).after(claim, remittance)
    elif claim.status in (ClaimStatus.DENIED, ClaimStatus.PARTIALLY_PAID):
        # Its payer adjudicated it again (an appeal it overturned): the status follows.
        previous, _ = transition(claim, ClaimAction.READJUDICATE, ClaimStatus(remittance.status))
        ClaimRepository(session, claim.tenant_id).record_event(
            claim, actor=PAYER, action="readjudicate", from_status=previous,
            reason=_adjudication_reason(remittance), carc=carc, rarc=rarc, data=data)
        await NextPayerBilling(session, claim.tenant_id).after(claim, remittance,
                                                               readjudicated=True)
    else:
        ClaimRepository(session, claim.tenant_id).record_event(
            claim, actor=PAYER, action="remittance", from_status=claim.status,
            reason=_adjudication_reason(remittance), carc=carc, rarc=rarc, data=data)
    return None
