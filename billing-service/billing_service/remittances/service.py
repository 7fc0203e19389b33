"""Posting an 835 file: read it, check that each payment balances, match each claim payment
to its claim (CLP01, the patient control number) and lines (REF*6R), post what matches and
balances, and say per claim what was posted, ignored or refused and why. Each claim payment
is posted in its own savepoint: whatever goes wrong with one is its refusal alone. One log
line per file gives the counts; none names a claim.

An upload is read and checked whole before anything is written, then posted in chunks of
claim payments, a transaction each, so a big file never holds SQLite's write lock for long.
A chunk posted twice (a retry after a failure half-way) posts nothing twice: a payment
already posted is recognised by its trace number.

One path for both ways an 835 arrives: POST /v1/remittances (a tenant's upload, posted to
that tenant's claims only, the file kept by its hash) and the files the payer adapter
delivers (any tenant's claims; kept in billing_service.inbox before they are posted).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from billing_service.remittances import matching, repository
from billing_service.remittances.posting import claim_for_remittance, post_remittance
from billing_service.remittances.schemas import (
    ClaimPostingOut,
    PaymentOut,
    ProviderAdjustmentOut,
    RemittanceFileOut,
)
from billing_service.x12.checks import (
    NOT_POSTED_STATUS_CODES,
    claim_payment_issues,
    payment_issues,
)
from billing_service.x12.remit835 import ClaimPayment, PaymentAdvice, RemittanceFile, read_835
from billing_service.x12.syntax import X12ReadError
from rcm_shared.issues import issue
from rcm_shared.money import ZERO, to_money
from rcm_shared.problems import ProblemError

logger = logging.getLogger("billing.remittances")
# The rule of a claim payment whose posting failed unexpectedly: posting the file again may
# succeed (what was posted meanwhile is recognised by its trace number).
POSTING_FAILED = "x12.835.posting_failed"
UNMATCHED = "x12.835.unmatched_claim"


def scope_of(tenant_id: str) -> str:
    return f"tenant:{tenant_id}"


def file_hash(text: str) -> str:
    """The same segments hash alike, however the file breaks its lines."""
    return hashlib.sha256("".join(line.strip() for line in text.splitlines()).encode()).hexdigest()


def read_payments(text: str) -> RemittanceFile:
    """The 835 `text`, read; 422 when it cannot be read or a payment total does not
    balance: such a file is corrupt, and nothing of it is posted."""
    try:
        document = read_835(text)
    except X12ReadError as exc:
        where = f"segment {exc.segment_number}" if exc.segment_number else "$"
        raise ProblemError(422, "Not a readable 835", str(exc), type_="x12",
                           issues=[issue("x12.syntax", where, exc.reason)]) from exc
    unbalanced = [finding for advice in document.advices for finding in payment_issues(advice)]
    if unbalanced:
        raise ProblemError(422, "The 835 does not balance",
                           "Nothing was posted: an amount is not money, or a payment total "
                           "is not what its claims add up to.", type_="x12", issues=unbalanced)
    return document


@dataclass(frozen=True, slots=True)
class Chunking:
    """How an upload is posted: `claims` claim payments a transaction, then a pause."""

    claims: int
    pause_seconds: float


async def post_payments(
    session: AsyncSession, document: RemittanceFile, tenant_id: str | None
) -> list[PaymentOut]:
    """Post every claim payment of `document` that matches and balances, to `tenant_id`'s
    claims (an upload) or any tenant's (None: the payer adapter's files), in `session`'s
    transaction."""
    postings = [await _post_isolated(session, advice, claim, tenant_id)
                for advice, claim in _claim_payments(document)]
    return _summarised(document, postings)


async def post_file(
    sessions: async_sessionmaker[AsyncSession],
    session: AsyncSession,
    text: str,
    tenant_id: str,
    chunking: Chunking,
) -> RemittanceFileOut:
    """POST /v1/remittances: post the 835 `text` to the tenant's claims (422 when it is
    corrupt, before anything is written), a chunk of claim payments per transaction of
    its own, then keep the file, once, by its hash, in `session`'s (the request's)."""
    document = read_payments(text)
    pending = _claim_payments(document)
    postings: list[ClaimPostingOut] = []
    for start in range(0, len(pending), chunking.claims):
        if start:
            await pause_between_chunks(chunking.pause_seconds)
        async with sessions() as chunk, chunk.begin():
            postings += [await _post_isolated(chunk, advice, claim, tenant_id)
                         for advice, claim in pending[start:start + chunking.claims]]
    payments = _summarised(document, postings)
    scope = scope_of(tenant_id)
    digest = file_hash(text)
    earlier = await repository.by_hash(session, scope, digest)
    outcomes = [claim.outcome for claim in postings]
    if earlier is None:
        row = await repository.record(
            session, scope, digest, document.interchange_control_number, text,
            [payment.model_dump(mode="json") for payment in payments],
        )
    else:
        row = earlier
    return RemittanceFileOut(
        file_id=row.id,
        interchange_control_number=document.interchange_control_number,
        previously_received=earlier is not None,
        posted=outcomes.count("posted"),
        ignored=outcomes.count("ignored"),
        refused=outcomes.count("refused"),
        payments=payments,
    )


async def pause_between_chunks(seconds: float) -> None:
    """The writers an upload's chunk kept waiting take their turn before the next one."""
    await asyncio.sleep(seconds)


def _claim_payments(document: RemittanceFile) -> list[tuple[PaymentAdvice, ClaimPayment]]:
    return [(advice, claim) for advice in document.advices for claim in advice.claims]


def _summarised(document: RemittanceFile, postings: Sequence[ClaimPostingOut]
                ) -> list[PaymentOut]:
    """The file's payments with the outcome of each of their claim payments (`postings`,
    in the file's order), and the one log line of the file."""
    _log_summary(postings)
    remaining = iter(postings)
    return [
        PaymentOut(
            trace_number=advice.trace_number,
            payer_name=advice.payer_name,
            payee_id=advice.payee_id,
            total=to_money(advice.total),
            paid_on=advice.paid_on,
            provider_adjustments=[
                ProviderAdjustmentOut(provider_id=a.provider_id, reason=a.reason,
                                      reference=a.reference, amount=to_money(a.amount))
                for a in advice.provider_adjustments
            ],
            claims=[next(remaining) for _ in advice.claims],
        )
        for advice in document.advices
    ]


def _log_summary(postings: Iterable[ClaimPostingOut]) -> None:
    outcomes = {"posted": 0, "ignored": 0, "refused": 0}
    unmatched = 0
    posted_paid = ZERO
    for posting in postings:
        outcomes[posting.outcome] += 1
        if posting.outcome == "posted":
            posted_paid += posting.paid
        unmatched += any(i.rule == UNMATCHED for i in posting.issues)
    claims = sum(outcomes.values())
    logger.info("835 posted: %d claim payments, %d posted (%s paid), %d ignored, %d refused "
                "(%d matching no claim)", claims, outcomes["posted"], to_money(posted_paid),
                outcomes["ignored"], outcomes["refused"], unmatched,
                extra={"event": "remittance_file", "claim_payments": claims,
                       "matched": claims - unmatched, "unmatched": unmatched,
                       "posted": outcomes["posted"], "ignored": outcomes["ignored"],
                       "refused": outcomes["refused"], "posted_paid": str(to_money(posted_paid))})


def _outcome(payment: ClaimPayment, outcome: str, reason: str, claim_id: str | None = None,
             findings: list[dict[str, str]] | None = None) -> ClaimPostingOut:
    return ClaimPostingOut.model_validate({
        "patient_control_number": payment.patient_control_number,
        "payer_claim_control_number": payment.payer_claim_control_number,
        "status_code": payment.status_code,
        "paid": to_money(payment.paid),
        "outcome": outcome,
        "claim_id": claim_id,
        "reason": reason,
        "issues": findings or [],
    })


async def _post_isolated(
    session: AsyncSession, advice: PaymentAdvice, payment: ClaimPayment, tenant_id: str | None
) -> ClaimPostingOut:
    try:
        async with session.begin_nested():
            return await _post_claim(session, advice, payment, tenant_id)
    except Exception as exc:  # noqa: BLE001 - one claim's failure must not undo the others'
        logger.error("claim payment could not be posted",
                     extra={"event": "remit_failed", "error_type": type(exc).__name__})
        message = (f"Posting failed ({type(exc).__name__}); nothing of this claim payment was "
                   "kept. Posting the file again may succeed.")
        return _outcome(payment, "refused", message, findings=[
            issue(POSTING_FAILED, f"segment {payment.position} (CLP)", message)])


async def _post_claim(
    session: AsyncSession, advice: PaymentAdvice, payment: ClaimPayment, tenant_id: str | None
) -> ClaimPostingOut:
    def result(outcome: str, reason: str, claim_id: str | None = None,
               findings: list[dict[str, str]] | None = None) -> ClaimPostingOut:
        return _outcome(payment, outcome, reason, claim_id, findings)

    findings = claim_payment_issues(payment)
    if findings:
        return result("refused", "The claim payment does not balance or carries codes that "
                      "are not valid.", findings=findings)
    if payment.status_code in NOT_POSTED_STATUS_CODES:
        return result("ignored", f"Claim status {payment.status_code}: the payer paid nothing "
                      "on it here (forwarded or only priced).")
    claim = await claim_for_remittance(
        session, payment.patient_control_number, payment.payer_claim_control_number,
        payer_id=advice.payer_id, reversal=payment.is_reversal, tenant_id=tenant_id,
    )
    if claim is None:
        payer = f" of payer {advice.payer_id}" if advice.payer_id else ""
        undone = (f" nor, replaced or voided, payer claim control number "
                  f"{payment.payer_claim_control_number!r}" if payment.is_reversal else "")
        return result("refused", "No claim matches this claim payment.", findings=[issue(
            UNMATCHED, f"segment {payment.position} (CLP)",
            f"No claim{payer} has patient control number "
            f"{payment.patient_control_number!r}{undone}.")])
    remittance, line_findings = matching.match(claim, advice, payment)
    if remittance is None:
        return result("refused", "Its service lines do not match the claim's.", claim.id,
                      line_findings)
    try:
        async with session.begin_nested():
            not_posted = await post_remittance(session, claim, remittance)
    except IntegrityError:
        # Posted by a concurrent request between the check and the insert.
        not_posted = f"Already posted (trace number {remittance.remittance_id})."
    if not_posted is not None:
        return result("ignored", not_posted, claim.id)
    return result("posted", f"Posted as {remittance.status} (trace number "
                  f"{remittance.remittance_id}).", claim.id)
