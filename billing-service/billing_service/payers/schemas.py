"""What GET /v1/payers answers: each payer and the benefits of its plans."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field, PlainSerializer, StringConstraints

from billing_service.payers.adapter import (
    ClaimFilingIndicator,
    FrequencyCode,
    PayerInfo,
    PlanInfo,
)
from rcm_shared.ids import ID_PATTERN
from rcm_shared.money import Money

# billing's alone (coding-service never sees a payer), written into the 837 as NM109.
PayerId = Annotated[str, StringConstraints(min_length=1, max_length=32, pattern=ID_PATTERN)]
Percent = Annotated[Decimal, PlainSerializer(str, return_type=str)]


class PlanOut(BaseModel):
    code: str
    name: str
    kind: str
    claim_filing_indicator: ClaimFilingIndicator
    deductible: Money
    copay: Money
    coinsurance_percent: Percent
    out_of_pocket_max: Money
    accepts_frequency_codes: list[FrequencyCode]
    timely_filing_days: int | None = Field(
        description="Days from the date of service within which the plan takes a claim; later "
        "ones are denied CO-29. Null when the payer does not say")

    @classmethod
    def of(cls, plan: PlanInfo) -> PlanOut:
        return cls(
            code=plan.code,
            name=plan.name,
            kind=plan.kind,
            claim_filing_indicator=plan.claim_filing_indicator,
            deductible=plan.deductible,
            copay=plan.copay,
            coinsurance_percent=plan.coinsurance_percent,
            out_of_pocket_max=plan.out_of_pocket_max,
            accepts_frequency_codes=list(plan.accepts_frequency_codes),
            timely_filing_days=plan.timely_filing_days,
        )


class PayerOut(BaseModel):
    payer_id: str
    name: str
    active: bool
    plans: list[PlanOut]

    @classmethod
    def of(cls, payer: PayerInfo) -> PayerOut:
        return cls(
            payer_id=payer.payer_id,
            name=payer.name,
            active=payer.active,
            plans=[PlanOut.of(plan) for plan in payer.plans],
        )


class PayerList(BaseModel):
    items: list[PayerOut]
