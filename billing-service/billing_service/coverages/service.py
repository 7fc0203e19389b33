"""Coverage rules: the payer and plan must be ones the payer directory knows."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.coverages.repository import CoverageRepository
from billing_service.coverages.schemas import CoverageCreate, CoveragePatch
from billing_service.models.coverage import Coverage
from billing_service.models.eligibility import EligibilityCheck
from billing_service.payers.service import PayerService, plan_of
from rcm_shared.address import Address, postal_code_problem, state_problem
from rcm_shared.auth import Principal
from rcm_shared.db import utcnow
from rcm_shared.http import check_version
from rcm_shared.issues import IssueDict, issue
from rcm_shared.pagination import Slice
from rcm_shared.problems import ProblemError, not_found

# PATCH fields that may not be set to null.
REQUIRED_FIELDS = ("member_id", "relationship", "subscriber", "effective_from", "priority")


def _subscriber_address_issues(relationship: str,
                               address: Address | None) -> list[IssueDict]:
    """The subscriber's address: loop 2010BA's N3/N4 when the subscriber is not the patient."""
    path = "$.subscriber.address"
    if address is None:
        if relationship == "self":
            return []
        return [issue("coverage.subscriber_address", path,
                      f"A subscriber who is not the patient (relationship {relationship}) "
                      "needs an address: the claim carries it (loop 2010BA N3/N4).")]
    findings = []
    state = state_problem(address.state)
    if state is not None:
        findings.append(issue("address.state", f"{path}.state", state))
    postal_code = postal_code_problem(address.postal_code)
    if postal_code is not None:
        findings.append(issue("address.postal_code", f"{path}.postal_code", postal_code))
    return findings


def _check_subscriber_address(relationship: str, address: Address | None) -> None:
    findings = _subscriber_address_issues(relationship, address)
    if findings:
        raise ProblemError(422, "Invalid coverage", findings[0]["message"], type_="validation",
                           issues=findings)


def _stored(address: Address | None) -> dict[str, Any] | None:
    return address.model_dump() if address is not None else None


def _invalid(rule: str, path: str, message: str) -> ProblemError:
    return ProblemError(
        422, "Invalid coverage", message, type_="validation", issues=[issue(rule, path, message)]
    )


class CoverageService:
    def __init__(self, session: AsyncSession, principal: Principal, payers: PayerService) -> None:
        self.session = session
        self.principal = principal
        self.payers = payers
        self.repository = CoverageRepository(session, principal.tenant_id)

    async def _check_payer_and_plan(self, payer_id: str, plan_code: str | None) -> None:
        payer = await self.payers.find(payer_id)
        if payer is None:
            known = ", ".join(p.payer_id for p in await self.payers.list())
            raise _invalid("coverage.unknown_payer", "$.payer_id",
                           f"Unknown payer {payer_id!r}; known payers: {known}.")
        if plan_code is not None and plan_of(payer, plan_code) is None:
            plans = ", ".join(plan.code for plan in payer.plans)
            raise _invalid("coverage.unknown_plan", "$.plan_code",
                           f"Payer {payer_id} has no plan {plan_code!r}; its plans: {plans}.")

    async def create(self, body: CoverageCreate) -> Coverage:
        await self._check_payer_and_plan(body.payer_id, body.plan_code)
        _check_subscriber_address(body.relationship, body.subscriber.address)
        coverage = Coverage(
            tenant_id=self.principal.tenant_id,
            patient_id=body.patient_id,
            payer_id=body.payer_id,
            plan_code=body.plan_code,
            member_id=body.member_id,
            group_number=body.group_number,
            relationship=body.relationship,
            subscriber_first_name=body.subscriber.first_name,
            subscriber_last_name=body.subscriber.last_name,
            subscriber_birth_date=body.subscriber.birth_date,
            subscriber_sex=body.subscriber.sex,
            subscriber_address=_stored(body.subscriber.address),
            effective_from=body.effective_from,
            effective_to=body.effective_to,
            priority=body.priority.value,
        )
        await self._check_priority_free(coverage)
        await self.repository.add(coverage)
        return coverage

    async def _check_priority_free(self, coverage: Coverage) -> None:
        """One coverage of each priority per patient on any date: which payer is billed first
        must never be a guess."""
        await self.repository.hold_patient(coverage.patient_id)
        clash = await self.repository.same_priority_overlapping(coverage)
        if clash is not None:
            raise ProblemError(
                409, "Coverage priority taken",
                f"Coverage {clash.id} is already the patient's {coverage.priority} coverage "
                "for part of these dates: end it (PATCH effective_to) or give this one another "
                "priority.",
                type_="conflict",
                issues=[issue("coverage.priority_taken", "$.priority",
                              f"Coverage {clash.id} has priority {coverage.priority} on "
                              "overlapping dates.")],
            )

    async def get(self, coverage_id: str) -> Coverage:
        coverage = await self.repository.get(coverage_id)
        if coverage is None:
            raise not_found("coverage")
        return coverage

    async def last_checks(self, coverages: list[Coverage]) -> dict[str, EligibilityCheck]:
        """Each coverage's latest eligibility check, for those that have one."""
        return await self.repository.last_checks([coverage.id for coverage in coverages])

    async def list_page(
        self, *, patient_id: str | None, active_on: date | None, limit: int, cursor: str | None,
    ) -> Slice[Coverage]:
        return await self.repository.page(
            patient_id=patient_id, active_on=active_on, cursor=cursor, limit=limit,
        )

    async def update(self, coverage_id: str, body: CoveragePatch,
                     expected_version: int | None) -> Coverage:
        # Locked until the commit: a concurrent PATCH with the same If-Match waits, then sees
        # the new version and answers 412 instead of overwriting this change.
        coverage = await self.repository.get(coverage_id, for_update=True)
        if coverage is None:
            raise not_found("coverage")
        check_version(expected_version, coverage.version)
        changes = body.model_fields_set
        for field in REQUIRED_FIELDS:
            if field in changes and getattr(body, field) is None:
                raise _invalid("coverage.required", f"$.{field}", f"{field} cannot be null.")
        if "plan_code" in changes:
            await self._check_payer_and_plan(coverage.payer_id, body.plan_code)
            coverage.plan_code = body.plan_code
        for field in ("member_id", "relationship", "effective_from"):
            if field in changes:
                setattr(coverage, field, getattr(body, field))
        if body.priority is not None:
            coverage.priority = body.priority.value
        if "group_number" in changes:
            coverage.group_number = body.group_number
        if "effective_to" in changes:
            coverage.effective_to = body.effective_to
        if body.subscriber is not None:
            coverage.subscriber_first_name = body.subscriber.first_name
            coverage.subscriber_last_name = body.subscriber.last_name
            coverage.subscriber_birth_date = body.subscriber.birth_date
            coverage.subscriber_sex = body.subscriber.sex
            coverage.subscriber_address = _stored(body.subscriber.address)
        if changes & {"relationship", "subscriber"}:
            _check_subscriber_address(
                coverage.relationship,
                Address.model_validate(coverage.subscriber_address)
                if coverage.subscriber_address is not None else None)
        if coverage.effective_to is not None and coverage.effective_to < coverage.effective_from:
            raise _invalid("coverage.window", "$.effective_to",
                           "effective_to must not be before effective_from.")
        if changes & {"priority", "effective_from", "effective_to"}:
            await self._check_priority_free(coverage)
        coverage.version += 1
        coverage.updated_at = utcnow()
        await self.session.flush()
        return coverage
