"""Response body of GET /v1/patients/{patient_id}/statement."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from billing_service.claims.state_machine import ClaimStatus
from billing_service.models.claim import PayerSequence
from rcm_shared.money import Money


class ExplanationOut(BaseModel):
    kind: str
    amount: Money
    text: str


class StatementClaimOut(BaseModel):
    claim_id: str
    date_of_service: date
    payer_id: str
    payer_sequence: PayerSequence = Field(description="Which of the patient's insurers this "
                                          "claim went to")
    status: ClaimStatus
    status_text: str
    billed: Money
    allowed: Money
    insurance_paid: Money
    plan_discount: Money
    you_owe: Money
    still_owed: Money = Field(description="What the patient still owes on this claim: their "
                              "share less what they paid on it or had written off")
    explanation: list[ExplanationOut]


class StatementTotals(BaseModel):
    billed: Money
    insurance_paid: Money
    plan_discount: Money
    you_owe: Money
    payments: Money = Field(description="What the patient paid, at the visit or later")
    refunds: Money = Field(description="What was refunded to the patient")
    write_offs: Money = Field(description="What the provider wrote off of the patient's share")
    still_owed: Money = Field(description="The patient's share less payments and write-offs, "
                              "plus refunds; negative is a credit owed back to the patient")
    awaiting_insurance: Money = Field(description="Charges the insurers have not decided yet")
    balance: Money = Field(description="The account's balance, as the ledger's last entry "
                           "shows it: still_owed plus awaiting_insurance")


class AgingOut(BaseModel):
    bucket: str = Field(description="Days since the date of service: 0-30, 31-60, 61-90, 90+")
    amount: Money = Field(description="What the patient still owes on visits of that age")


class StatementOut(BaseModel):
    patient_id: str
    generated_at: datetime
    claims: list[StatementClaimOut]
    totals: StatementTotals
    aging: list[AgingOut] = Field(description="What the patient still owes, by the age of "
                                  "the visit")
    summary: str
