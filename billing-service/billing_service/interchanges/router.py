"""The 837P of one claim, or of many in one interchange, as billing would send them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Response

from billing_service.dependencies import Interchanges, audit_trail
from billing_service.interchanges.examples import EXPORT_BATCH, EXPORT_CLAIM
from billing_service.interchanges.schemas import BatchExport
from rcm_shared.audit import AuditRecord
from rcm_shared.ids import ResourceId
from rcm_shared.openapi import examples
from rcm_shared.routing import api_router

router = api_router("/v1/claims", "x12")
Audit = Annotated[AuditRecord, Depends(audit_trail.recorder("claim"))]
X12_MEDIA_TYPE = "application/edi-x12"
_X12_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {X12_MEDIA_TYPE: {"schema": {"type": "string"}}},
          "description": "An 837P (005010X222A1) interchange"},
    422: {"description": "A claim an 837P cannot carry as it is (problem+json with issues)"},
}


def _x12(text: str) -> Response:
    return Response(text, media_type=X12_MEDIA_TYPE)


@router.post(
    "/x12-batch", response_class=Response, responses=_X12_RESPONSE,
    summary="Many claims as one 837P interchange",
    description="The claims, in the order given, in one interchange under a new control "
    "number (ISA13 = GS06 = BHT03, never reused). A voided claim is written as its void "
    "(frequency 8). 422 names each unknown id and each claim an 837P cannot carry.",
    openapi_extra=examples(*EXPORT_BATCH),
)
async def export_batch(body: BatchExport, interchanges: Interchanges, audit: Audit) -> Response:
    text = await interchanges.export(body.claim_ids, batch=True)
    for claim_id in dict.fromkeys(body.claim_ids):
        audit("export", claim_id)
    return _x12(text)


@router.get(
    "/{claim_id}/x12", response_class=Response, responses=_X12_RESPONSE,
    summary="The claim as an 837P interchange",
    description="The 837P of the claim as billing sends it (a voided claim as its void, "
    "frequency 8). Reading it again answers the same text: once sent, the interchange the "
    "payer received, under its control number; before that, or when the claim's 837P has "
    "changed since (a corrected coverage), it is written once under a new control number, "
    "never reused.",
    openapi_extra=examples(*EXPORT_CLAIM),
)
async def export_claim(claim_id: ResourceId, interchanges: Interchanges, audit: Audit) -> Response:
    audit("read", claim_id)
    return _x12(await interchanges.export([claim_id], batch=False))
