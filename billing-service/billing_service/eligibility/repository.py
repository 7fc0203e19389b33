"""Every eligibility check query, each scoped to the caller's tenant."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.models.eligibility import EligibilityCheck


class EligibilityRepository:
    def __init__(self, session: AsyncSession, tenant_id: str) -> None:
        self.session = session
        self.tenant_id = tenant_id

    async def get(self, check_id: str) -> EligibilityCheck | None:
        return await self.session.scalar(
            select(EligibilityCheck).where(EligibilityCheck.tenant_id == self.tenant_id,
                                           EligibilityCheck.id == check_id))

    async def add(self, check: EligibilityCheck) -> None:
        self.session.add(check)
        await self.session.flush()
