"""The claim to the patient's next payer, built by billing itself once a payer's remittance is
posted and coordination of benefits says the next payer is owed a claim (claims.coordination).

It bills the same visit: the patient, providers, codes and lines are copied from the claim
before; the coverage, payer, place in the order of payers and everything of one payer's claim
(status, submission, payments) are its own. When the payer before crossed the claim over to
this payer itself, the claim is `crossed_over` and is never sent: this payer's remittance
posts to it.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.claims.coordination import Handoff, handoff, sequence_after
from billing_service.claims.repository import ClaimRepository
from billing_service.claims.state_machine import (
    NEVER_ACCEPTED,
    ClaimAction,
    allowed_actions,
    awaiting_its_payer,
)
from billing_service.claims.transitions import SYSTEM_ACTOR, transition
from billing_service.coverages.repository import CoverageRepository
from billing_service.models.claim import (
    Claim,
    ClaimLine,
    ClaimStatus,
    PayerSequence,
    new_id,
    new_patient_control_number,
)
from billing_service.models.coverage import Coverage
from billing_service.payers.adapter import Remittance
from rcm_shared.money import ZERO, to_money

# Columns of one payer's claim rather than of the visit: the next payer's claim starts them
# afresh (their defaults), or sets them below. Every other column is the visit's and copied.
_OWN_COLUMNS = frozenset({
    "id", "patient_control_number", "coverage_id", "payer_id", "payer_sequence",
    "prior_claim_id", "status", "frequency_code", "replaces_claim_id", "replaced_by_claim_id",
    "original_payer_claim_number", "payer_claim_control_number", "submission_id",
    "submission_count", "first_submitted_at", "last_submitted_at", "paid_amount",
    "adjustment_amount", "patient_responsibility", "balance_cents", "scrub_issues",
    "payer_errors", "version", "created_by", "created_at", "updated_at", "denials",
    "timely_filing_days",
})


class NextPayerBilling:
    """Built for the tenant of the claim whose remittance was posted (the payer loop posts
    for every tenant)."""

    def __init__(self, session: AsyncSession, tenant_id: str) -> None:
        self.session = session
        self.claims = ClaimRepository(session, tenant_id)
        self.coverages = CoverageRepository(session, tenant_id)

    async def after(self, claim: Claim, remittance: Remittance, *,
                    readjudicated: bool = False) -> Claim | None:
        """The next payer's claim the remittance calls for, built once; None when none.

        When `claim` replaced another (a correction), the next payer's claim of the one it
        replaced is corrected too: replaced by the new one if that payer adjudicated it,
        canceled if it was never accepted, voided if the correction leaves that payer nothing.
        When its payer adjudicated `claim` again (`readjudicated`: an appeal it overturned),
        the next payer's claim built from its first answer is superseded the same way, since
        what the payer before paid and left the patient changed; while that claim is with its
        payer, unanswered, it holds the place and only gets an event saying it is out of date.
        """
        reason = handoff(remittance)
        superseded = await self._superseded(claim, readjudicated)
        change = ("was adjudicated again by its payer" if readjudicated
                  else "corrected the claim before it")
        if (readjudicated and superseded is not None
                and awaiting_its_payer(ClaimStatus(superseded.status))):
            # It holds the next payer's place until that payer answers it.
            self.claims.record_event(
                superseded, actor=SYSTEM_ACTOR, action="next_payer",
                from_status=superseded.status,
                reason=f"Out of date since claim {claim.id} {change}: this claim's payer "
                       "still has it, so it cannot be replaced yet; void it once answered")
            return None
        sequence = sequence_after(PayerSequence(claim.payer_sequence))
        coverage = None
        standing = await self.claims.next_payers_claim(claim)
        if reason is not None and sequence is not None and (
                standing is None or standing is superseded):
            coverage = await self._next_coverage(claim, remittance)
        if reason is None or sequence is None or coverage is None:
            if superseded is not None:
                await self.withdraw(superseded, f"claim {claim.id} {change} and leaves this "
                                                "payer nothing to pay")
            return None
        crossed_over = remittance.crossed_over_to == coverage.payer_id
        next_claim = self._copy(claim, coverage, sequence,
                                ClaimStatus.CROSSED_OVER if crossed_over else ClaimStatus.READY)
        replaces = (superseded if superseded is not None
                    and ClaimAction.CORRECT in allowed_actions(ClaimStatus(superseded.status))
                    else None)
        if replaces is not None:
            next_claim.frequency_code = "7"
            next_claim.replaces_claim_id = replaces.id
            next_claim.original_payer_claim_number = replaces.payer_claim_control_number
        if replaces is not None:
            # The claim replaced steps aside before its replacement takes its place (one
            # standing claim per place), and refers to it once the replacement's row exists.
            previous, _ = transition(replaces, ClaimAction.CORRECT)
            await self.session.flush()
        self.claims.add(next_claim)
        if replaces is not None:
            await self.session.flush()
            replaces.replaced_by_claim_id = next_claim.id
            self.claims.record_event(
                replaces, actor=SYSTEM_ACTOR, action="correct", from_status=previous,
                reason=f"Replaced by claim {next_claim.id}: claim {claim.id} {change}",
                data={"replacement_claim_id": next_claim.id})
        elif superseded is not None:
            await self.withdraw(superseded, f"claim {next_claim.id} bills this payer for "
                                            f"claim {claim.id}, which {change}")
        why = _reason(reason, remittance, crossed_over)
        self.claims.record_event(
            next_claim, actor=SYSTEM_ACTOR, action="create", from_status=None,
            reason=f"Built for the patient's {sequence.value} payer {coverage.payer_id}: {why}",
            data={"prior_claim_id": claim.id})
        self.claims.record_event(
            claim, actor=SYSTEM_ACTOR, action="next_payer", from_status=claim.status,
            reason=f"Claim {next_claim.id} bills the patient's next payer "
                   f"{coverage.payer_id}: {why}",
            data={"next_claim_id": next_claim.id})
        return next_claim

    async def _superseded(self, claim: Claim, readjudicated: bool) -> Claim | None:
        """The next payer's claim that this remittance leaves out of date, if any."""
        if readjudicated:
            return await self.claims.next_payers_claim(claim)
        if claim.replaces_claim_id is None:
            return None
        replaced = await self.claims.get(claim.replaces_claim_id)
        return await self.claims.next_payers_claim(replaced) if replaced else None

    async def withdraw(self, claim: Claim, why: str) -> None:
        """Take back the claim of a payer after one whose claim was corrected or voided:
        canceled if no payer accepted it, voided if its payer holds it (a frequency 8 claim
        to that payer), left with an event while the payer is still answering it."""
        status = ClaimStatus(claim.status)
        if status in NEVER_ACCEPTED:
            previous, _ = transition(claim, ClaimAction.CANCEL)
            self.claims.record_event(claim, actor=SYSTEM_ACTOR, action="cancel",
                                     from_status=previous, reason=f"Canceled: {why}")
        elif ClaimAction.VOID in allowed_actions(status):
            previous, _ = transition(claim, ClaimAction.VOID)
            submission_id = uuid.uuid4().hex
            self.claims.queue(claim, kind="void", submission_id=submission_id,
                              frequency_code="8")
            self.claims.record_event(claim, actor=SYSTEM_ACTOR, action="void",
                                     from_status=previous, reason=f"Voided: {why}",
                                     data={"submission_id": submission_id})
        else:
            self.claims.record_event(
                claim, actor=SYSTEM_ACTOR, action="next_payer", from_status=claim.status,
                reason=f"Void this claim once its payer answers it: {why}")

    async def _next_coverage(self, claim: Claim, remittance: Remittance) -> Coverage | None:
        """The first coverage by priority in force on the visit that no claim of this chain
        went to yet; the crossover's payer when the payer before forwarded the claim."""
        billed = {claim.coverage_id} | {
            prior.coverage_id for prior in await self.claims.payers_before(claim)}
        candidates = [coverage for coverage in await self.coverages.in_force_by_priority(
            claim.patient_id, claim.date_of_service) if coverage.id not in billed]
        crossover = next((c for c in candidates if c.payer_id == remittance.crossed_over_to),
                         None)
        return crossover or (candidates[0] if candidates else None)

    def _copy(self, claim: Claim, coverage: Coverage, sequence: PayerSequence,
              status: ClaimStatus) -> Claim:
        visit = {
            column.key: getattr(claim, column.key)
            for column in Claim.__table__.columns
            if column.key not in _OWN_COLUMNS and not column.computed
        }
        return Claim(
            **visit,
            id=new_id(),
            patient_control_number=new_patient_control_number(),
            coverage_id=coverage.id,
            payer_id=coverage.payer_id,
            payer_sequence=sequence.value,
            prior_claim_id=claim.id,
            status=status.value,
            frequency_code="1",
            scrub_issues=[],
            payer_errors=[],
            created_by=SYSTEM_ACTOR,
            lines=[
                ClaimLine(**{column.key: getattr(line, column.key)
                             for column in ClaimLine.__table__.columns
                             if column.key not in ("id", "claim_id")})
                for line in claim.lines
            ],
        )


def _reason(reason: Handoff, remittance: Remittance, crossed_over: bool) -> str:
    if reason is Handoff.COVERAGE_DENIAL:
        return "the payer before denied the claim as not its own to pay first"
    owed = to_money(remittance.patient_responsibility)
    paid = to_money(remittance.paid) if remittance.paid else ZERO
    said = (f"the payer before paid {paid} and left the patient {owed}")
    if crossed_over:
        return said + "; it forwarded the claim itself (crossover), so nothing is sent"
    return said
