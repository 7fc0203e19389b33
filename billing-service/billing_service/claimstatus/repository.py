"""Claim status inquiry queries: a tenant's, and the payer worker's across tenants."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.models.claim import Claim
from billing_service.models.claim_status import ClaimStatusInquiry

# Claims sent and not answered yet: acknowledged or not, never adjudicated.
UNANSWERED = ("submitted", "accepted")


class ClaimStatusRepository:
    def __init__(self, session: AsyncSession, tenant_id: str) -> None:
        self.session = session
        self.tenant_id = tenant_id

    async def add(self, inquiry: ClaimStatusInquiry) -> None:
        self.session.add(inquiry)
        await self.session.flush()


class DueInquiryRepository:
    """The payer worker's query across tenants."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def due(self, sent_before: datetime, limit: int) -> Sequence[tuple[str, str]]:
        """(tenant, claim) of claims sent before `sent_before`, still unanswered, and not
        asked about since then: oldest first."""
        asked = exists().where(ClaimStatusInquiry.claim_id == Claim.id,
                               ClaimStatusInquiry.checked_at >= sent_before)
        rows = await self.session.execute(
            select(Claim.tenant_id, Claim.id)
            .where(Claim.status.in_(UNANSWERED), Claim.last_submitted_at < sent_before,
                   and_(~asked))
            .order_by(Claim.last_submitted_at, Claim.id)
            .limit(limit))
        return [(tenant_id, claim_id) for tenant_id, claim_id in rows]
