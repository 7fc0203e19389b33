from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coding_service.models import EncounterEvent
from rcm_shared.pagination import Keyset

# Consumers keep a feed cursor as their position, across upgrades: one written before
# cursors carried a checksum still reads.
FEED_ORDER = Keyset(EncounterEvent.id, unchecked_ok=True)


class FeedRepository:
    def __init__(self, session: AsyncSession, tenant_id: str) -> None:
        self.session = session
        self.tenant_id = tenant_id

    async def published_after(self, cursor: str | None, limit: int) -> Sequence[EncounterEvent]:
        statement = select(EncounterEvent).where(
            EncounterEvent.tenant_id == self.tenant_id,
            EncounterEvent.published.is_(True),
        )
        rows = (await self.session.scalars(FEED_ORDER.select(statement, cursor, limit))).all()
        return rows[:limit]
