"""The worklist's queries, scoped to the caller's tenant."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.claims.state_machine import TERMINAL, ClaimStatus
from billing_service.models.claim import Claim, ClaimEvent
from rcm_shared.pagination import Keyset, Slice

OPEN_STATUSES = sorted(status.value for status in ClaimStatus if status not in TERMINAL)
OLDEST_FIRST = Keyset(Claim.created_at, Claim.id)


class WorklistRepository:
    def __init__(self, session: AsyncSession, tenant_id: str) -> None:
        self.session = session
        self.tenant_id = tenant_id

    async def needing_work(
        self, unanswered_before: datetime, *, cursor: str | None, limit: int,
    ) -> Slice[Claim]:
        """Oldest claims first."""
        query = select(Claim).where(
            Claim.tenant_id == self.tenant_id,
            or_(
                Claim.status.in_(("rejected", "denied")),
                and_(Claim.status.in_(("submitted", "accepted")),
                     Claim.last_submitted_at < unanswered_before),
            ),
        )
        return await OLDEST_FIRST.scalars(self.session, query, cursor, limit)

    async def open_claims(self) -> list[Claim]:
        return list(await self.session.scalars(
            select(Claim).where(Claim.tenant_id == self.tenant_id,
                                Claim.status.in_(OPEN_STATUSES))
        ))

    async def last_adjudications(self, claim_ids: list[str]) -> dict[str, ClaimEvent]:
        if not claim_ids:
            return {}
        events = await self.session.scalars(
            select(ClaimEvent)
            .where(ClaimEvent.tenant_id == self.tenant_id, ClaimEvent.claim_id.in_(claim_ids),
                   ClaimEvent.action == "adjudicate")
            .order_by(ClaimEvent.id)
        )
        return {event.claim_id: event for event in events}
