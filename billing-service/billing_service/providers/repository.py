"""Every provider query, each scoped to one tenant."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.models.provider import Provider
from rcm_shared.pagination import Keyset, Slice

LISTING = Keyset(Provider.npi)


class ProviderRepository:
    def __init__(self, session: AsyncSession, tenant_id: str) -> None:
        self.session = session
        self.tenant_id = tenant_id

    async def get(self, npi: str, *, for_update: bool = False) -> Provider | None:
        query = select(Provider).where(Provider.tenant_id == self.tenant_id, Provider.npi == npi)
        if for_update:
            # populate_existing: a row read earlier in this session is refreshed under the lock.
            query = query.with_for_update().execution_options(populate_existing=True)
        return await self.session.scalar(query)

    async def by_npi(self, npis: Iterable[str]) -> dict[str, Provider]:
        wanted = set(npis)
        if not wanted:
            return {}
        rows = await self.session.scalars(select(Provider).where(
            Provider.tenant_id == self.tenant_id, Provider.npi.in_(wanted)))
        return {row.npi: row for row in rows}

    async def page(self, *, kind: str | None, cursor: str | None, limit: int) -> Slice[Provider]:
        query = select(Provider).where(Provider.tenant_id == self.tenant_id)
        if kind is not None:
            query = query.where(Provider.kind == kind)
        return await LISTING.scalars(self.session, query, cursor, limit)

    async def add(self, provider: Provider) -> None:
        self.session.add(provider)
        await self.session.flush()
