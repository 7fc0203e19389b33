"""/v1/eligibility-checks: ask the payer (270/271) whether a coverage is active on a date of
service, and what the patient's benefits are."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Response, status

from billing_service.dependencies import (
    EligibilityReader,
    EligibilityWriter,
    Idempotent,
    audit_trail,
)
from billing_service.eligibility.examples import (
    CHECK_ELIGIBILITY,
    GET_ELIGIBILITY_CHECK,
    GET_ELIGIBILITY_FILES,
)
from billing_service.eligibility.schemas import (
    EligibilityCheckCreate,
    EligibilityCheckOut,
    EligibilityFilesOut,
)
from billing_service.openapi import problem
from rcm_shared.audit import AuditRecord
from rcm_shared.ids import ResourceId
from rcm_shared.openapi import examples
from rcm_shared.routing import api_router

router = api_router("/v1/eligibility-checks", "eligibility")
Audit = Annotated[AuditRecord, Depends(audit_trail.recorder("eligibility_check"))]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=EligibilityCheckOut,
             summary="Check a coverage's eligibility with its payer (270/271)",
             description="Sends the payer an X12 270 about the coverage's member on the date "
             "of service and keeps its 271: `active` with the plan and its benefits "
             "(deductible and out-of-pocket maximum with what remains this plan year, copay, "
             "coinsurance), `inactive` (the coverage ended), or `error` with the payer's "
             "reasons (AAA: 72 malformed member id, 75 member not found, 79 a payer that "
             "answers no inquiries). 503 with Retry-After when the payer did not answer.",
             responses={502: problem("The payer's answer could not be read"),
                        503: problem("The payer did not answer: retry after Retry-After "
                                     "seconds")},
             openapi_extra=examples(*CHECK_ELIGIBILITY))
async def check_eligibility(body: EligibilityCheckCreate, checks: EligibilityWriter,
                            response: Response, idempotency: Idempotent,
                            audit: Audit) -> EligibilityCheckOut:
    check = await checks.check(body)
    audit("create", check.id)
    response.headers["Location"] = f"/v1/eligibility-checks/{check.id}"
    return EligibilityCheckOut.of(check)


@router.get("/{check_id}", response_model=EligibilityCheckOut, summary="One eligibility check",
            openapi_extra=examples(*GET_ELIGIBILITY_CHECK))
async def get_eligibility_check(check_id: ResourceId, checks: EligibilityReader,
                                audit: Audit) -> EligibilityCheckOut:
    """The check as kept: what the payer's 271 said of the coverage on the date of service."""
    audit("read", check_id)
    return EligibilityCheckOut.of(await checks.get(check_id))


@router.get("/{check_id}/x12", response_model=EligibilityFilesOut,
            summary="The 270 sent and the payer's 271",
            openapi_extra=examples(*GET_ELIGIBILITY_FILES))
async def get_eligibility_files(check_id: ResourceId, checks: EligibilityReader,
                                audit: Audit) -> EligibilityFilesOut:
    """The X12 270 billing sent (`inquiry`) and the payer's 271 (`answer`), as exchanged."""
    audit("read_x12", check_id)
    check = await checks.get(check_id)
    return EligibilityFilesOut(inquiry=check.inquiry_x12, answer=check.answer_x12)
