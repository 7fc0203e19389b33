"""Every coverage query, each scoped to the caller's tenant."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.models.claim import Claim
from billing_service.models.coverage import Coverage
from rcm_shared.pagination import Keyset, Slice

LISTING = Keyset(Coverage.created_at, Coverage.id)


class CoverageRepository:
    def __init__(self, session: AsyncSession, tenant_id: str) -> None:
        self.session = session
        self.tenant_id = tenant_id

    async def get(self, coverage_id: str, *, for_update: bool = False) -> Coverage | None:
        query = select(Coverage).where(Coverage.tenant_id == self.tenant_id,
                                       Coverage.id == coverage_id)
        if for_update:
            # populate_existing: a row read earlier in this session is refreshed under the lock.
            query = query.with_for_update().execution_options(populate_existing=True)
        return await self.session.scalar(query)

    async def of_claim(self, claim: Claim) -> Coverage:
        coverage = await self.get(claim.coverage_id)
        if coverage is None:  # pragma: no cover - the foreign key keeps it
            raise RuntimeError("claim without its coverage")
        return coverage

    async def page(
        self,
        *,
        patient_id: str | None,
        active_on: date | None,
        cursor: str | None,
        limit: int,
    ) -> Slice[Coverage]:
        query = select(Coverage).where(Coverage.tenant_id == self.tenant_id)
        if patient_id is not None:
            query = query.where(Coverage.patient_id == patient_id)
        if active_on is not None:
            query = query.where(*_active_on(active_on))
        return await LISTING.scalars(self.session, query, cursor, limit)

    async def active_for_patient(self, patient_id: str, day: date) -> Coverage | None:
        """The coverage in force on `day`; the most recently started when several overlap."""
        return await self.session.scalar(
            select(Coverage)
            .where(Coverage.tenant_id == self.tenant_id, Coverage.patient_id == patient_id,
                   *_active_on(day))
            .order_by(Coverage.effective_from.desc(), Coverage.created_at.desc())
            .limit(1)
        )

    async def add(self, coverage: Coverage) -> None:
        self.session.add(coverage)
        await self.session.flush()


def _active_on(day: date) -> tuple[Any, ...]:
    return (
        Coverage.effective_from <= day,
        or_(Coverage.effective_to.is_(None), Coverage.effective_to >= day),
    )
