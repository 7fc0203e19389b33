"""Response body of POST /v1/claims/{id}/status-inquiries."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from billing_service.models.claim_status import ClaimStatusInquiry
from billing_service.x12.status import CATEGORIES, STATUS_CODES
from rcm_shared.money import Money


class ClaimStatusOut(BaseModel):
    """The 277's answer (STC): where the claim is at the payer."""

    category: str = Field(description="A1 received, P1 pending, F1 paid, F2 denied, F3 "
                          "revised, A3/A6/A7 returned, A4 not found")
    category_description: str
    status_code: str
    status_description: str
    status_date: date
    payer_claim_control_number: str | None
    paid: Money | None = Field(description="Once finalized")
    adjudicated_on: date | None

    @classmethod
    def of(cls, inquiry: ClaimStatusInquiry) -> ClaimStatusOut:
        return cls(
            category=inquiry.category,
            category_description=CATEGORIES.get(inquiry.category, "see the 277"),
            status_code=inquiry.status_code,
            status_description=STATUS_CODES.get(inquiry.status_code, "see the 277"),
            status_date=inquiry.status_date,
            payer_claim_control_number=inquiry.payer_claim_control_number,
            paid=inquiry.paid, adjudicated_on=inquiry.adjudicated_on,
        )


class StatusInquiryOut(BaseModel):
    id: str
    claim_id: str
    sent_by: str = Field(description="The API key's actor, or `system` for the payer "
                         "worker's own inquiries")
    checked_at: datetime
    status: ClaimStatusOut
    inquiry: str = Field(description="The 276 sent (005010X212)")
    answer: str = Field(description="The payer's 277")

    @classmethod
    def of(cls, inquiry: ClaimStatusInquiry) -> StatusInquiryOut:
        return cls(id=inquiry.id, claim_id=inquiry.claim_id, sent_by=inquiry.sent_by,
                   checked_at=inquiry.checked_at, status=ClaimStatusOut.of(inquiry),
                   inquiry=inquiry.inquiry_x12, answer=inquiry.answer_x12)
