"""Every query of the coding events consumer and the feed follower, each scoped to a tenant."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.models import CodingEvent, CodingFeedCursor
from billing_service.models.coding_event import Outcome
from rcm_shared.pagination import Keyset, Slice

NEWEST_FIRST = Keyset(CodingEvent.id, descending=True)


class CodingEventRepository:
    def __init__(self, session: AsyncSession, tenant_id: str) -> None:
        self.session = session
        self.tenant_id = tenant_id

    async def find(self, event_type: str, encounter_id: str,
                   coding_version: int) -> CodingEvent | None:
        return await self.session.scalar(select(CodingEvent).where(
            CodingEvent.tenant_id == self.tenant_id, CodingEvent.event_type == event_type,
            CodingEvent.encounter_id == encounter_id,
            CodingEvent.coding_version == coding_version,
        ))

    async def page(self, *, outcome: Outcome | None, cursor: str | None,
                   limit: int) -> Slice[CodingEvent]:
        query = select(CodingEvent).where(CodingEvent.tenant_id == self.tenant_id)
        if outcome is not None:
            query = query.where(CodingEvent.outcome == outcome)
        return await NEWEST_FIRST.scalars(self.session, query, cursor, limit)

    async def add(self, record: CodingEvent) -> None:
        """Raises IntegrityError (the savepoint rolled back) when the event is recorded."""
        async with self.session.begin_nested():
            self.session.add(record)

    async def cursor_exists(self) -> bool:
        return await self.session.get(CodingFeedCursor, self.tenant_id) is not None

    async def add_cursor(self) -> None:
        """Raises IntegrityError (the savepoint rolled back) when another replica made it."""
        async with self.session.begin_nested():
            self.session.add(CodingFeedCursor(tenant_id=self.tenant_id))

    async def lease_cursor(self, now: datetime) -> CodingFeedCursor | None:
        """The tenant's cursor row, locked, unless another replica holds it or its lease.

        SKIP LOCKED: a replica never waits for another that is reading the same feed
        (PostgreSQL; SQLite has a single writer anyway).
        """
        return await self.session.scalar(
            select(CodingFeedCursor)
            .where(CodingFeedCursor.tenant_id == self.tenant_id,
                   or_(CodingFeedCursor.leased_until.is_(None),
                       CodingFeedCursor.leased_until <= now))
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )

    async def locked_cursor(self) -> CodingFeedCursor | None:
        return await self.session.scalar(
            select(CodingFeedCursor).where(CodingFeedCursor.tenant_id == self.tenant_id)
            .with_for_update().execution_options(populate_existing=True)
        )
