"""Every claim query, each scoped to the caller's tenant."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.claims.state_machine import TERMINAL
from billing_service.models.claim import Claim, ClaimEvent, RemittancePosting


async def get(
    session: AsyncSession, tenant_id: str, claim_id: str, *, for_update: bool = False
) -> Claim | None:
    query = select(Claim).where(Claim.tenant_id == tenant_id, Claim.id == claim_id)
    if for_update:
        # populate_existing: a row read earlier in this session is refreshed under the lock.
        query = query.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(query)


async def for_encounter_version(
    session: AsyncSession, tenant_id: str, encounter_id: str, coding_version: int
) -> Claim | None:
    return await session.scalar(
        select(Claim).where(
            Claim.tenant_id == tenant_id,
            Claim.encounter_id == encounter_id,
            Claim.coding_version == coding_version,
        )
    )


async def live_for_encounter(
    session: AsyncSession, tenant_id: str, encounter_id: str
) -> Claim | None:
    """The encounter's claim that still stands for the visit (neither voided nor replaced),
    of its latest coding version."""
    return await session.scalar(
        select(Claim)
        .where(Claim.tenant_id == tenant_id, Claim.encounter_id == encounter_id,
               Claim.status.not_in([status.value for status in TERMINAL]))
        .order_by(Claim.coding_version.desc())
        .limit(1)
    )


async def page(
    session: AsyncSession,
    tenant_id: str,
    *,
    status: str | None,
    payer_id: str | None,
    patient_id: str | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> list[Claim]:
    query = select(Claim).where(Claim.tenant_id == tenant_id)
    if status is not None:
        query = query.where(Claim.status == status)
    if payer_id is not None:
        query = query.where(Claim.payer_id == payer_id)
    if patient_id is not None:
        query = query.where(Claim.patient_id == patient_id)
    if after is not None:
        query = query.where(tuple_(Claim.created_at, Claim.id) > after)
    return list(await session.scalars(query.order_by(Claim.created_at, Claim.id).limit(limit)))


async def events(session: AsyncSession, tenant_id: str, claim_id: str) -> list[ClaimEvent]:
    return list(await session.scalars(
        select(ClaimEvent)
        .where(ClaimEvent.tenant_id == tenant_id, ClaimEvent.claim_id == claim_id)
        .order_by(ClaimEvent.id)
    ))


async def remittances(
    session: AsyncSession, tenant_id: str, claim_id: str
) -> list[RemittancePosting]:
    return list(await session.scalars(
        select(RemittancePosting)
        .where(RemittancePosting.tenant_id == tenant_id, RemittancePosting.claim_id == claim_id)
        .order_by(RemittancePosting.id)
    ))
