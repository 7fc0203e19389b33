"""The claim to the patient's next payer, built by billing itself once a payer's remittance is
posted and coordination of benefits says the next payer is owed a claim (claims.coordination).

It bills the same visit: the patient, providers, codes and lines are copied from the claim
before; the coverage, payer, place in the order of payers and everything of one payer's claim
(status, submission, payments) are its own. When the payer before crossed the claim over to
this payer itself, the claim is `crossed_over` and is never sent: this payer's remittance
posts to it.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.claims.coordination import Handoff, handoff, sequence_after
from billing_service.claims.repository import ClaimRepository
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

# The actor of what billing does by itself.
SYSTEM_ACTOR = "system"
# Columns of one payer's claim rather than of the visit: the next payer's claim starts them
# afresh (their defaults), or sets them below. Every other column is the visit's and copied.
_OWN_COLUMNS = frozenset({
    "id", "patient_control_number", "coverage_id", "payer_id", "payer_sequence",
    "prior_claim_id", "status", "frequency_code", "replaces_claim_id", "replaced_by_claim_id",
    "original_payer_claim_number", "payer_claim_control_number", "submission_id",
    "submission_count", "first_submitted_at", "last_submitted_at", "paid_amount",
    "adjustment_amount", "patient_responsibility", "balance_cents", "scrub_issues",
    "payer_errors", "version", "created_by", "created_at", "updated_at",
})


class NextPayerBilling:
    """Built for the tenant of the claim whose remittance was posted (the payer loop posts
    for every tenant)."""

    def __init__(self, session: AsyncSession, tenant_id: str) -> None:
        self.claims = ClaimRepository(session, tenant_id)
        self.coverages = CoverageRepository(session, tenant_id)

    async def after(self, claim: Claim, remittance: Remittance) -> Claim | None:
        """The next payer's claim the remittance calls for, built once; None when none."""
        reason = handoff(remittance)
        if reason is None:
            return None
        sequence = sequence_after(PayerSequence(claim.payer_sequence))
        if sequence is None or await self.claims.next_payers_claim(claim) is not None:
            return None
        coverage = await self._next_coverage(claim, remittance)
        if coverage is None:
            return None
        crossed_over = remittance.crossed_over_to == coverage.payer_id
        next_claim = self._copy(claim, coverage, sequence,
                                ClaimStatus.CROSSED_OVER if crossed_over else ClaimStatus.READY)
        self.claims.add(next_claim)
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
