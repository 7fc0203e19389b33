"""Response body of GET /v1/patients/{patient_id}/statement."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from rcm_shared.money import Money


class ExplanationOut(BaseModel):
    kind: str
    amount: Money
    text: str


class StatementClaimOut(BaseModel):
    claim_id: str
    date_of_service: date
    payer_id: str
    payer_sequence: str = Field(description="Which of the patient's insurers this claim went "
                                "to: primary, secondary or tertiary")
    status: str
    status_text: str
    billed: Money
    allowed: Money
    insurance_paid: Money
    plan_discount: Money
    you_owe: Money
    explanation: list[ExplanationOut]


class StatementTotals(BaseModel):
    billed: Money
    insurance_paid: Money
    plan_discount: Money
    you_owe: Money


class StatementOut(BaseModel):
    patient_id: str
    generated_at: datetime
    claims: list[StatementClaimOut]
    totals: StatementTotals
    summary: str
