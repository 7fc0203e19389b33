from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coding_service.models import EncounterEvent


class FeedRepository:
    def __init__(self, session: AsyncSession, tenant_id: str) -> None:
        self.session = session
        self.tenant_id = tenant_id

    async def published_after(self, after_id: int, limit: int) -> Sequence[EncounterEvent]:
        statement = (
            select(EncounterEvent)
            .where(
                EncounterEvent.tenant_id == self.tenant_id,
                EncounterEvent.published.is_(True),
                EncounterEvent.id > after_id,
            )
            .order_by(EncounterEvent.id)
            .limit(limit)
        )
        return (await self.session.execute(statement)).scalars().all()
