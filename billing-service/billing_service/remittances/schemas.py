"""Response body of POST /v1/remittances: per payment (835 transaction set), per claim, what
was posted, ignored or refused and why."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from rcm_shared.issues import IssueOut
from rcm_shared.money import Money

Outcome = Literal["posted", "ignored", "refused"]


class ClaimPostingOut(BaseModel):
    patient_control_number: str = Field(description="CLP01")
    payer_claim_control_number: str = Field(description="CLP07")
    status_code: str = Field(description="CLP02: 1 processed, 4 denied, 22 reversal, ...")
    paid: Money = Field(description="CLP04")
    outcome: Outcome
    claim_id: str | None = Field(description="The claim it was matched to, if any")
    reason: str
    issues: list[IssueOut] = Field(
        description="Why a refused claim payment was not posted: unmatched claim or line, "
        "unbalanced amounts, codes that are not valid")


class ProviderAdjustmentOut(BaseModel):
    provider_id: str = Field(description="PLB01")
    reason: str = Field(description="PLB03-1, e.g. WO overpayment recovery, FB forward balance")
    reference: str
    amount: Money = Field(description="Positive: taken from the payment; negative: added")


class PaymentOut(BaseModel):
    trace_number: str = Field(description="TRN02: the check or EFT number")
    payer_name: str
    payee_id: str
    total: Money = Field(description="BPR02: claims' payments less provider adjustments")
    paid_on: date | None
    provider_adjustments: list[ProviderAdjustmentOut]
    claims: list[ClaimPostingOut]


class RemittanceFileOut(BaseModel):
    file_id: int
    interchange_control_number: str
    previously_received: bool = Field(
        description="The same file was posted before: nothing already posted is posted again")
    posted: int
    ignored: int
    refused: int
    payments: list[PaymentOut]
