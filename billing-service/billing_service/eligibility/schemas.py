"""Request and response bodies of /v1/eligibility-checks."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from billing_service.models.eligibility import EligibilityCheck
from billing_service.x12.eligibility import EligibilityStatus
from rcm_shared.dates import IsoDate
from rcm_shared.ids import ID_PATTERN, Npi
from rcm_shared.money import Money
from rcm_shared.schemas import RequestModel

# X12 service type codes (EB03/EQ01): one or two letters and digits, e.g. 30 (health benefit
# plan coverage), 98 (professional physician visit, office), UC (urgent care).
ServiceTypeCode = Annotated[str, Field(pattern=r"^[0-9A-Z]{1,2}$")]


class EligibilityCheckCreate(RequestModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"coverage_id": "4f1c2d9e-...", "date_of_service": "2026-12-07",
         "service_type_codes": ["30"]}]})

    coverage_id: str = Field(min_length=1, max_length=64, pattern=ID_PATTERN)
    date_of_service: IsoDate
    service_type_codes: list[ServiceTypeCode] = Field(default_factory=lambda: ["30"],
                                                      min_length=1, max_length=99)
    provider_npi: Npi | None = Field(
        default=None, description="The registered provider asking; X12__INQUIRY_PROVIDER_NPI "
        "when left out")


class PlanOut(BaseModel):
    code: str | None
    name: str | None


class ErrorOut(BaseModel):
    code: str = Field(description="The 271's AAA03 reject reason (72, 75, 79...)")
    message: str


class AmountsOut(BaseModel):
    amount: Money = Field(description="For the plan (calendar) year")
    remaining: Money = Field(description="What is left of it this plan year")


class BenefitsOut(BaseModel):
    deductible: AmountsOut | None
    out_of_pocket: AmountsOut | None
    copay: Money | None = Field(description="Per visit")
    coinsurance_percent: Money | None = Field(description="The patient's share, in percent")


class EligibilityCheckOut(BaseModel):
    id: str
    coverage_id: str
    date_of_service: date
    service_type_codes: list[str]
    status: EligibilityStatus = Field(description="active | inactive | error")
    plan: PlanOut | None
    errors: list[ErrorOut]
    benefits: BenefitsOut | None
    checked_at: datetime

    @classmethod
    def of(cls, check: EligibilityCheck) -> EligibilityCheckOut:
        plan = None
        if check.plan_code or check.plan_name:
            plan = PlanOut(code=check.plan_code, name=check.plan_name)
        return cls(
            id=check.id, coverage_id=check.coverage_id, date_of_service=check.date_of_service,
            service_type_codes=check.service_type_codes, plan=plan,
            # The column holds a 271's EligibilityStatus; validated here on the way out.
            status=check.status,  # type: ignore[arg-type]
            errors=[ErrorOut(**error) for error in check.errors],
            benefits=None if check.benefits is None else _benefits(check.benefits),
            checked_at=check.checked_at,
        )


class EligibilityFilesOut(BaseModel):
    inquiry: str = Field(description="The 270 sent (005010X279A1)")
    answer: str = Field(description="The payer's 271")


def _benefits(stored: dict[str, Any]) -> BenefitsOut:
    def amounts(key: str) -> AmountsOut | None:
        pair = stored.get(key)
        return None if pair is None else AmountsOut(amount=Decimal(pair["amount"]),
                                                    remaining=Decimal(pair["remaining"]))

    def money(key: str) -> Decimal | None:
        value = stored.get(key)
        return None if value is None else Decimal(value)

    return BenefitsOut(deductible=amounts("deductible"), out_of_pocket=amounts("out_of_pocket"),
                       copay=money("copay"), coinsurance_percent=money("coinsurance_percent"))
