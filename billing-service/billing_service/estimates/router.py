"""/v1/estimates: what a visit will cost the patient, before the claim."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from billing_service.dependencies import Estimates, audit_trail
from billing_service.estimates.examples import CREATE_ESTIMATE
from billing_service.estimates.schemas import EstimateCreate, EstimateOut
from billing_service.openapi import problem
from rcm_shared.audit import AuditRecord
from rcm_shared.openapi import examples
from rcm_shared.routing import api_router

router = api_router("/v1/estimates", "estimates")
Audit = Annotated[AuditRecord, Depends(audit_trail.recorder("estimate"))]


@router.post("", response_model=EstimateOut, summary="Estimate what the patient will owe",
             description="Prices the services (`lines` on `date_of_service`, or the coded "
             "lines of a finalized `encounter_id`) as the coverage's payer would adjudicate "
             "them today, through the payer adapter: per line and in total the allowed "
             "amount, what the payer pays and what the patient owes (deductible, copay, "
             "coinsurance), each explained in a sentence. With nothing else billed to the "
             "plan in between, the claim's remittance gives the same amounts. Nothing is "
             "stored.",
             responses={
                 404: problem("No such encounter in coding-service"),
                 409: problem("The encounter is not finalized"),
                 502: problem("coding-service refused billing's request"),
                 503: problem("The payer or coding-service did not answer: retry after "
                              "Retry-After seconds")},
             openapi_extra=examples(*CREATE_ESTIMATE))
async def create_estimate(body: EstimateCreate, estimates: Estimates,
                          audit: Audit) -> EstimateOut:
    coverage, day, estimate = await estimates.estimate(body)
    audit("create", coverage.id)
    return EstimateOut.of(estimate, coverage_id=coverage.id, payer_id=coverage.payer_id,
                          date_of_service=day)
