"""/v1/worklist: rejected, denied, unanswered and underpaid claims, the A/R aging buckets,
credits to refund and underpayments per payer."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from billing_service.dependencies import Worklist, audit_trail
from billing_service.worklist.examples import WORKLIST
from billing_service.worklist.schemas import WorklistOut
from rcm_shared.audit import AuditRecord
from rcm_shared.openapi import examples
from rcm_shared.pagination import DEFAULT_LIMIT, CursorParam, LimitParam
from rcm_shared.routing import api_router

router = api_router("/v1/worklist", "worklist")
Audit = Annotated[AuditRecord, Depends(audit_trail.recorder("worklist"))]


@router.get("", response_model=WorklistOut, summary="What needs a biller, with A/R aging",
            openapi_extra=examples(*WORKLIST))
async def worklist(worklist: Worklist, audit: Audit, limit: LimitParam = DEFAULT_LIMIT,
                   cursor: CursorParam = None) -> WorklistOut:
    """The claims that need a biller (rejected, denied, needing correction, long unanswered,
    paid below the tenant's contract with the payer), each with its reason and age, and the
    A/R aging of every open claim in buckets (0-30, 31-60, 61-90, 91-120, over 120 days);
    paged with `limit` and `cursor`. `credits` lists the patients owed a refund and
    `underpayments` totals the underpaid claims per payer, whatever the page."""
    audit("list")
    return await worklist.page(limit=limit, cursor=cursor)
