"""/v1/claims/{id}/appeals: appeal a denial to the payer, and follow the appeals."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Response, status

from billing_service.appeals.examples import CREATE_APPEAL, LIST_APPEALS
from billing_service.appeals.schemas import AppealCreate, AppealOut
from billing_service.dependencies import AppealReader, AppealWriter, Idempotent, audit_trail
from billing_service.openapi import problem
from rcm_shared.audit import AuditRecord
from rcm_shared.ids import ResourceId
from rcm_shared.openapi import examples
from rcm_shared.pagination import DEFAULT_LIMIT, CursorParam, LimitParam, Page
from rcm_shared.routing import api_router

router = api_router("/v1/claims", "appeals")
Audit = Annotated[AuditRecord, Depends(audit_trail.recorder("claim"))]


@router.post(
    "/{claim_id}/appeals", status_code=status.HTTP_201_CREATED, response_model=AppealOut,
    summary="Appeal the claim's denial to its payer",
    responses={409: problem("The claim cannot be appealed now: nothing denied, an appeal "
                            "awaiting its decision, the level already appealed, or level 2 "
                            "without an upheld level 1"),
               503: problem("The payer did not answer: nothing was kept; retry after "
                            "Retry-After seconds")},
    openapi_extra=examples(*CREATE_APPEAL),
)
async def create_appeal(claim_id: ResourceId, body: AppealCreate, appeals: AppealWriter,
                        response: Response, idempotency: Idempotent,
                        audit: Audit) -> AppealOut:
    """Writes the appeal letter from the claim (the payer, the claim and payer claim numbers,
    the patient's account id, each denial with its line's code, modifiers, CARC and remark
    codes) and the biller's `reason`, sends it to the payer through the payer adapter and
    answers it `submitted`. The payer worker asks the payer for its decision: `overturned`
    (its payment comes as an 835, and the claim follows) or `upheld`."""
    appeal = await appeals.create(claim_id, body)
    audit("appeal", claim_id)
    response.headers["Location"] = f"/v1/claims/{claim_id}/appeals"
    return AppealOut.of(appeal)


@router.get("/{claim_id}/appeals", response_model=Page[AppealOut],
            summary="The claim's appeals, oldest first",
            openapi_extra=examples(*LIST_APPEALS))
async def list_appeals(claim_id: ResourceId, appeals: AppealReader, audit: Audit,
                       limit: LimitParam = DEFAULT_LIMIT,
                       cursor: CursorParam = None) -> Page[AppealOut]:
    """Every appeal of the claim with its letter, status and the payer's decision; paged with
    `limit` and `cursor`."""
    audit("read_appeals", claim_id)
    return (await appeals.page(claim_id, cursor=cursor, limit=limit)).page(AppealOut.of)
