"""Every query of the coding events consumer and the feed follower, each scoped to a tenant."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.models import CodingEvent, CodingFeedCursor
from billing_service.models.coding_event import Outcome


async def find(
    session: AsyncSession, tenant_id: str, event_type: str, encounter_id: str,
    coding_version: int,
) -> CodingEvent | None:
    return await session.scalar(select(CodingEvent).where(
        CodingEvent.tenant_id == tenant_id, CodingEvent.event_type == event_type,
        CodingEvent.encounter_id == encounter_id, CodingEvent.coding_version == coding_version,
    ))


async def page(
    session: AsyncSession, tenant_id: str, *, outcome: Outcome | None, before_id: int | None,
    limit: int,
) -> list[CodingEvent]:
    query = select(CodingEvent).where(CodingEvent.tenant_id == tenant_id)
    if outcome is not None:
        query = query.where(CodingEvent.outcome == outcome)
    if before_id is not None:
        query = query.where(CodingEvent.id < before_id)
    return list(await session.scalars(query.order_by(CodingEvent.id.desc()).limit(limit)))


# The feed follower's cursors -------------------------------------------------------------


async def cursor_exists(session: AsyncSession, tenant_id: str) -> bool:
    return await session.get(CodingFeedCursor, tenant_id) is not None


async def lease_cursor(
    session: AsyncSession, tenant_id: str, now: datetime
) -> CodingFeedCursor | None:
    """The tenant's cursor row, locked, unless another replica holds it or its lease.

    SKIP LOCKED: a replica never waits for another that is reading the same feed
    (PostgreSQL; SQLite has a single writer anyway).
    """
    return await session.scalar(
        select(CodingFeedCursor)
        .where(CodingFeedCursor.tenant_id == tenant_id,
               or_(CodingFeedCursor.leased_until.is_(None), CodingFeedCursor.leased_until <= now))
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )


async def locked_cursor(session: AsyncSession, tenant_id: str) -> CodingFeedCursor | None:
    return await session.scalar(
        select(CodingFeedCursor).where(CodingFeedCursor.tenant_id == tenant_id)
        .with_for_update().execution_options(populate_existing=True)
    )
