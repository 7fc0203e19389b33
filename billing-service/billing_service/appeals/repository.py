"""Appeal queries: a tenant's, and the payer worker's across tenants."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.models.appeal import Appeal, AppealStatus
from rcm_shared.pagination import Keyset, Slice

OLDEST_FIRST = Keyset(Appeal.submitted_at, Appeal.id)


class AppealRepository:
    def __init__(self, session: AsyncSession, tenant_id: str) -> None:
        self.session = session
        self.tenant_id = tenant_id

    async def add(self, appeal: Appeal) -> None:
        self.session.add(appeal)
        await self.session.flush()

    async def of_claim(self, claim_id: str) -> list[Appeal]:
        return list(await self.session.scalars(
            select(Appeal).where(Appeal.tenant_id == self.tenant_id, Appeal.claim_id == claim_id)
            .order_by(Appeal.submitted_at, Appeal.id)))

    async def page(self, claim_id: str, *, cursor: str | None, limit: int) -> Slice[Appeal]:
        query = select(Appeal).where(Appeal.tenant_id == self.tenant_id,
                                     Appeal.claim_id == claim_id)
        return await OLDEST_FIRST.scalars(self.session, query, cursor, limit)

    async def get(self, appeal_id: str) -> Appeal | None:
        return (await self.session.scalars(
            select(Appeal).where(Appeal.tenant_id == self.tenant_id, Appeal.id == appeal_id)
            .with_for_update())).one_or_none()


class OpenAppealRepository:
    """The payer worker's query across tenants."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def submitted(self, limit: int) -> Sequence[tuple[str, str, str]]:
        """(tenant, appeal, payer reference) of appeals awaiting a decision, oldest first."""
        rows = await self.session.execute(
            select(Appeal.tenant_id, Appeal.id, Appeal.payer_reference)
            .where(Appeal.status == AppealStatus.SUBMITTED.value)
            .order_by(Appeal.submitted_at, Appeal.id).limit(limit))
        return [(tenant_id, appeal_id, reference) for tenant_id, appeal_id, reference in rows]
