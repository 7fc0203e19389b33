"""Queries of the payer outbox. The worker serves every tenant: jobs carry their tenant."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.models.claim import Claim, ClaimEvent, PayerJob
from billing_service.models.coverage import Coverage
from billing_service.payers.adapter import PAYER


class SubmissionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def due_jobs(self, now: datetime, limit: int,
                       tenant_id: str | None = None) -> list[PayerJob]:
        """Every tenant's due jobs (the worker), or one tenant's (POST /v1/admin/process)."""
        query = select(PayerJob).where(PayerJob.status == "pending",
                                       PayerJob.next_attempt_at <= now)
        if tenant_id is not None:
            query = query.where(PayerJob.tenant_id == tenant_id)
        # SKIP LOCKED: replicas polling together each take different jobs (PostgreSQL;
        # SQLite has a single writer anyway).
        return list(await self.session.scalars(
            query.order_by(PayerJob.id).limit(limit).with_for_update(skip_locked=True)
        ))

    async def pending_job_count(self, tenant_id: str) -> int:
        return await self.session.scalar(
            select(func.count()).select_from(PayerJob)
            .where(PayerJob.tenant_id == tenant_id, PayerJob.status == "pending")
        ) or 0

    async def last_claim_event_id(self) -> int:
        return await self.session.scalar(select(func.max(ClaimEvent.id))) or 0

    async def payer_events_since(self, tenant_id: str, after_id: int) -> int:
        """How many payer responses were applied to the tenant's claims after event
        `after_id`."""
        return await self.session.scalar(
            select(func.count()).select_from(ClaimEvent)
            .where(ClaimEvent.tenant_id == tenant_id, ClaimEvent.actor == PAYER,
                   ClaimEvent.id > after_id)
        ) or 0

    async def jobs(self, job_ids: Sequence[int]) -> list[PayerJob]:
        """The jobs, locked, in id order."""
        return list(await self.session.scalars(
            select(PayerJob).where(PayerJob.id.in_(job_ids)).order_by(PayerJob.id)
            .with_for_update()
        ))

    async def coverages_of(self, claims: Iterable[Claim]) -> dict[tuple[str, str], Coverage]:
        """The claims' coverages, by (tenant id, coverage id)."""
        by_tenant: dict[str, set[str]] = {}
        for claim in claims:
            by_tenant.setdefault(claim.tenant_id, set()).add(claim.coverage_id)
        coverages: dict[tuple[str, str], Coverage] = {}
        for tenant_id, coverage_ids in by_tenant.items():
            coverages.update(((tenant_id, row.id), row) for row in await self.session.scalars(
                select(Coverage).where(Coverage.tenant_id == tenant_id,
                                       Coverage.id.in_(coverage_ids))
            ))
        return coverages
