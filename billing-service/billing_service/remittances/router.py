"""POST /v1/remittances: an 835 file, posted to the caller's claims."""

from __future__ import annotations

from fastapi import Request

from billing_service.dependencies import (
    IdempotentInSteps,
    Remittances,
    Session,
    Writer,
    audit_trail,
)
from billing_service.openapi import problem
from billing_service.remittances.examples import POST_REMITTANCE
from billing_service.remittances.schemas import RemittanceFileOut
from rcm_shared.issues import issue
from rcm_shared.openapi import examples
from rcm_shared.problems import ProblemError
from rcm_shared.routing import api_router

router = api_router("/v1/remittances", "remittances")
# application/octet-stream: the file's bytes as a client uploads any file (a generated client
# can write only that of the three).
ACCEPTED_MEDIA_TYPES = ("application/edi-x12", "text/plain", "application/octet-stream")


@router.post(
    "", response_model=RemittanceFileOut,
    summary="Post an 835 remittance file",
    description="The body is the X12 835 (005010X221A1) text, as application/edi-x12 or "
    "text/plain, or the file's bytes as application/octet-stream. Each claim payment is "
    "matched to the caller's claim by its patient control "
    "number (CLP01) and its lines by their line item control numbers (REF*6R); one that "
    "matches and balances (per line billed = paid + adjustments, per claim likewise) is "
    "posted with its adjustments (group code, CARC) and remark codes, a reversal (CLP02 = 22) "
    "negates the payment it reverses. Unmatched or unbalanced claim payments are refused and "
    "listed with their issues; the rest still post. The same file posted again changes "
    "nothing (previously_received). 422 when the file cannot be read or a payment total "
    "(BPR02 = sum of CLP04 - PLB) does not balance: then nothing is posted. 413 beyond "
    "REMITTANCE_MAX_BYTES (5 MiB unless configured). A big file is posted a chunk of claim "
    "payments at a time; a request that failed half-way may be sent again (with the same "
    "Idempotency-Key too): what it posted is recognised by its trace numbers and posted once.",
    openapi_extra={"requestBody": {"required": True, "content": {
        media_type: {"schema": {"type": "string", **(
            {"format": "binary"} if media_type == "application/octet-stream" else {})}}
        for media_type in ACCEPTED_MEDIA_TYPES}},
        **examples(*POST_REMITTANCE)},
    responses={415: problem("The body is not sent as application/edi-x12, text/plain or "
                            "application/octet-stream")},
)
async def post_remittance(
    request: Request, principal: Writer, uploads: Remittances, session: Session,
    idempotency: IdempotentInSteps,
) -> RemittanceFileOut:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in ACCEPTED_MEDIA_TYPES:
        raise ProblemError(415, "Unsupported Media Type",
                           f"Send the 835 as {' or '.join(ACCEPTED_MEDIA_TYPES)}.",
                           type_="unsupported-media-type")
    try:
        text = (await request.body()).decode("utf-8")
    except UnicodeDecodeError as exc:
        message = "An X12 file is ASCII text; the body is not."
        raise ProblemError(422, "Not a readable 835", message, type_="x12",
                           issues=[issue("x12.encoding", "$", message)]) from exc
    posted = await uploads.post_file(text)
    audit_trail.record(session, principal, action="upload", resource_type="remittance_file",
                       resource_id=str(posted.file_id))
    for payment in posted.payments:
        for claim in payment.claims:
            if claim.outcome == "posted" and claim.claim_id is not None:
                audit_trail.record(session, principal, action="post_remittance",
                                   resource_type="claim", resource_id=claim.claim_id)
    return posted
