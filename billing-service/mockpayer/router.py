"""The mock clearinghouse's API: an account submits 837P files and collects the 277CA and 835
files answering them, as from a real clearinghouse's mailbox. Every route is the calling
account's (its API key's tenant) alone."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from billing_service.payers.adapter import PayerRefused, PayerUnavailable, Remittance
from billing_service.x12.syntax import X12ReadError
from mockpayer.payer import MockPayer
from mockpayer.schemas import (
    AcknowledgmentIn,
    AppealDecisionOut,
    AppealIn,
    AppealReceiptOut,
    EstimateIn,
    FileList,
    FileOut,
    PayerList,
    ReceiptOut,
)
from rcm_shared.auth import Principal, authenticate
from rcm_shared.issues import issue
from rcm_shared.problems import PROBLEM_MEDIA_TYPE, ProblemError, not_found

router = APIRouter(prefix="/v1", tags=["clearinghouse"])
ACCEPTED_MEDIA_TYPES = ("application/edi-x12", "text/plain")
# How long a caller told the payer is unavailable waits before sending again.
RETRY_AFTER_SECONDS = "1"


async def mock_payer(request: Request) -> MockPayer:
    payer: MockPayer = request.app.state.payer
    return payer


Account = Annotated[Principal, Depends(authenticate)]
Payer = Annotated[MockPayer, Depends(mock_payer)]
_PROBLEM = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}


@router.post(
    "/submissions", status_code=202, response_model=ReceiptOut,
    summary="Submit an 837P interchange",
    description="The body is the X12 837P text, as application/edi-x12 or text/plain. The "
    "payer records each claim once per submission id (REF*D9): sending the file again "
    "changes nothing. 503 when the payer did not take it or did not answer in time (fault "
    "injection): send the same file again.",
    openapi_extra={"requestBody": {"required": True, "content": {
        media_type: {"schema": {"type": "string"}} for media_type in ACCEPTED_MEDIA_TYPES}}},
    responses={415: {"description": "Not sent as application/edi-x12 or text/plain",
                     "content": _PROBLEM},
               503: {"description": "The payer is unavailable", "content": _PROBLEM}},
)
async def submit(request: Request, account: Account, payer: Payer) -> ReceiptOut:
    text = await _x12_body(request, "837P")
    try:
        receipt = await payer.submit(account.tenant_id, text)
    except X12ReadError as exc:
        raise _unreadable_x12(exc, "837P") from exc
    except PayerUnavailable as exc:
        raise _unavailable(exc) from exc
    return ReceiptOut(interchange_control_number=receipt.interchange_control_number,
                      received=receipt.received)


@router.get(
    "/files", response_model=FileList,
    summary="The account's 277CA and 835 files not acknowledged yet",
    description="Each call is one turn of the payer's day (claims received are "
    "acknowledged, claims acknowledged earlier adjudicated); then the account's files not "
    "acknowledged yet are answered, oldest first, the same file with the same content "
    "until it is acknowledged.",
)
async def files(account: Account, payer: Payer) -> FileList:
    found = await payer.files(account.tenant_id)
    return FileList(items=[FileOut(file_id=f.file_id, content=f.content) for f in found])


@router.post(
    "/files/acknowledgments", status_code=204, response_class=Response,
    summary="Acknowledge files kept",
    description="The account has kept these files: they are not offered again. Ids of files "
    "that are not the account's change nothing.",
)
async def acknowledge(body: AcknowledgmentIn, account: Account, payer: Payer) -> Response:
    await payer.acknowledge(account.tenant_id, body.file_ids)
    return Response(status_code=204)


@router.get("/payers", response_model=PayerList, summary="The payers and their plans")
async def payers(account: Account, payer: Payer) -> PayerList:
    return PayerList(items=await payer.payers())


_X12_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/edi-x12": {"schema": {"type": "string"}}}},
    415: {"description": "Not sent as application/edi-x12 or text/plain", "content": _PROBLEM},
    422: {"description": "Not a readable inquiry", "content": _PROBLEM},
}


@router.post(
    "/eligibility-inquiries", response_class=Response, summary="Ask about a member's coverage",
    description="The body is an X12 270 (005010X279A1); the answer is the payer's 271, in real "
    "time: active or inactive coverage, the plan, the deductible and out-of-pocket maximum "
    "with what remains of each this plan year, the copay and coinsurance, or AAA errors (72 "
    "malformed member id, 75 member not found, 79 a payer id that answers no inquiries).",
    openapi_extra={"requestBody": {"required": True, "content": {
        media_type: {"schema": {"type": "string"}} for media_type in ACCEPTED_MEDIA_TYPES}}},
    responses=_X12_ANSWER,
)
async def eligibility_inquiry(request: Request, account: Account, payer: Payer) -> Response:
    text = await _x12_body(request, "270")
    try:
        answer = await payer.check_eligibility(account.tenant_id, text)
    except X12ReadError as exc:
        raise _unreadable_x12(exc, "270") from exc
    return Response(answer, media_type="application/edi-x12")


@router.post(
    "/claim-status-inquiries", response_class=Response, summary="Ask where a claim is",
    description="The body is an X12 276 (005010X212); the answer is the payer's 277, in real "
    "time: received (A1), rejected (A3, A6, A7), pending (P1), finalized paid (F1), denied "
    "(F2) or revised (F3), or not found (A4) among the account's claims.",
    openapi_extra={"requestBody": {"required": True, "content": {
        media_type: {"schema": {"type": "string"}} for media_type in ACCEPTED_MEDIA_TYPES}}},
    responses=_X12_ANSWER,
)
async def claim_status_inquiry(request: Request, account: Account, payer: Payer) -> Response:
    text = await _x12_body(request, "276")
    try:
        answer = await payer.claim_status(account.tenant_id, text)
    except X12ReadError as exc:
        raise _unreadable_x12(exc, "276") from exc
    return Response(answer, media_type="application/edi-x12")


@router.post(
    "/estimates", response_model=Remittance, summary="Price services before they are given",
    description="What the payer would pay and what the member would owe for these services "
    "today (a predetermination), from the payer's fee schedule, the member's plan and its "
    "totals for the plan year; nothing is recorded. 422 when the payer will not price them.",
    responses={422: {"description": "The payer will not price these services",
                     "content": _PROBLEM}},
)
async def estimate(body: EstimateIn, account: Account, payer: Payer) -> Remittance:
    try:
        return await payer.estimate(body.request())
    except PayerRefused as exc:
        raise ProblemError(422, "Not priced", str(exc), type_="validation",
                           issues=[issue("estimate.refused", "$.member_id", str(exc))]) from exc


@router.post(
    "/appeals", status_code=201, response_model=AppealReceiptOut,
    summary="Appeal a claim the payer adjudicated",
    description="The payer records the appeal letter and decides it in its next turn "
    "(GET /v1/files): a line denied CO-97 that NCCI lets through by its distinct-procedure "
    "modifier is overturned and paid by an 835 (a reversal and a new payment); every other "
    "denial is upheld. Sending the same appeal_id again records nothing new. 422 when the "
    "account has no adjudicated claim of that payer under that number.",
    responses={422: {"description": "No such adjudicated claim", "content": _PROBLEM}},
)
async def appeal(body: AppealIn, account: Account, payer: Payer) -> AppealReceiptOut:
    try:
        reference = await payer.appeal(account.tenant_id, body.request())
    except PayerRefused as exc:
        raise ProblemError(422, "Not appealable", str(exc), type_="validation", issues=[
            issue("appeal.claim_unknown", "$.payer_claim_control_number", str(exc))]) from exc
    return AppealReceiptOut(reference=reference)


@router.get(
    "/appeals/{reference}", response_model=AppealDecisionOut,
    summary="The payer's decision on an appeal",
    description="received while under review; overturned or upheld once decided, with why.",
    responses={404: {"description": "Not one of the account's appeals", "content": _PROBLEM}},
)
async def appeal_decision(reference: str, account: Account, payer: Payer) -> AppealDecisionOut:
    try:
        decision = await payer.appeal_decision(account.tenant_id, reference)
    except PayerRefused as exc:
        raise not_found("appeal") from exc
    if decision is None:
        return AppealDecisionOut(reference=reference, status="received", decided_on=None,
                                 explanation=None)
    return AppealDecisionOut(reference=reference, status=decision.outcome,
                             decided_on=decision.decided_on,
                             explanation=decision.explanation)


async def _x12_body(request: Request, kind: str) -> str:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in ACCEPTED_MEDIA_TYPES:
        raise ProblemError(415, "Unsupported Media Type",
                           f"Send the {kind} as {' or '.join(ACCEPTED_MEDIA_TYPES)}.",
                           type_="unsupported-media-type")
    try:
        return (await request.body()).decode("ascii")
    except UnicodeDecodeError as exc:
        raise _unreadable("x12.encoding", "$", "An X12 file is ASCII text; the body is not.",
                          kind) from exc


def _unreadable_x12(exc: X12ReadError, kind: str) -> ProblemError:
    where = f"segment {exc.segment_number}" if exc.segment_number else "$"
    return _unreadable("x12.syntax", where, exc.reason, kind)


def _unavailable(exc: PayerUnavailable) -> ProblemError:
    return ProblemError(503, "Payer unavailable", str(exc), type_="payer-unavailable",
                        headers={"Retry-After": RETRY_AFTER_SECONDS})


def _unreadable(rule: str, where: str, message: str, kind: str) -> ProblemError:
    return ProblemError(422, f"Not a readable {kind}", message, type_="x12",
                        issues=[issue(rule, where, message)])
