"""The feed follower: reads each configured tenant's coding-service GET /v1/events and
consumes every event, the backstop for webhooks that never arrived (and the only route when
a tenant has no webhook subscription).

One replica reads a tenant's feed at a time: a round leases the tenant's cursor row (FOR
UPDATE SKIP LOCKED on PostgreSQL, then a lease time so the row need not stay locked while
coding-service answers). Each event is consumed in its own transaction, which also moves the
cursor past it: a follower that dies mid-page resumes after the last event it recorded, and
an event consumed twice (a lease that ran out) changes nothing the second time. An event that
cannot be consumed now (coding-service unreachable) stops the tenant's round with the cursor
before it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.datastructures import State

from billing_service.codingclient.client import (
    CodingClient,
    CodingServiceRefused,
    CodingServiceUnavailable,
    EncounterNotFound,
)
from billing_service.codingevents import repository
from billing_service.codingevents.service import authorization, consume
from billing_service.config import CodingTenant, Settings
from billing_service.models import CodingFeedCursor
from rcm_shared.db import utcnow
from rcm_shared.problems import ProblemError

logger = logging.getLogger("billing.coding_feed")
LEASE = timedelta(seconds=60)


@dataclass(slots=True)
class FollowResult:
    feeds_read: int = 0
    events: int = 0
    # Events this round acted on first (the others had come by webhook, or a lease ran out).
    acted: int = 0
    failed_tenants: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Lease:
    cursor: str | None


async def _lease(
    sessionmaker: async_sessionmaker[AsyncSession], tenant_id: str, now: datetime
) -> _Lease | None:
    """The tenant's cursor, leased to this replica; None while another replica holds it."""
    async with sessionmaker() as session, session.begin():
        if not await repository.cursor_exists(session, tenant_id):
            try:
                async with session.begin_nested():
                    session.add(CodingFeedCursor(tenant_id=tenant_id))
            except IntegrityError:
                logger.info("another replica started the tenant's feed cursor")
        row = await repository.lease_cursor(session, tenant_id, now)
        if row is None:
            return None
        row.leased_until = now + LEASE
        return _Lease(row.cursor)


async def _release(
    sessionmaker: async_sessionmaker[AsyncSession], tenant_id: str, error: str | None,
    now: datetime,
) -> None:
    async with sessionmaker() as session, session.begin():
        row = await repository.locked_cursor(session, tenant_id)
        if row is not None:
            row.leased_until = None
            row.last_error = error
            row.updated_at = now


async def _follow(
    state: State, tenant_id: str, tenant: CodingTenant, after: str | None,
    clock: Callable[[], datetime], result: FollowResult,
) -> None:
    settings: Settings = state.settings
    sessionmaker: async_sessionmaker[AsyncSession] = state.sessionmaker
    coding: CodingClient = state.coding_client
    page = await coding.events(after, settings.coding_feed_page_size, authorization(tenant))
    result.feeds_read += 1
    for event in page.items:
        async with sessionmaker() as session, session.begin():
            cursor = await repository.locked_cursor(session, tenant_id)
            if cursor is None:  # pragma: no cover - _lease made the row
                raise RuntimeError("feed cursor row missing")
            _, acted = await consume(session, coding, state.payer_adapter, tenant_id, tenant,
                                     event, source="feed",
                                     retry_after_seconds=settings.coding_retry_after_seconds)
            cursor.cursor = event.cursor
            cursor.leased_until = clock() + LEASE
            cursor.updated_at = clock()
        result.events += 1
        result.acted += acted


async def follow_feeds_once(
    state: State, *, clock: Callable[[], datetime] = utcnow
) -> FollowResult:
    """One page of each configured tenant's feed, consumed."""
    settings: Settings = state.settings
    result = FollowResult()
    for tenant_id, tenant in settings.coding_tenants.items():
        lease = await _lease(state.sessionmaker, tenant_id, clock())
        if lease is None:
            continue
        error: str | None = None
        try:
            await _follow(state, tenant_id, tenant, lease.cursor, clock, result)
        except (CodingServiceUnavailable, CodingServiceRefused, EncounterNotFound,
                ProblemError) as exc:
            error = type(exc).__name__
            result.failed_tenants.append(tenant_id)
            logger.warning("coding feed round stopped; it resumes from the same event",
                           extra={"tenant_id": tenant_id, "error_type": error})
        finally:
            await _release(state.sessionmaker, tenant_id, error, clock())
    return result
