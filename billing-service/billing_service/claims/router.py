"""/v1/claims: build, submit, follow, correct and void professional claims."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Response, status

from billing_service.claims.examples import (
    CANCEL_CLAIM,
    CHANGE_CLAIM_COVERAGE,
    CLAIM_EVENTS,
    CLAIM_REMITTANCE,
    CORRECT_CLAIM,
    CREATE_CLAIM,
    GET_CLAIM,
    LIST_CLAIMS,
    RESUBMIT_CLAIM,
    SUBMIT_CLAIM,
    VOID_CLAIM,
)
from billing_service.claims.schemas import (
    ClaimCreate,
    ClaimEventOut,
    ClaimOut,
    ClaimPatch,
    ClaimRemittanceOut,
    CorrectionCreate,
)
from billing_service.claims.state_machine import ClaimAction, ClaimStatus
from billing_service.dependencies import ClaimReader, ClaimWriter, Idempotent, audit_trail
from billing_service.openapi import FROM_CODING, problem
from billing_service.payers.schemas import PayerId
from rcm_shared.audit import AuditRecord
from rcm_shared.http import IfMatch, IfMatchRequired, etag
from rcm_shared.ids import EncounterId, PatientId, ResourceId
from rcm_shared.openapi import examples
from rcm_shared.pagination import DEFAULT_LIMIT, CursorParam, LimitParam, Page
from rcm_shared.routing import api_router

router = api_router("/v1/claims", "claims")
Audit = Annotated[AuditRecord, Depends(audit_trail.recorder("claim"))]


def _with_etag(response: Response, out: ClaimOut) -> ClaimOut:
    response.headers["ETag"] = etag(out.version)
    return out


@router.post(
    "", response_model=ClaimOut, status_code=status.HTTP_201_CREATED,
    summary="Build the claim for a finalized encounter",
    description="201 with a new claim; 200 with the existing one when the encounter's current "
    "coding version already has a claim. 503 with Retry-After when coding-service is down.",
    responses={200: {"description": "The claim already built for this coding version"},
               404: problem("coding-service has no such encounter for this tenant"),
               **FROM_CODING},
    openapi_extra=examples(*CREATE_CLAIM),
)
async def create_claim(body: ClaimCreate, response: Response, claims: ClaimWriter,
                       idempotency: Idempotent, audit: Audit) -> ClaimOut:
    claim, created = await claims.create(body)
    audit("create", claim.id)
    if not created:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/v1/claims/{claim.id}"
    return _with_etag(response, ClaimOut.of(claim))


@router.get("", response_model=Page[ClaimOut], summary="List claims",
            openapi_extra=examples(*LIST_CLAIMS))
async def list_claims(
    claims: ClaimReader,
    audit: Audit,
    status_: Annotated[ClaimStatus | None, Query(
        alias="status", description="Only claims in this status")] = None,
    payer_id: Annotated[PayerId | None, Query()] = None,
    patient_id: Annotated[PatientId | None, Query()] = None,
    encounter_id: Annotated[EncounterId | None, Query(
        description="Every claim of the encounter: each part of a split, each coding "
        "version, each payer")] = None,
    limit: LimitParam = DEFAULT_LIMIT,
    cursor: CursorParam = None,
) -> Page[ClaimOut]:
    """The caller's tenant's claims, newest first, filtered by status, payer, patient or
    encounter; paged with `limit` and `cursor`."""
    audit("list")
    listed = await claims.list_page(
        status=status_.value if status_ else None, payer_id=payer_id, patient_id=patient_id,
        encounter_id=encounter_id, limit=limit, cursor=cursor,
    )
    return listed.page(ClaimOut.of)


@router.get("/{claim_id}", response_model=ClaimOut, summary="One claim",
            openapi_extra=examples(*GET_CLAIM))
async def get_claim(claim_id: ResourceId, claims: ClaimReader, audit: Audit,
                    response: Response) -> ClaimOut:
    """The claim with its lines, charges, status, what the scrubber found and `allowed_actions`
    (what it can do next); its ETag is the version to send back as If-Match."""
    audit("read", claim_id)
    return _with_etag(response, ClaimOut.of(await claims.get(claim_id)))


@router.patch("/{claim_id}", response_model=ClaimOut,
              summary="Point a ready or rejected claim at another coverage (If-Match)",
              description="The claim is scrubbed again against the new coverage; its status "
              "stays. 409 once a payer holds the claim, naming what works from its status.",
              openapi_extra=examples(*CHANGE_CLAIM_COVERAGE))
async def change_claim_coverage(claim_id: ResourceId, body: ClaimPatch, claims: ClaimWriter,
                                response: Response, expected_version: IfMatchRequired,
                                idempotency: Idempotent, audit: Audit) -> ClaimOut:
    audit("change_coverage", claim_id)
    claim = await claims.change_coverage(claim_id, body, expected_version)
    return _with_etag(response, ClaimOut.of(claim))


@router.post("/{claim_id}/submit", response_model=ClaimOut,
             summary="Submit a ready claim (422 with the scrubber's errors if any)",
             openapi_extra=examples(*SUBMIT_CLAIM))
async def submit_claim(claim_id: ResourceId, claims: ClaimWriter, response: Response,
                       expected_version: IfMatch, idempotency: Idempotent,
                       audit: Audit) -> ClaimOut:
    """Scrubs a ready claim and queues it for the payer as an 837P: the payer's acknowledgment
    (277CA) and adjudication (835) move it on later. 422 with the scrubber's errors, 409 when the
    claim is not ready. If-Match is checked when given."""
    audit("submit", claim_id)
    claim = await claims.submit(claim_id, expected_version, ClaimAction.SUBMIT)
    return _with_etag(response, ClaimOut.of(claim))


@router.post("/{claim_id}/resubmit", response_model=ClaimOut,
             summary="Resubmit a rejected claim once its cause is fixed",
             openapi_extra=examples(*RESUBMIT_CLAIM))
async def resubmit_claim(claim_id: ResourceId, claims: ClaimWriter, response: Response,
                         expected_version: IfMatch, idempotency: Idempotent,
                         audit: Audit) -> ClaimOut:
    """Sends a rejected claim again, once the cause of the rejection is fixed (a coverage
    corrected). 409 unless the claim is rejected. If-Match is checked when given."""
    audit("resubmit", claim_id)
    claim = await claims.submit(claim_id, expected_version, ClaimAction.RESUBMIT)
    return _with_etag(response, ClaimOut.of(claim))


@router.post("/{claim_id}/void", response_model=ClaimOut,
             summary="Void an accepted or adjudicated claim (frequency 8)",
             openapi_extra=examples(*VOID_CLAIM))
async def void_claim(claim_id: ResourceId, claims: ClaimWriter, response: Response,
                     expected_version: IfMatch, idempotency: Idempotent,
                     audit: Audit) -> ClaimOut:
    """Asks the payer to cancel an accepted or adjudicated claim (an 837P with frequency code 8); a
    paid claim's payment is taken back by the payer's remittance. 409 in any other state. If-
    Match is checked when given."""
    audit("void", claim_id)
    return _with_etag(response, ClaimOut.of(await claims.void(claim_id, expected_version)))


@router.post("/{claim_id}/cancel", response_model=ClaimOut,
             summary="Cancel a claim no payer accepted (ready or rejected)",
             description="The claim becomes `canceled`; nothing goes to the payer, and "
             "POST /v1/claims may then bill the encounter anew. 409 once a payer accepted the "
             "claim, naming what works from its status (void, correct).",
             openapi_extra=examples(*CANCEL_CLAIM))
async def cancel_claim(claim_id: ResourceId, claims: ClaimWriter, response: Response,
                       expected_version: IfMatch, idempotency: Idempotent,
                       audit: Audit) -> ClaimOut:
    audit("cancel", claim_id)
    return _with_etag(response, ClaimOut.of(await claims.cancel(claim_id, expected_version)))


@router.post("/{claim_id}/corrections", response_model=ClaimOut,
             status_code=status.HTTP_201_CREATED, responses=FROM_CODING,
             summary="Replace an adjudicated claim (frequency 7) from another coding version",
             openapi_extra=examples(*CORRECT_CLAIM))
async def correct_claim(claim_id: ResourceId, body: CorrectionCreate, response: Response,
                        claims: ClaimWriter, expected_version: IfMatch,
                        idempotency: Idempotent, audit: Audit) -> ClaimOut:
    """Replaces an adjudicated claim with one built from another coding version of its encounter (an
    837P with frequency code 7 naming the payer's claim). Answers 201 with the replacement claim.
    If-Match is checked when given."""
    replacement = await claims.correct(claim_id, body, expected_version)
    audit("correct", claim_id)
    audit("create", replacement.id)
    response.headers["Location"] = f"/v1/claims/{replacement.id}"
    return _with_etag(response, ClaimOut.of(replacement))


@router.get("/{claim_id}/events", response_model=Page[ClaimEventOut],
            summary="Every transition of the claim: when, who, why",
            openapi_extra=examples(*CLAIM_EVENTS))
async def claim_events(claim_id: ResourceId, claims: ClaimReader, audit: Audit,
                       limit: LimitParam = DEFAULT_LIMIT,
                       cursor: CursorParam = None) -> Page[ClaimEventOut]:
    """Every transition of the claim, oldest first: from and to which status, when, who (a key,
    the payer or the system) and why; paged like every list."""
    audit("read", claim_id)
    return (await claims.events(claim_id, cursor=cursor, limit=limit)).page(ClaimEventOut.of)


@router.get("/{claim_id}/remittance", response_model=ClaimRemittanceOut,
            summary="What the payer paid and adjusted, per line, and the claim's totals",
            openapi_extra=examples(*CLAIM_REMITTANCE))
async def claim_remittance(claim_id: ResourceId, claims: ClaimReader,
                           audit: Audit) -> ClaimRemittanceOut:
    """What the payer's 835 said about the claim: per line the billed, allowed and paid amounts,
    each adjustment (group and CARC code) and remark (RARC), and the claim's totals with the
    patient's responsibility. 404 before the claim is adjudicated."""
    audit("read", claim_id)
    return await claims.remittance_view(claim_id)
