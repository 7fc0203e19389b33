"""The two steps of the payer conversation, used by the background loop and by
POST /v1/admin/process alike.

Sending takes a lease on each due job in a short transaction (FOR UPDATE SKIP LOCKED), calls
the adapter outside any transaction, then records the outcome. A worker that dies mid-send
leaves the lease to expire; the retry reuses the submission_id, so the payer never sees two
claims.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.datastructures import State

from billing_service.claims.payer_claim import claim_for_payer
from billing_service.config import Settings
from billing_service.payers.adapter import ClaimForPayer, PayerAdapter, PayerUnavailable
from billing_service.submissions import repository
from billing_service.submissions.posting import apply_response
from rcm_shared.db import utcnow

logger = logging.getLogger("billing.submissions")
LEASE = timedelta(seconds=60)
BATCH = 50


@dataclass(frozen=True, slots=True)
class OutboxResult:
    sent: int = 0
    retrying: int = 0


@dataclass(frozen=True, slots=True)
class PollResult:
    received: int = 0
    applied: int = 0


@dataclass(frozen=True, slots=True)
class _Leased:
    job_id: int
    attempts: int
    claim: ClaimForPayer


def retry_delay(settings: Settings, attempts: int) -> timedelta:
    seconds = settings.payer_retry_base_seconds * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.payer_retry_max_seconds))


async def _lease_due_jobs(sessionmaker: async_sessionmaker[AsyncSession]) -> list[_Leased]:
    now = utcnow()
    leased = []
    async with sessionmaker() as session, session.begin():
        for job in await repository.due_jobs(session, now, BATCH):
            job.attempts += 1
            job.next_attempt_at = now + LEASE
            claim = await repository.claim_of_job(session, job)
            coverage = await repository.coverage_of(session, claim) if claim else None
            if claim is None or coverage is None:  # pragma: no cover - foreign keys keep both
                job.status = "failed"
                job.last_error = "claim or coverage missing"
                continue
            payer_claim = claim_for_payer(claim, coverage, job.submission_id, job.frequency_code)
            leased.append(_Leased(job.id, job.attempts, payer_claim))
    return leased


async def _record_outcome(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    leased: _Leased,
    error: str | None,
) -> None:
    async with sessionmaker() as session, session.begin():
        job = await repository.job(session, leased.job_id)
        if job is None:
            return
        if error is None:
            job.status = "sent"
            job.sent_at = utcnow()
            job.last_error = None
        else:
            job.next_attempt_at = utcnow() + retry_delay(settings, leased.attempts)
            job.last_error = error


async def run_outbox_once(state: State) -> OutboxResult:
    """Send every due submission once."""
    adapter: PayerAdapter = state.payer_adapter
    sent = retrying = 0
    for leased in await _lease_due_jobs(state.sessionmaker):
        try:
            await adapter.submit(leased.claim)
        except PayerUnavailable:
            error = "payer unavailable"
        except Exception as exc:  # noqa: BLE001 - any adapter failure is retried later
            error = f"adapter error: {type(exc).__name__}"
        else:
            error = None
        await _record_outcome(state.sessionmaker, state.settings, leased, error)
        if error is None:
            sent += 1
        else:
            retrying += 1
            logger.warning("payer submission will be retried",
                           extra={"job_id": leased.job_id, "attempt": leased.attempts,
                                  "error_type": error})
    return OutboxResult(sent=sent, retrying=retrying)


async def poll_payer_once(state: State) -> PollResult:
    """Fetch what the payer produced since the last poll and apply each response."""
    adapter: PayerAdapter = state.payer_adapter
    responses = await adapter.fetch_responses()
    applied = 0
    for response in responses:
        try:
            async with state.sessionmaker() as session, session.begin():
                applied += await apply_response(session, response)
        except Exception as exc:  # noqa: BLE001 - one bad response must not block the rest
            logger.error("payer response could not be applied",
                         extra={"error_type": type(exc).__name__})
    return PollResult(received=len(responses), applied=applied)


@dataclass(frozen=True, slots=True)
class ProcessResult:
    rounds: int
    sent: int
    retrying: int
    responses_received: int
    responses_applied: int
    pending_jobs: int


async def process_until_idle(state: State, max_rounds: int = 20) -> ProcessResult:
    """Send and poll until a round finds nothing to do (or max_rounds is reached)."""
    sent = retrying = received = applied = rounds = 0
    while rounds < max_rounds:
        rounds += 1
        outbox = await run_outbox_once(state)
        poll = await poll_payer_once(state)
        sent += outbox.sent
        retrying += outbox.retrying
        received += poll.received
        applied += poll.applied
        if outbox.sent == 0 and outbox.retrying == 0 and poll.received == 0:
            break
    async with state.sessionmaker() as session:
        pending = await repository.pending_job_count(session)
    return ProcessResult(rounds=rounds, sent=sent, retrying=retrying,
                         responses_received=received, responses_applied=applied,
                         pending_jobs=pending)
