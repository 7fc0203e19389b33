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

from billing_service.codingclient.client import (
    CodingClient,
    CodingReader,
    CodingServiceRefused,
    CodingServiceUnavailable,
    EncounterNotFound,
)
from billing_service.codingevents.repository import CodingEventRepository
from billing_service.codingevents.service import CodingEventService, authorization
from billing_service.config import CodingTenant, Settings
from billing_service.payers.service import PayerService
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


class FeedFollower:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], *, coding: CodingClient,
                 payers: PayerService, settings: Settings,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.sessionmaker = sessionmaker
        self.coding = coding
        self.payers = payers
        self.settings = settings
        self.clock = clock

    def _events(self, session: AsyncSession) -> CodingEventService:
        return CodingEventService(session, coding=self.coding, payers=self.payers,
                                  settings=self.settings)

    async def _lease(self, tenant_id: str) -> _Lease | None:
        """The tenant's cursor, leased to this replica; None while another replica holds it."""
        now = self.clock()
        async with self.sessionmaker() as session, session.begin():
            cursors = CodingEventRepository(session, tenant_id)
            if not await cursors.cursor_exists():
                try:
                    await cursors.add_cursor()
                except IntegrityError:
                    logger.info("another replica started the tenant's feed cursor")
            row = await cursors.lease_cursor(now)
            if row is None:
                return None
            row.leased_until = now + LEASE
            return _Lease(row.cursor)

    async def _release(self, tenant_id: str, error: str | None) -> None:
        async with self.sessionmaker() as session, session.begin():
            row = await CodingEventRepository(session, tenant_id).locked_cursor()
            if row is not None:
                row.leased_until = None
                row.last_error = error
                row.updated_at = self.clock()

    async def _follow(self, tenant_id: str, tenant: CodingTenant, after: str | None,
                      result: FollowResult) -> None:
        page = await CodingReader(self.coding, authorization(tenant)).events(
            after, self.settings.coding_feed_page_size)
        result.feeds_read += 1
        for event in page.items:
            async with self.sessionmaker() as session, session.begin():
                cursor = await CodingEventRepository(session, tenant_id).locked_cursor()
                if cursor is None:  # pragma: no cover - _lease made the row
                    raise RuntimeError("feed cursor row missing")
                _, acted = await self._events(session).consume(tenant_id, tenant, event,
                                                               source="feed")
                cursor.cursor = event.cursor
                cursor.leased_until = self.clock() + LEASE
                cursor.updated_at = self.clock()
            result.events += 1
            result.acted += acted

    async def follow_once(self) -> FollowResult:
        """One page of each configured tenant's feed, consumed."""
        result = FollowResult()
        for tenant_id, tenant in self.settings.coding_tenants.items():
            lease = await self._lease(tenant_id)
            if lease is None:
                continue
            error: str | None = None
            try:
                await self._follow(tenant_id, tenant, lease.cursor, result)
            except (CodingServiceUnavailable, CodingServiceRefused, EncounterNotFound,
                    ProblemError) as exc:
                error = type(exc).__name__
                result.failed_tenants.append(tenant_id)
                logger.warning("coding feed round stopped; it resumes from the same event",
                               extra={"tenant_id": tenant_id, "error_type": error})
            finally:
                await self._release(tenant_id, error)
        return result
