"""The replayable feed of published encounter events (the outbox read side)."""

from __future__ import annotations

from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession

from coding_service.feed.repository import FEED_ORDER, FeedRepository
from coding_service.feed.schemas import FeedEvent, FeedPage, PublishedEventType
from coding_service.models import EncounterEvent
from rcm_shared.auth import Principal

_published_type = TypeAdapter[PublishedEventType](PublishedEventType)


def published_type(event_type: str) -> PublishedEventType:
    """A published event's type (an event row may hold any type of the encounter's history)."""
    return _published_type.validate_python(event_type)


def feed_event(row: EncounterEvent) -> FeedEvent:
    """A published event as the feed (and each webhook delivery) shows it."""
    return FeedEvent(
        cursor=FEED_ORDER.cursor_of(row),
        type=published_type(row.type),
        encounter_id=row.encounter_id,
        coding_version=row.data["coding_version"],
        occurred_at=row.occurred_at,
    )


class FeedService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.repository = FeedRepository(session, principal.tenant_id)

    async def read(self, cursor: str | None, limit: int) -> FeedPage:
        rows = await self.repository.published_after(cursor, limit)
        items = [feed_event(row) for row in rows]
        return FeedPage(items=items, next_cursor=items[-1].cursor if items else cursor)
