"""The worklist's queries, scoped to the caller's tenant."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.claims.state_machine import TERMINAL, ClaimStatus
from billing_service.models.claim import Claim, ClaimEvent

OPEN_STATUSES = sorted(status.value for status in ClaimStatus if status not in TERMINAL)


class WorklistRepository:
    def __init__(self, session: AsyncSession, tenant_id: str) -> None:
        self.session = session
        self.tenant_id = tenant_id

    async def needing_work(
        self, unanswered_before: datetime, *, after: tuple[datetime, str] | None, limit: int,
    ) -> list[Claim]:
        """Oldest claims first, after the (created_at, id) position `after`."""
        query = select(Claim).where(
            Claim.tenant_id == self.tenant_id,
            or_(
                Claim.status.in_(("rejected", "denied")),
                and_(Claim.status.in_(("submitted", "accepted")),
                     Claim.last_submitted_at < unanswered_before),
            ),
        )
        if after is not None:
            query = query.where(tuple_(Claim.created_at, Claim.id) > after)
        return list(await self.session.scalars(
            query.order_by(Claim.created_at, Claim.id).limit(limit)))

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
