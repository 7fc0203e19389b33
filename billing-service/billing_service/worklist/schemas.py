"""Response body of GET /v1/worklist."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from billing_service.claims.denials import DenialCategory
from billing_service.models.appeal import AppealStatus
from billing_service.models.claim import ClaimStatus
from rcm_shared.money import Money

# Why a claim needs a biller.
WorkKind = Literal["rejected", "denied", "unanswered", "underpaid"]


class StatusInquiryItem(BaseModel):
    """The payer's latest answer to a claim status inquiry (277) about the claim."""

    inquiry_id: str
    category: str
    status_code: str
    description: str
    checked_at: datetime
    sent_by: str


class AppealItem(BaseModel):
    """The claim's latest appeal (GET /v1/claims/{id}/appeals has them all)."""

    appeal_id: str = Field(description="The appeal's id")
    level: int = Field(description="1 or 2")
    status: AppealStatus = Field(description="submitted, overturned or upheld")
    submitted_at: datetime = Field(description="When it was sent to the payer (UTC)")
    decided_at: datetime | None = Field(description="When the payer's decision came (UTC)")


class WorkItem(BaseModel):
    claim_id: str
    kind: WorkKind = Field(description="rejected | denied | unanswered | underpaid")
    status: ClaimStatus
    payer_id: str
    patient_id: str
    date_of_service: date
    total_charge: Money
    since: datetime = Field(description="When the claim entered this state or was last sent")
    days_waiting: int
    reason: str
    next_step: str
    carc: list[str]
    rarc: list[str]
    denial_categories: list[DenialCategory] = Field(
        default_factory=list, description="The categories of the claim's denials, each once")
    timely_filing_days_left: int | None = Field(
        default=None, description="Days left before the plan's timely filing limit (negative "
        "once past it); null once the payer accepted the claim or when the limit is unknown")
    appeal: AppealItem | None = Field(
        default=None, description="The claim's latest appeal, if any: while it is submitted "
        "the next step is the payer's decision")
    status_inquiry: StatusInquiryItem | None = Field(
        default=None, description="The latest claim status inquiry's answer, if any")
    underpaid: Money | None = Field(
        default=None, description="For an underpaid claim, how far the payer's allowed "
        "amounts fell below the contract with it")


class AgingBucket(BaseModel):
    label: str
    count: int
    amount: Money


class Aging(BaseModel):
    """Every open claim of the tenant, whatever page the items are."""

    as_of: date
    basis: str
    buckets: list[AgingBucket]
    total_count: int
    total_amount: Money


class DenialCount(BaseModel):
    category: DenialCategory = Field(description="The kind of denial, from its CARC")
    claims: int = Field(description="Denied or partially paid claims with a denial of it")
    denials: int = Field(description="Its denials on those claims, one per line or claim")


class CreditItem(BaseModel):
    patient_id: str
    credit: Money = Field(description="What the account owes the patient: more paid than owed")
    next_step: str = Field(description="What to do about it")


class PayerUnderpayments(BaseModel):
    payer_id: str
    claims: int = Field(description="The payer's claims paid below the contract")
    underpaid: Money = Field(description="How far below, added up")


class Underpayments(BaseModel):
    """Every underpaid claim of the tenant, whatever page the items are."""

    payers: list[PayerUnderpayments] = Field(description="Per payer, by payer id")
    total: Money = Field(description="Every payer's underpayments added up")


class WorklistOut(BaseModel):
    items: list[WorkItem] = Field(description="Oldest claims first, one page of them")
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page")
    unanswered_after_days: int
    aging: Aging
    denials: list[DenialCount] = Field(
        default_factory=list, description="Every denied or partially paid claim's denials "
        "counted by category, whatever page the items are; every category, in a fixed order")
    credits: list[CreditItem] = Field(
        default_factory=list, description="Patients whose account holds a credit, to refund: "
        "every one, whatever page the items are")
    underpayments: Underpayments = Field(
        description="The claims paid below the tenant's contracts, totalled per payer")
