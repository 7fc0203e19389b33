"""Every coverage query, each scoped to the caller's tenant."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.models.coverage import Coverage


async def get(
    session: AsyncSession, tenant_id: str, coverage_id: str, *, for_update: bool = False
) -> Coverage | None:
    query = select(Coverage).where(Coverage.tenant_id == tenant_id, Coverage.id == coverage_id)
    if for_update:
        # populate_existing: a row read earlier in this session is refreshed under the lock.
        query = query.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(query)


async def page(
    session: AsyncSession,
    tenant_id: str,
    *,
    patient_id: str | None,
    active_on: date | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> list[Coverage]:
    query = select(Coverage).where(Coverage.tenant_id == tenant_id)
    if patient_id is not None:
        query = query.where(Coverage.patient_id == patient_id)
    if active_on is not None:
        query = query.where(*_active_on(active_on))
    if after is not None:
        query = query.where(tuple_(Coverage.created_at, Coverage.id) > after)
    query = query.order_by(Coverage.created_at, Coverage.id).limit(limit)
    return list(await session.scalars(query))


async def active_for_patient(
    session: AsyncSession, tenant_id: str, patient_id: str, day: date
) -> Coverage | None:
    """The coverage in force on `day`; the most recently started when several overlap."""
    return await session.scalar(
        select(Coverage)
        .where(Coverage.tenant_id == tenant_id, Coverage.patient_id == patient_id,
               *_active_on(day))
        .order_by(Coverage.effective_from.desc(), Coverage.created_at.desc())
        .limit(1)
    )


def _active_on(day: date) -> tuple:
    return (
        Coverage.effective_from <= day,
        or_(Coverage.effective_to.is_(None), Coverage.effective_to >= day),
    )
