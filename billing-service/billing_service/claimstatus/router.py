"""POST /v1/claims/{id}/status-inquiries: ask the payer (276/277) where a claim is."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, status

from billing_service.claimstatus.examples import INQUIRE_CLAIM_STATUS
from billing_service.claimstatus.schemas import StatusInquiryOut
from billing_service.dependencies import ClaimStatusWriter, Idempotent, audit_trail
from billing_service.openapi import problem
from rcm_shared.audit import AuditRecord
from rcm_shared.ids import ResourceId
from rcm_shared.openapi import examples
from rcm_shared.routing import api_router

router = api_router("/v1/claims", "claim status")
Audit = Annotated[AuditRecord, Depends(audit_trail.recorder("claim"))]


@router.post("/{claim_id}/status-inquiries", status_code=status.HTTP_201_CREATED,
             response_model=StatusInquiryOut,
             summary="Ask the payer where a claim is (276/277)",
             responses={409: problem("The claim was never sent to the payer"),
                        502: problem("The payer's answer could not be read"),
                        503: problem("The payer did not answer: retry after Retry-After "
                                     "seconds")},
             openapi_extra=examples(*INQUIRE_CLAIM_STATUS))
async def inquire_claim_status(claim_id: ResourceId, inquiries: ClaimStatusWriter,
                               idempotency: Idempotent, audit: Audit) -> StatusInquiryOut:
    """Sends the payer an X12 276 about the claim and answers the 276 and the payer's 277,
    read: the category (A1 received, P1 pending, F1 paid, F2 denied, F3 revised by a
    replacement or void, A3/A6/A7 returned, A4 not found) and status code, the payer's claim
    number, and once finalized what it paid and when. The payer worker asks by itself about a
    claim still unanswered STATUS_INQUIRY_AFTER_DAYS after it was sent; the worklist shows
    the latest answer."""
    inquiry = await inquiries.inquire(claim_id)
    audit("status_inquiry", claim_id)
    return StatusInquiryOut.of(inquiry)
