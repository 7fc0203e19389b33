"""The worklist's queries, scoped to the caller's tenant."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import String, TextClause, and_, func, literal, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.claims.state_machine import ClaimStatus
from billing_service.models.appeal import Appeal
from billing_service.models.claim import (
    UNDERPAID_POSTGRESQL,
    UNDERPAID_SQLITE,
    Claim,
    ClaimDenialCount,
    ClaimEvent,
    ClaimOpenBalance,
)
from billing_service.models.claim_status import ClaimStatusInquiry
from billing_service.worklist.aging import earliest_dates
from rcm_shared.pagination import Keyset, Slice

OLDEST_FIRST = Keyset(Claim.created_at, Claim.id)
# A claim replaced or voided since is no longer the payer's to pay more on.
UNDERPAID_STATUSES = (ClaimStatus.PAID.value, ClaimStatus.PARTIALLY_PAID.value)


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
                and_(Claim.status.in_(UNDERPAID_STATUSES), self._underpaid()),
            ),
        )
        return await OLDEST_FIRST.scalars(self.session, query, cursor, limit)

    def _underpaid(self) -> TextClause:
        # Written as ix_claims_tenant_underpaid's own condition, which a query must repeat
        # word for word for SQLite to use that index.
        dialect = self.session.get_bind().dialect.name
        return UNDERPAID_SQLITE if dialect == "sqlite" else UNDERPAID_POSTGRESQL

    async def underpaid(self) -> list[tuple[str, Decimal]]:
        """Each underpaid claim's payer and how much it was underpaid."""
        rows = await self.session.execute(
            select(Claim.payer_id, Claim.underpaid_amount)
            .where(Claim.tenant_id == self.tenant_id, self._underpaid(),
                   Claim.status.in_(UNDERPAID_STATUSES)))
        return [(payer_id, amount) for payer_id, amount in rows]

    async def aging(self, today: date) -> dict[str, tuple[int, int]]:
        """Per aging bucket on `today`, the open claims owing something and what they owe
        in cents. One statement over the tenant's days in claim_open_balances, which the
        database keeps as claims change: a range of days per bucket, whatever the number of
        claims."""
        day = ClaimOpenBalance
        ranges = []
        later = None  # the youngest bucket takes dates of service in the future too
        for label, earliest in earliest_dates(today):
            query = select(literal(label, String), func.coalesce(func.sum(day.claims), 0),
                           func.coalesce(func.sum(day.balance_cents), 0))
            query = query.where(day.tenant_id == self.tenant_id)
            if earliest is not None:
                query = query.where(day.date_of_service >= earliest)
            if later is not None:
                query = query.where(day.date_of_service < later)
            ranges.append(query)
            later = earliest
        rows = await self.session.execute(union_all(*ranges))
        return {label: (int(count), int(total)) for label, count, total in rows if count}

    async def denial_counts(self) -> dict[str, tuple[int, int]]:
        """Per denial category: (denied or partially paid claims with a denial of it, denials
        of it), as claim_denial_counts keeps them; a category none has is left out."""
        rows = await self.session.scalars(
            select(ClaimDenialCount).where(ClaimDenialCount.tenant_id == self.tenant_id))
        return {row.category: (row.claims, row.denials) for row in rows if row.claims}

    async def last_appeals(self, claim_ids: list[str]) -> dict[str, Appeal]:
        """Each claim's latest appeal, for those that have one."""
        if not claim_ids:
            return {}
        rows = await self.session.scalars(
            select(Appeal).where(Appeal.tenant_id == self.tenant_id,
                                 Appeal.claim_id.in_(claim_ids))
            .order_by(Appeal.submitted_at, Appeal.id))
        return {appeal.claim_id: appeal for appeal in rows}

    async def last_status_inquiries(self, claim_ids: list[str]
                                    ) -> dict[str, ClaimStatusInquiry]:
        """Each claim's latest status inquiry, for those that have one."""
        if not claim_ids:
            return {}
        rows = await self.session.scalars(
            select(ClaimStatusInquiry)
            .where(ClaimStatusInquiry.tenant_id == self.tenant_id,
                   ClaimStatusInquiry.claim_id.in_(claim_ids))
            .order_by(ClaimStatusInquiry.checked_at, ClaimStatusInquiry.id))
        return {inquiry.claim_id: inquiry for inquiry in rows}

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
