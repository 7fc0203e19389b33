"""The statement's queries, scoped to the caller's tenant."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.claims.state_machine import TERMINAL
from billing_service.models.claim import Claim, RemittancePosting
from billing_service.models.coverage import Coverage

# Claims that no longer stand for the visit (a replacement or a void took their place)
# are left out.
SUPERSEDED = sorted(status.value for status in TERMINAL)


async def current_claims(session: AsyncSession, tenant_id: str, patient_id: str) -> list[Claim]:
    return list(await session.scalars(
        select(Claim)
        .where(Claim.tenant_id == tenant_id, Claim.patient_id == patient_id,
               Claim.status.not_in(SUPERSEDED))
        .order_by(Claim.date_of_service, Claim.created_at)
    ))


async def postings(
    session: AsyncSession, tenant_id: str, claim_ids: list[str]
) -> list[RemittancePosting]:
    """Every remittance posted to the claims, reversals included: a reversal carries the
    negative of the payment it takes back, so the sum is what stands now."""
    if not claim_ids:
        return []
    return list(await session.scalars(
        select(RemittancePosting)
        .where(RemittancePosting.tenant_id == tenant_id,
               RemittancePosting.claim_id.in_(claim_ids))
        .order_by(RemittancePosting.id)
    ))


async def coverages(
    session: AsyncSession, tenant_id: str, coverage_ids: set[str]
) -> list[Coverage]:
    return list(await session.scalars(
        select(Coverage).where(Coverage.tenant_id == tenant_id, Coverage.id.in_(coverage_ids))
    ))
