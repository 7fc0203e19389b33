"""Queries of the payer worker and of posting. The worker serves every tenant: jobs carry
their tenant, and payer responses are matched by the patient control number (unique across
tenants); an 835 uploaded by a tenant is matched to that tenant's claims only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.models.claim import Claim, ClaimEvent, PayerJob, RemittancePosting
from billing_service.models.coverage import Coverage

# The actor of every claim event a payer response records.
PAYER = "payer"


async def due_jobs(
    session: AsyncSession, now: datetime, limit: int, tenant_id: str | None = None
) -> list[PayerJob]:
    """Every tenant's due jobs (the worker), or one tenant's (POST /v1/admin/process)."""
    query = select(PayerJob).where(PayerJob.status == "pending", PayerJob.next_attempt_at <= now)
    if tenant_id is not None:
        query = query.where(PayerJob.tenant_id == tenant_id)
    # SKIP LOCKED: replicas polling together each take different jobs (PostgreSQL;
    # SQLite has a single writer anyway).
    return list(await session.scalars(
        query.order_by(PayerJob.id).limit(limit).with_for_update(skip_locked=True)
    ))


async def pending_job_count(session: AsyncSession, tenant_id: str) -> int:
    return await session.scalar(
        select(func.count()).select_from(PayerJob)
        .where(PayerJob.tenant_id == tenant_id, PayerJob.status == "pending")
    ) or 0


async def last_claim_event_id(session: AsyncSession) -> int:
    return await session.scalar(select(func.max(ClaimEvent.id))) or 0


async def payer_events_since(session: AsyncSession, tenant_id: str, after_id: int) -> int:
    """How many payer responses were applied to the tenant's claims after event `after_id`."""
    return await session.scalar(
        select(func.count()).select_from(ClaimEvent)
        .where(ClaimEvent.tenant_id == tenant_id, ClaimEvent.actor == PAYER,
               ClaimEvent.id > after_id)
    ) or 0


async def job(session: AsyncSession, job_id: int) -> PayerJob | None:
    return await session.get(PayerJob, job_id, with_for_update=True)


async def job_by_submission(session: AsyncSession, submission_id: str) -> PayerJob | None:
    return await session.scalar(select(PayerJob).where(PayerJob.submission_id == submission_id))


async def claim_of_job(session: AsyncSession, job: PayerJob) -> Claim | None:
    return await session.scalar(
        select(Claim)
        .where(Claim.tenant_id == job.tenant_id, Claim.id == job.claim_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def coverage_of(session: AsyncSession, claim: Claim) -> Coverage | None:
    return await session.scalar(
        select(Coverage).where(Coverage.tenant_id == claim.tenant_id,
                               Coverage.id == claim.coverage_id)
    )


def _of_tenant(query: Select[Claim], tenant_id: str | None) -> Select[Claim]:
    # None: the payer worker, which serves every tenant.
    return query if tenant_id is None else query.where(Claim.tenant_id == tenant_id)


async def claim_by_control_number(
    session: AsyncSession, pcn: str, tenant_id: str | None = None, *, payer_id: str | None = None
) -> Claim | None:
    query = _of_tenant(select(Claim).where(Claim.patient_control_number == pcn), tenant_id)
    if payer_id is not None:
        query = query.where(Claim.payer_id == payer_id)
    return await session.scalar(
        query.with_for_update().execution_options(populate_existing=True)
    )


async def claims_by_payer_number(
    session: AsyncSession, pccn: str, payer_id: str, tenant_id: str | None = None
) -> list[Claim]:
    query = _of_tenant(
        select(Claim).where(Claim.payer_claim_control_number == pccn, Claim.payer_id == payer_id),
        tenant_id,
    )
    return list(await session.scalars(
        query.order_by(Claim.created_at).with_for_update()
        .execution_options(populate_existing=True)
    ))


async def posting_exists(session: AsyncSession, claim_id: str, trace_number: str) -> bool:
    found = await session.scalar(
        select(RemittancePosting.id).where(RemittancePosting.claim_id == claim_id,
                                           RemittancePosting.trace_number == trace_number)
    )
    return found is not None
