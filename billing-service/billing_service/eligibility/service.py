"""Eligibility checks: a 270 about a coverage sent through the payer adapter, the payer's 271
read back and kept with what it said."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.coverages.repository import CoverageRepository
from billing_service.eligibility.repository import EligibilityRepository
from billing_service.eligibility.schemas import EligibilityCheckCreate
from billing_service.interchanges.repository import InterchangeRepository
from billing_service.models.eligibility import EligibilityCheck, new_id
from billing_service.payers.adapter import PayerUnavailable, Person
from billing_service.payers.clearinghouse import ClearinghouseError
from billing_service.payers.service import (
    PayerService,
    payer_answer_unreadable,
    payer_unavailable,
)
from billing_service.providers.repository import ProviderRepository
from billing_service.x12 import eligibility
from billing_service.x12.config import X12Config
from billing_service.x12.eligibility import (
    REJECT_REASONS,
    Amounts,
    EligibilityAnswer,
    EligibilityInquiry,
)
from billing_service.x12.syntax import Envelope, X12ReadError
from rcm_shared.db import utcnow
from rcm_shared.issues import issue
from rcm_shared.money import format_money
from rcm_shared.problems import ProblemError, not_found


class EligibilityService:
    def __init__(self, session: AsyncSession, tenant_id: str, *, payers: PayerService,
                 config: X12Config) -> None:
        self.session = session
        self.tenant_id = tenant_id
        self.payers = payers
        self.config = config
        self.repository = EligibilityRepository(session, tenant_id)
        self.coverages = CoverageRepository(session, tenant_id)

    async def check(self, body: EligibilityCheckCreate) -> EligibilityCheck:
        coverage = await self.coverages.get(body.coverage_id)
        if coverage is None:
            raise ProblemError(422, "Unknown coverage", "No coverage with that id.",
                               type_="validation", issues=[issue(
                                   "coverage.unknown", "$.coverage_id",
                                   "No coverage with that id.")])
        payer = await self.payers.find(coverage.payer_id)
        provider_npi = body.provider_npi or self.config.inquiry_provider_npi
        provider = await ProviderRepository(self.session, self.tenant_id).get(provider_npi)
        if provider is None:
            raise ProblemError(422, "Unknown provider", "The provider asking the payer must be "
                               "in the provider registry (POST /v1/providers).",
                               type_="validation", issues=[issue(
                                   "provider.unregistered", "$.provider_npi",
                                   f"No provider with NPI {provider_npi} is registered.")])
        check = EligibilityCheck(id=new_id(), tenant_id=self.tenant_id, coverage_id=coverage.id,
                                 date_of_service=body.date_of_service,
                                 service_type_codes=list(body.service_type_codes))
        inquiry = EligibilityInquiry(
            trace_number=check.id.replace("-", "").upper(),
            payer_id=coverage.payer_id,
            payer_name=payer.name if payer is not None else coverage.payer_id,
            provider_npi=provider_npi,
            provider_name=provider.organization_name or provider.last_name or "",
            provider_first_name=provider.first_name if provider.kind == "person" else None,
            provider_tax_id=provider.tax_id or "",
            member_id=coverage.member_id,
            group_number=coverage.group_number,
            subscriber=Person(coverage.subscriber_first_name, coverage.subscriber_last_name,
                              coverage.subscriber_birth_date, coverage.subscriber_sex),
            date_of_service=body.date_of_service,
            service_type_codes=tuple(body.service_type_codes),
        )
        check.inquiry_x12 = eligibility.write_270(inquiry, await self._envelope(
            eligibility.INQUIRY_FUNCTIONAL_ID, eligibility.VERSION))
        try:
            check.answer_x12 = await self.payers.adapter.check_eligibility(check.inquiry_x12)
            answer = eligibility.read_271(check.answer_x12)
        except PayerUnavailable as exc:
            raise payer_unavailable(exc) from exc
        except (X12ReadError, ClearinghouseError) as exc:
            raise payer_answer_unreadable(exc, "271") from exc
        _take(check, answer)
        check.checked_at = utcnow()
        await self.repository.add(check)
        return check

    async def get(self, check_id: str) -> EligibilityCheck:
        check = await self.repository.get(check_id)
        if check is None:
            raise not_found("eligibility check")
        return check

    async def _envelope(self, functional_id: str, version: str) -> Envelope:
        sender = self.config.submitter_id
        number = await InterchangeRepository(self.session, self.tenant_id).next_control_number(
            sender)
        return Envelope(sender_id=sender, receiver_id=self.config.receiver_id,
                        control_number=number, created_at=utcnow(), functional_id=functional_id,
                        version=version, usage=self.config.usage)


def _take(check: EligibilityCheck, answer: EligibilityAnswer) -> None:
    check.status = answer.status
    check.plan_code = answer.plan_code
    check.plan_name = answer.plan_name
    check.errors = [{"code": code, "message": REJECT_REASONS.get(
        code, f"The payer could not answer the inquiry (reject reason {code}).")}
        for code in answer.reject_reasons]
    if answer.status != "active":
        check.benefits = None
        return
    check.benefits = {
        "deductible": _amounts(answer.deductible),
        "out_of_pocket": _amounts(answer.out_of_pocket),
        "copay": None if answer.copay is None else format_money(answer.copay),
        "coinsurance_percent": None if answer.coinsurance_percent is None
        else format_money(answer.coinsurance_percent),
    }


def _amounts(amounts: Amounts | None) -> dict[str, Any] | None:
    if amounts is None:
        return None
    return {"amount": format_money(amounts.amount), "remaining": format_money(amounts.remaining)}
