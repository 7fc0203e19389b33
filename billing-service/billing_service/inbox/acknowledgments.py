"""A 277CA claim acknowledgment applied to its claim: accepted (the payer's claim number
kept) or rejected (with the payer's errors). Idempotent: an acknowledgment for a submission
the claim is no longer waiting on changes nothing."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.claims.repository import ClaimRepository, locked_claims_of
from billing_service.claims.state_machine import ClaimAction, ClaimStatus
from billing_service.claims.transitions import transition
from billing_service.inbox.repository import PayerFileRepository
from billing_service.models.claim import Claim, PayerJob
from billing_service.payers.adapter import PAYER, Acknowledgment
from billing_service.remittances.repository import RemittanceRepository

logger = logging.getLogger("billing.inbox")


async def apply_acknowledgment(session: AsyncSession, ack: Acknowledgment) -> bool:
    job = await PayerFileRepository(session).job_by_submission(ack.submission_id)
    claim = await (ClaimRepository(session, job.tenant_id).get(job.claim_id, for_update=True)
                   if job is not None
                   else RemittanceRepository(session, None).claim_by_control_number(
                       ack.patient_control_number))
    return _apply(session, ack, job, claim)


async def apply_acknowledgments(session: AsyncSession,
                                acks: Sequence[Acknowledgment]) -> list[bool]:
    """Each of a 277CA's acknowledgments applied in order, as apply_acknowledgment applies
    one, their outbox jobs and claims read (and locked) together."""
    jobs = await PayerFileRepository(session).jobs_by_submission(
        [ack.submission_id for ack in acks])
    claims = await locked_claims_of(session, jobs.values())
    changed = []
    for ack in acks:
        job = jobs.get(ack.submission_id)
        if job is not None:
            claim = claims.get(job.claim_id)
        else:
            # Read under the lock as it stands, with what this file changed so far.
            await session.flush()
            claim = await RemittanceRepository(session, None).claim_by_control_number(
                ack.patient_control_number)
        changed.append(_apply(session, ack, job, claim))
    return changed


def _apply(session: AsyncSession, ack: Acknowledgment, job: PayerJob | None,
           claim: Claim | None) -> bool:
    if claim is None:
        logger.warning("acknowledgment for an unknown claim", extra={"event": "ack_unmatched"})
        return False
    errors = "; ".join(f"{code} {message}" for code, message in ack.errors)
    if job is not None and job.kind == "void":
        # The claim is already voided on our side; record what the payer made of it.
        accepted = ack.status == "accepted"
        ClaimRepository(session, claim.tenant_id).record_event(
            claim, actor=PAYER,
            action="void_accepted" if accepted else "void_rejected",
            from_status=claim.status,
            reason="The payer accepted the void" if accepted
            else f"The payer rejected the void: {errors}",
            data={"submission_id": ack.submission_id},
        )
        return True
    if claim.status != ClaimStatus.SUBMITTED or claim.submission_id != ack.submission_id:
        return False
    if ack.status == "accepted":
        previous, _ = transition(claim, ClaimAction.ACKNOWLEDGE, ClaimStatus.ACCEPTED)
        claim.payer_claim_control_number = ack.payer_claim_control_number
        reason = f"Accepted by the payer as claim {ack.payer_claim_control_number}"
    else:
        previous, _ = transition(claim, ClaimAction.ACKNOWLEDGE, ClaimStatus.REJECTED)
        claim.payer_errors = [{"code": code, "message": message} for code, message in ack.errors]
        reason = f"Rejected by the payer: {errors}" if errors else "Rejected by the payer"
    ClaimRepository(session, claim.tenant_id).record_event(
        claim, actor=PAYER, action="acknowledge", from_status=previous, reason=reason,
        data={"submission_id": ack.submission_id, "errors": [list(e) for e in ack.errors]})
    return True
