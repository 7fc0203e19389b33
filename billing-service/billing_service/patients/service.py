"""Gathers a patient's current claims and their posted remittances into a statement."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.models.claim import RemittancePosting
from billing_service.patients.repository import PatientRepository
from billing_service.patients.schemas import (
    ExplanationOut,
    StatementClaimOut,
    StatementOut,
    StatementTotals,
)
from billing_service.patients.statement import (
    ClaimFacts,
    PostedAdjustment,
    dollars,
    statement_claim,
)
from billing_service.payers.service import PayerService
from rcm_shared.auth import Principal
from rcm_shared.db import utcnow
from rcm_shared.money import ZERO, to_money
from rcm_shared.problems import not_found


def _sum(values: list[Decimal]) -> Decimal:
    return to_money(sum(values, ZERO))


class PatientService:
    def __init__(self, session: AsyncSession, principal: Principal, payers: PayerService) -> None:
        self.payers = payers
        self.repository = PatientRepository(session, principal.tenant_id)

    async def statement(self, patient_id: str) -> StatementOut:
        claims = await self.repository.current_claims(patient_id)
        if not claims:
            raise not_found("patient with claims")
        by_claim: dict[str, list[RemittancePosting]] = defaultdict(list)
        for posting in await self.repository.postings([c.id for c in claims]):
            by_claim[posting.claim_id].append(posting)
        coinsurance: dict[str, Decimal | None] = {}
        for coverage in await self.repository.coverages({c.coverage_id for c in claims}):
            plan = await self.payers.plan(coverage.payer_id, coverage.plan_code)
            coinsurance[coverage.id] = plan.coinsurance_percent if plan is not None else None

        # Each payer of a visit has its own claim: the patient owes what the last one leaves.
        next_payer = {c.prior_claim_id: c.payer_id for c in claims if c.prior_claim_id}
        items = []
        for claim in claims:
            posted = by_claim.get(claim.id, [])
            items.append(statement_claim(ClaimFacts(
                claim_id=claim.id,
                date_of_service=claim.date_of_service,
                payer_id=claim.payer_id,
                status=claim.status,
                billed=claim.total_charge,
                allowed=_sum([line.allowed for p in posted for line in p.lines]),
                insurance_paid=_sum([p.paid for p in posted]),
                adjustments=[PostedAdjustment(a.group_code, a.carc, a.amount)
                             for p in posted for a in p.adjustments],
                coinsurance_percent=coinsurance.get(claim.coverage_id),
                payer_sequence=claim.payer_sequence,
                next_payer_id=next_payer.get(claim.id),
            )))
        first_payers = {c.id for c in claims if c.prior_claim_id is None}
        totals = StatementTotals(
            # A visit's charge counts once, however many insurers were billed for it.
            billed=_sum([i.billed for i in items if i.claim_id in first_payers]),
            insurance_paid=_sum([i.insurance_paid for i in items]),
            plan_discount=_sum([i.plan_discount for i in items]),
            you_owe=_sum([i.you_owe for i in items]),
        )
        visits = "visit" if len(items) == 1 else "visits"
        return StatementOut(
            patient_id=patient_id,
            generated_at=utcnow(),
            claims=[
                StatementClaimOut(**{**asdict(i), "explanation": [
                    ExplanationOut(**asdict(e)) for e in i.explanation]})
                for i in items
            ],
            totals=totals,
            summary=f"You owe {dollars(totals.you_owe)} for {len(items)} {visits}.",
        )
