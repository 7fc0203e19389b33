"""Every coverage query, each scoped to the caller's tenant."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import case, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.models.claim import Claim, PayerSequence
from billing_service.models.coverage import Coverage
from billing_service.models.eligibility import EligibilityCheck
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

    async def active_for_patient(
        self, patient_id: str, day: date, priority: PayerSequence = PayerSequence.PRIMARY
    ) -> Coverage | None:
        """The coverage of `priority` in force on `day`; when the patient has none of that
        priority, the first by priority (a lone secondary is billed first)."""
        rank = case(
            (Coverage.priority == priority.value, 0),
            *((Coverage.priority == sequence.value, position + 1)
              for position, sequence in enumerate(PayerSequence)),
            else_=len(PayerSequence) + 1,
        )
        coverage = await self.session.scalar(
            select(Coverage)
            .where(Coverage.tenant_id == self.tenant_id, Coverage.patient_id == patient_id,
                   *_active_on(day))
            .order_by(rank, Coverage.effective_from.desc(), Coverage.created_at.desc())
            .limit(1)
        )
        if priority is PayerSequence.PRIMARY or coverage is None:
            return coverage
        return coverage if coverage.priority == priority.value else None

    async def in_force_by_priority(self, patient_id: str, day: date) -> list[Coverage]:
        """The patient's coverages in force on `day`, primary first."""
        rank = case(*((Coverage.priority == sequence.value, position)
                      for position, sequence in enumerate(PayerSequence)),
                    else_=len(PayerSequence))
        return list(await self.session.scalars(
            select(Coverage)
            .where(Coverage.tenant_id == self.tenant_id, Coverage.patient_id == patient_id,
                   *_active_on(day))
            .order_by(rank, Coverage.effective_from.desc(), Coverage.created_at)
        ))

    async def hold_patient(self, patient_id: str) -> None:
        """Serialize coverage writes of one patient until commit, so two requests cannot both
        take a priority; SQLite already serializes writers."""
        if self.session.get_bind().dialect.name == "postgresql":
            await self.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                                       {"key": f"coverage:{self.tenant_id}:{patient_id}"})

    async def same_priority_overlapping(self, coverage: Coverage) -> Coverage | None:
        """Another coverage of the patient with the same priority on any date of this one's."""
        query = select(Coverage).where(
            Coverage.tenant_id == self.tenant_id,
            Coverage.patient_id == coverage.patient_id,
            Coverage.priority == coverage.priority,
            or_(Coverage.effective_to.is_(None), Coverage.effective_to >= coverage.effective_from),
        )
        if coverage.id is not None:
            query = query.where(Coverage.id != coverage.id)
        if coverage.effective_to is not None:
            query = query.where(Coverage.effective_from <= coverage.effective_to)
        return await self.session.scalar(query.order_by(Coverage.effective_from).limit(1))

    async def last_checks(self, coverage_ids: Sequence[str]) -> dict[str, EligibilityCheck]:
        """Each coverage's latest eligibility check, for those that have one."""
        if not coverage_ids:
            return {}
        latest = (
            select(EligibilityCheck.coverage_id,
                   func.max(EligibilityCheck.checked_at).label("checked_at"))
            .where(EligibilityCheck.tenant_id == self.tenant_id,
                   EligibilityCheck.coverage_id.in_(coverage_ids))
            .group_by(EligibilityCheck.coverage_id)
            .subquery()
        )
        rows = await self.session.scalars(
            select(EligibilityCheck)
            .join(latest, (latest.c.coverage_id == EligibilityCheck.coverage_id)
                  & (latest.c.checked_at == EligibilityCheck.checked_at))
            .where(EligibilityCheck.tenant_id == self.tenant_id))
        return {check.coverage_id: check for check in rows}

    async def add(self, coverage: Coverage) -> None:
        self.session.add(coverage)
        await self.session.flush()


def _active_on(day: date) -> tuple[Any, ...]:
    return (
        Coverage.effective_from <= day,
        or_(Coverage.effective_to.is_(None), Coverage.effective_to >= day),
    )
