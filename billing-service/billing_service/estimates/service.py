"""Patient estimates: the services (given, or read from a coded encounter) priced by the
coverage's payer through the payer adapter, as it would adjudicate them today, and split into
what the plan pays and what the patient owes."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.codingclient.client import (
    CodingReader,
    CodingServiceRefused,
    CodingServiceUnavailable,
    EncounterNotFound,
)
from billing_service.codingclient.schemas import CodedEncounter
from billing_service.coverages.repository import CoverageRepository
from billing_service.estimates.breakdown import Estimate, estimate_of
from billing_service.estimates.schemas import EstimateCreate
from billing_service.models.coverage import Coverage
from billing_service.payers.adapter import (
    ClaimLineForPayer,
    EstimateRequest,
    PayerRefused,
    PayerUnavailable,
)
from billing_service.payers.service import PayerService, payer_unavailable
from rcm_shared.issues import issue
from rcm_shared.problems import ProblemError, conflict, not_found


def _invalid(rule: str, path: str, message: str) -> ProblemError:
    return ProblemError(422, "Cannot estimate", message, type_="validation",
                        issues=[issue(rule, path, message)])


class EstimateService:
    def __init__(self, session: AsyncSession, tenant_id: str, *, payers: PayerService,
                 coding: CodingReader, retry_after_seconds: int) -> None:
        self.payers = payers
        self.coding = coding
        self.retry_after_seconds = retry_after_seconds
        self.coverages = CoverageRepository(session, tenant_id)

    async def estimate(self, body: EstimateCreate) -> tuple[Coverage, date, Estimate]:
        coverage = await self.coverages.get(body.coverage_id)
        if coverage is None:
            raise _invalid("coverage.unknown", "$.coverage_id", "No coverage with that id.")
        if body.encounter_id is not None:
            coded = await self._coded(body.encounter_id)
            if coded.patient.id != coverage.patient_id:
                raise _invalid("coverage.patient_mismatch", "$.coverage_id",
                               "The coverage is not the encounter's patient's.")
            day = coded.date_of_service
            lines = tuple(
                ClaimLineForPayer(number, line.procedure_code.upper(),
                                  tuple(m.upper() for m in line.modifiers), line.units,
                                  line.charge, tuple(line.diagnosis_pointers), day)
                for number, line in enumerate(coded.service_lines, start=1))
        else:
            assert body.lines is not None and body.date_of_service is not None  # the schema's
            day = body.date_of_service
            lines = tuple(
                ClaimLineForPayer(number, line.procedure_code.upper(),
                                  tuple(m.upper() for m in line.modifiers), line.units,
                                  line.charge, (1,), day)
                for number, line in enumerate(body.lines, start=1))
        plan = await self.payers.plan(coverage.payer_id, coverage.plan_code)
        try:
            remittance = await self.payers.adapter.estimate(EstimateRequest(
                payer_id=coverage.payer_id, plan_code=coverage.plan_code,
                member_id=coverage.member_id, date_of_service=day, lines=lines))
        except PayerUnavailable as exc:
            raise payer_unavailable(exc) from exc
        except PayerRefused as exc:
            raise _invalid("estimate.payer_refused", "$.coverage_id",
                           f"The payer will not price these services: {exc}") from exc
        return coverage, day, estimate_of(
            remittance, plan.coinsurance_percent if plan is not None else None)

    async def _coded(self, encounter_id: str) -> CodedEncounter:
        try:
            summary = await self.coding.encounter(encounter_id)
            if summary.status != "finalized":
                raise conflict(f"The encounter is '{summary.status}'; only a finalized "
                               "encounter's codes can be estimated.",
                               encounter_status=summary.status)
            return await self.coding.coding_version(summary.id, summary.coding_version)
        except CodingServiceUnavailable as exc:
            raise ProblemError(503, "coding-service unavailable",
                               "coding-service could not be reached. Retry later.",
                               type_="upstream-unavailable",
                               headers={"Retry-After": str(self.retry_after_seconds)}) from exc
        except EncounterNotFound as exc:
            raise not_found("encounter") from exc
        except CodingServiceRefused as exc:
            raise ProblemError(502, "coding-service refused the request", exc.detail,
                               type_="upstream-refused") from exc
