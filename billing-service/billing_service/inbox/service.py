"""Payer files: kept first, then applied from where they are kept.

`PayerFileInbox.keep` stores each file the payer adapter delivered (once, by its hash) as soon as it
arrives, in a transaction of its own, before the payer is told it may forget the file: from
then on nothing of it depends on applying it succeeding. `apply_due` applies each kept file in a
transaction of its own: a 277CA's acknowledgments together (their jobs and claims read in
one statement each), an 835's claim payments as POST /v1/remittances posts them, the whole
file in one savepoint. When anything of it fails, the savepoint is rolled back and the file
applied again claim by claim, each in a savepoint of its own, so a claim that cannot be
applied is that claim's outcome in the file's results and never holds back the others.

A file that can never be applied as it is (not an interchange, neither a 277CA nor an 835,
an 835 whose payment does not balance) is failed at once and stays, with its reason, to be
settled with the payer. A file whose application went wrong otherwise (the database, a claim
that failed unexpectedly) is applied again later, with backoff: what it applied before is
recognised (trace numbers; acknowledgments for claims no longer waiting) and changes
nothing. After MAX_ATTEMPTS it is failed too. No file is dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from billing_service.inbox import repository
from billing_service.inbox.acknowledgments import apply_acknowledgment, apply_acknowledgments
from billing_service.inbox.repository import PayerFileRepository
from billing_service.models.x12 import PayerFile
from billing_service.payers.adapter import Acknowledgment
from billing_service.remittances.service import (
    POSTING_FAILED,
    RemittanceService,
    file_hash,
    read_payments,
)
from billing_service.x12 import ack277, remit835
from billing_service.x12.ack277 import read_277ca
from billing_service.x12.syntax import X12ReadError, read_interchange
from rcm_shared.db import utcnow
from rcm_shared.problems import ProblemError

logger = logging.getLogger("billing.inbox")
MAX_ATTEMPTS = 5
BATCH = 50
MAX_ERROR = 200

# The wait before the n-th attempt is made again.
RetryDelay = Callable[[int], timedelta]


class _Unusable(Exception):
    """The file can never be applied as it is."""


@dataclass(frozen=True, slots=True)
class _Applied:
    received: int  # claims the file concerns
    applied: int  # claims it changed
    results: list[dict[str, Any]]
    # Why the file must be applied again (a claim failed unexpectedly); None when done.
    retry: str | None


class PayerFileInbox:
    """The payer's files, kept and applied, each step in a transaction of its own opened
    by `sessions`; a file to apply again waits `retry_delay(attempts)`."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession],
                 retry_delay: RetryDelay) -> None:
        self.sessions = sessions
        self.retry_delay = retry_delay

    async def keep(self, files: Sequence[str]) -> None:
        if not files:
            return
        async with self.sessions() as session, session.begin():
            kept = PayerFileRepository(session)
            for text in files:
                await kept.keep(file_hash(text), text)

    async def apply_due(self) -> tuple[int, int]:
        """Apply each file due now once: (claims the files concerned, claims they changed)."""
        received = applied = 0
        async with self.sessions() as session:
            due = await PayerFileRepository(session).due(utcnow(), BATCH)
        for file_id in due:
            try:
                done = await self._apply_one(file_id)
            except Exception as exc:  # noqa: BLE001 - the file stays kept, to be applied again
                await self._retry_later(file_id, type(exc).__name__)
                continue
            if done is not None:
                received += done.received
                applied += done.applied
        return received, applied

    async def _apply_one(self, file_id: int) -> _Applied | None:
        async with self.sessions() as session, session.begin():
            row = await PayerFileRepository(session).lock_due(file_id, utcnow())
            if row is None:
                return None
            row.attempts += 1
            try:
                done = await _apply(session, row.content)
            except _Unusable as exc:
                _fail(row, str(exc))
                return None
            row.results = done.results
            if done.retry is None:
                row.status = repository.APPLIED
                row.applied_at = utcnow()
                row.last_error = None
            else:
                _retry(row, done.retry, self.retry_delay)
            return done

    async def _retry_later(self, file_id: int, error: str) -> None:
        async with self.sessions() as session, session.begin():
            row = await PayerFileRepository(session).lock(file_id)
            if row is None or row.status != repository.RECEIVED:
                return
            row.attempts += 1
            _retry(row, f"could not be applied ({error})", self.retry_delay)


def _retry(row: PayerFile, reason: str, retry_delay: RetryDelay) -> None:
    if row.attempts >= MAX_ATTEMPTS:
        _fail(row, f"{reason}; gave up after {row.attempts} attempts")
        return
    row.last_error = reason[:MAX_ERROR]
    row.next_attempt_at = utcnow() + retry_delay(row.attempts)
    logger.warning("payer file %s will be applied again", row.id,
                   extra={"event": "payer_file_retry", "attempt": row.attempts})


def _fail(row: PayerFile, reason: str) -> None:
    row.status = repository.FAILED
    row.last_error = reason[:MAX_ERROR]
    # The file and its reason stay kept; an operator settles it with the payer.
    logger.error("payer file %s cannot be applied; it is kept as failed", row.id,
                 extra={"event": "payer_file_failed", "attempt": row.attempts})


async def _apply(session: AsyncSession, text: str) -> _Applied:
    try:
        groups = read_interchange(text).groups
    except X12ReadError as exc:
        raise _Unusable(f"Not a readable interchange: {exc}") from exc
    kind = groups[0].functional_id if groups else ""
    if kind == ack277.FUNCTIONAL_ID:
        return await _acknowledgments(session, text)
    if kind == remit835.FUNCTIONAL_ID:
        return await _payments(session, text)
    raise _Unusable(f"Functional group {kind!r} is neither a 277CA nor an 835.")


async def _acknowledgments(session: AsyncSession, text: str) -> _Applied:
    try:
        acknowledgments = read_277ca(text)
    except X12ReadError as exc:
        raise _Unusable(f"Not a readable 277CA: {exc}") from exc
    try:
        async with session.begin_nested():
            changes = await apply_acknowledgments(session, acknowledgments)
    except Exception:  # noqa: BLE001 - each is applied alone, so the one that fails fails alone
        return await _acknowledgments_one_by_one(session, acknowledgments)
    results = [_acknowledged(acknowledgment, "applied" if changed else "ignored")
               for acknowledgment, changed in zip(acknowledgments, changes, strict=True)]
    return _Applied(len(acknowledgments), sum(changes), results, None)


async def _acknowledgments_one_by_one(session: AsyncSession,
                                      acknowledgments: list[Acknowledgment]) -> _Applied:
    results = []
    applied = 0
    failure = None
    for acknowledgment in acknowledgments:
        try:
            async with session.begin_nested():
                changed = await apply_acknowledgment(session, acknowledgment)
        except Exception as exc:  # noqa: BLE001 - one acknowledgment must not block the rest
            failure = type(exc).__name__
            outcome = "failed"
        else:
            applied += changed
            outcome = "applied" if changed else "ignored"
        results.append(_acknowledged(acknowledgment, outcome))
    retry = None if failure is None else f"An acknowledgment could not be applied ({failure})"
    return _Applied(len(acknowledgments), applied, results, retry)


def _acknowledged(acknowledgment: Acknowledgment, outcome: str) -> dict[str, Any]:
    return {"patient_control_number": acknowledgment.patient_control_number,
            "submission_id": acknowledgment.submission_id,
            "status": acknowledgment.status, "outcome": outcome}


async def _payments(session: AsyncSession, text: str) -> _Applied:
    try:
        document = read_payments(text)
    except ProblemError as exc:
        reasons = "; ".join(i["message"] for i in exc.issues or []) or exc.detail
        raise _Unusable(f"{exc.title}: {reasons}") from exc
    payments = await RemittanceService(session, tenant_id=None).post(document)
    claims = [claim for payment in payments for claim in payment.claims]
    failed = any(i.rule == POSTING_FAILED for claim in claims for i in claim.issues)
    return _Applied(
        received=len(claims),
        applied=sum(1 for claim in claims if claim.outcome == "posted"),
        results=[payment.model_dump(mode="json") for payment in payments],
        retry="A claim payment could not be posted" if failed else None,
    )
