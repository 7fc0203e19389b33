"""Posting an 835 file: read it, check that each payment balances, match each claim payment
to its claim (CLP01, the patient control number) and lines (REF*6R), post what matches and
balances, and say per claim what was posted, ignored or refused and why. Each claim payment
is posted in one savepoint with the others; when one fails, they are posted again each in a
savepoint of its own: whatever goes wrong with one is its refusal alone. One log line per file
gives the counts; none names a claim.

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

from billing_service.remittances import matching
from billing_service.remittances.posting import claim_for_remittance, post_remittance
from billing_service.remittances.repository import RemittanceRepository
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
from rcm_shared.auth import Principal
from rcm_shared.issues import issue
from rcm_shared.money import ZERO, to_money
from rcm_shared.problems import ProblemError

logger = logging.getLogger("billing.remittances")
# The rule of a claim payment whose posting failed unexpectedly: posting the file again may
# succeed (what was posted meanwhile is recognised by its trace number).
POSTING_FAILED = "x12.835.posting_failed"
UNMATCHED = "x12.835.unmatched_claim"


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


class RemittanceService:
    """Posts claim payments to `tenant_id`'s claims (an upload) or to any tenant's (None:
    the files the payer adapter delivers), in `session`'s transaction."""

    def __init__(self, session: AsyncSession, tenant_id: str | None) -> None:
        self.session = session
        self.repository = RemittanceRepository(session, tenant_id)

    async def post(self, document: RemittanceFile) -> list[PaymentOut]:
        """Post every claim payment of `document` that matches and balances."""
        return _summarised(document, await self.post_claims(_claim_payments(document)))

    async def post_claims(
        self, payments: Iterable[tuple[PaymentAdvice, ClaimPayment]]
    ) -> list[ClaimPostingOut]:
        """All of them in one savepoint; when one fails, that savepoint is rolled back and
        each is posted in a savepoint of its own, so that one alone is refused."""
        payments = list(payments)
        try:
            async with self.session.begin_nested():
                postings = []
                for advice, claim in payments:
                    postings.append(await self._post_claim(advice, claim, isolated=False))
                    # The next payment reads what this one wrote (the session does not
                    # flush by itself): the same claim, its trace numbers, a claim it built.
                    await self.session.flush()
                return postings
        except Exception:  # noqa: BLE001 - posted again one by one, each failure its own
            return [await self._post_isolated(advice, claim) for advice, claim in payments]

    async def _post_isolated(self, advice: PaymentAdvice,
                             payment: ClaimPayment) -> ClaimPostingOut:
        try:
            async with self.session.begin_nested():
                return await self._post_claim(advice, payment, isolated=True)
        except Exception as exc:  # noqa: BLE001 - one claim's failure must not undo the others'
            logger.error("claim payment could not be posted",
                         extra={"event": "remit_failed", "error_type": type(exc).__name__})
            message = (f"Posting failed ({type(exc).__name__}); nothing of this claim payment "
                       "was kept. Posting the file again may succeed.")
            return _outcome(payment, "refused", message, findings=[
                issue(POSTING_FAILED, f"segment {payment.position} (CLP)", message)])

    async def _post_claim(self, advice: PaymentAdvice, payment: ClaimPayment, *,
                          isolated: bool) -> ClaimPostingOut:
        """`isolated`: this payment alone is in its savepoint, so a concurrent posting of it
        (the trace number's unique key) is answered here; otherwise it fails the batch."""
        def result(outcome: str, reason: str, claim_id: str | None = None,
                   findings: list[dict[str, str]] | None = None) -> ClaimPostingOut:
            return _outcome(payment, outcome, reason, claim_id, findings)

        findings = claim_payment_issues(payment)
        if findings:
            return result("refused", "The claim payment does not balance or carries codes "
                          "that are not valid.", findings=findings)
        if payment.status_code in NOT_POSTED_STATUS_CODES:
            return result("ignored", f"Claim status {payment.status_code}: the payer paid "
                          "nothing on it here (forwarded or only priced).")
        claim = await claim_for_remittance(
            self.repository, payment.patient_control_number,
            payment.payer_claim_control_number, payer_id=advice.payer_id,
            reversal=payment.is_reversal,
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
        # Read now: a rolled-back savepoint expires the claim, and reading it again would
        # take a query the event loop cannot run here.
        claim_id = claim.id
        if not isolated:
            not_posted = await post_remittance(self.session, claim, remittance)
        else:
            try:
                async with self.session.begin_nested():
                    not_posted = await post_remittance(self.session, claim, remittance)
            except IntegrityError:
                # Posted by a concurrent request between the check and the insert.
                not_posted = f"Already posted (trace number {remittance.remittance_id})."
        if not_posted is not None:
            return result("ignored", not_posted, claim_id)
        return result("posted", f"Posted as {remittance.status} (trace number "
                      f"{remittance.remittance_id}).", claim_id)


@dataclass(frozen=True, slots=True)
class Chunking:
    """How an upload is posted: `claims` claim payments a transaction, then a pause."""

    claims: int
    pause_seconds: float


class RemittanceUploads:
    """POST /v1/remittances: the caller's 835s, posted to the caller's claims a chunk per
    transaction (`sessions` opens them), each file then kept in `session`'s (the
    request's)."""

    def __init__(self, session: AsyncSession, principal: Principal, *,
                 sessions: async_sessionmaker[AsyncSession], chunking: Chunking) -> None:
        self.tenant_id = principal.tenant_id
        self.files = RemittanceRepository(session, principal.tenant_id)
        self.sessions = sessions
        self.chunking = chunking

    async def post_file(self, text: str) -> RemittanceFileOut:
        """Post the 835 `text` (422 when it is corrupt, before anything is written), and keep
        it, once, by its hash."""
        document = read_payments(text)
        pending = _claim_payments(document)
        size = self.chunking.claims
        postings: list[ClaimPostingOut] = []
        for start in range(0, len(pending), size):
            if start:
                await pause_between_chunks(self.chunking.pause_seconds)
            async with self.sessions() as chunk, chunk.begin():
                postings += await RemittanceService(chunk, self.tenant_id).post_claims(
                    pending[start:start + size])
        payments = _summarised(document, postings)
        digest = file_hash(text)
        earlier = await self.files.file_by_hash(digest)
        row = earlier or await self.files.record_file(
            digest, document.interchange_control_number, text,
            [payment.model_dump(mode="json") for payment in payments])
        outcomes = [claim.outcome for claim in postings]
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
