"""The two steps of the payer conversation (PayerConversation), used by the background loop
(every tenant) and by POST /v1/admin/process (the caller's tenant) alike.

Sending takes a lease on the due jobs (up to BATCH) in one short transaction (FOR UPDATE SKIP
LOCKED: two workers never lease the same job), their claims and coverages read together,
writes each job's 837P once (a retry sends the same interchange, with the same submission id
in REF*D9), calls the adapter for each outside any transaction, then records the outcomes
together. A worker that dies mid-send leaves the leases to expire; the retry reuses the
submission id, so the payer never sees two claims.

Polling keeps every file the payer sent before acknowledging it to the payer and before
applying anything from it (billing_service.inbox): a 277CA's acknowledgments are applied one
by one, an 835 is posted the way POST /v1/remittances posts one, and a file that cannot be
applied is kept, never dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from billing_service.appeals.service import AppealDecisions
from billing_service.claims.repository import locked_claims_of
from billing_service.config import Settings
from billing_service.inbox.service import PayerFileInbox
from billing_service.interchanges.service import InterchangeService
from billing_service.models.claim import Claim, PayerJob
from billing_service.models.coverage import Coverage
from billing_service.payers.adapter import PayerAdapter, PayerUnavailable
from billing_service.payers.service import PayerService
from billing_service.submissions.repository import SubmissionRepository
from rcm_shared.backoff import backoff
from rcm_shared.db import utcnow
from rcm_shared.problems import ProblemError

logger = logging.getLogger("billing.submissions")
LEASE = timedelta(seconds=60)
BATCH = 50


@dataclass(frozen=True, slots=True)
class OutboxResult:
    sent: int = 0
    retrying: int = 0


@dataclass(frozen=True, slots=True)
class PollResult:
    files: int = 0
    received: int = 0
    applied: int = 0


@dataclass(frozen=True, slots=True)
class _Leased:
    job_id: int
    attempts: int
    interchange: str


def retry_delay(settings: Settings, attempts: int) -> timedelta:
    return backoff(attempts, base_seconds=settings.payer_retry_base_seconds,
                   max_seconds=settings.payer_retry_max_seconds)


@dataclass(frozen=True, slots=True)
class ProcessResult:
    rounds: int
    sent: int
    retrying: int
    responses_applied: int
    pending_jobs: int


class PayerConversation:
    """Sends the outbox's submissions through `adapter` and applies what the payer answers,
    each step in a transaction of its own opened by `sessions`; `settings` give the 837P's
    names (X12__...) and the backoff of a failed submission or payer file."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], adapter: PayerAdapter,
                 settings: Settings) -> None:
        self.sessions = sessions
        self.adapter = adapter
        self.settings = settings
        self.payers = PayerService(adapter)
        self.inbox = PayerFileInbox(sessions, partial(retry_delay, settings))
        self.appeals = AppealDecisions(sessions, adapter)

    async def send_due(self, tenant_id: str | None = None) -> OutboxResult:
        """Send every due submission once: every tenant's, or only `tenant_id`'s."""
        outcomes: list[tuple[_Leased, str | None]] = []
        for leased in await self._lease_due_jobs(tenant_id):
            error: str | None
            try:
                await self.adapter.submit(leased.interchange)
            except PayerUnavailable:
                error = "payer unavailable"
            except Exception as exc:  # noqa: BLE001 - any adapter failure is retried later
                error = f"adapter error: {type(exc).__name__}"
            else:
                error = None
            outcomes.append((leased, error))
            if error is not None:
                logger.warning("payer submission will be retried",
                               extra={"job_id": leased.job_id, "attempt": leased.attempts,
                                      "error_type": error})
        if outcomes:
            await self._record_outcomes(outcomes)
        retrying = sum(1 for _, error in outcomes if error is not None)
        return OutboxResult(sent=len(outcomes) - retrying, retrying=retrying)

    async def poll(self) -> PollResult:
        """Fetch the files the payer has for billing, keep them, acknowledge them to the
        payer, then apply every kept file that is due (these, and earlier ones to apply
        again); `received` and `applied` count claims (acknowledged or paid), not files. A
        worker that stops before the acknowledgment is offered the same files again: kept
        once, by content."""
        files = await self.adapter.fetch_responses()
        await self.inbox.keep([file.content for file in files])
        if files:
            await self.adapter.acknowledge([file.file_id for file in files])
        received, applied = await self.inbox.apply_due()
        # After the payments: an overturned appeal's 835 came in this round's files.
        await self.appeals.collect_once()
        return PollResult(files=len(files), received=received, applied=applied)

    async def process_until_idle(self, tenant_id: str, max_rounds: int = 20) -> ProcessResult:
        """Send the tenant's queued submissions and poll the payer until a round finds
        nothing to do (or max_rounds is reached). The payer has one mailbox for every
        tenant: what it answers is applied to whichever claims it concerns, as the
        background worker would, but the counts are the tenant's alone."""
        sent = retrying = rounds = 0
        async with self.sessions() as session:
            before = await SubmissionRepository(session).last_claim_event_id()
        while rounds < max_rounds:
            rounds += 1
            outbox = await self.send_due(tenant_id)
            poll = await self.poll()
            sent += outbox.sent
            retrying += outbox.retrying
            if outbox.sent == 0 and outbox.retrying == 0 and poll.files == 0:
                break
        async with self.sessions() as session:
            jobs = SubmissionRepository(session)
            applied = await jobs.payer_events_since(tenant_id, before)
            pending = await jobs.pending_job_count(tenant_id)
        return ProcessResult(rounds=rounds, sent=sent, retrying=retrying,
                             responses_applied=applied, pending_jobs=pending)

    async def _lease_due_jobs(self, tenant_id: str | None) -> list[_Leased]:
        """A lease on each due job and its 837P, in one transaction: the jobs, their claims
        and coverages each read in one statement, the new interchanges written together."""
        now = utcnow()
        leased = []
        async with self.sessions() as session, session.begin():
            jobs = SubmissionRepository(session)
            due = await jobs.due_jobs(now, BATCH, tenant_id)
            if not due:
                return []
            for job in due:
                job.attempts += 1
                job.next_attempt_at = now + LEASE
            claims = await locked_claims_of(session, due)
            coverages = await jobs.coverages_of(claims.values())
            by_tenant: dict[str, list[tuple[PayerJob, Claim, Coverage]]] = {}
            for job in due:
                claim = claims.get(job.claim_id)
                coverage = (coverages.get((claim.tenant_id, claim.coverage_id))
                            if claim else None)
                if claim is None or coverage is None:  # pragma: no cover - foreign keys keep both
                    job.status = "failed"
                    job.last_error = "claim or coverage missing"
                    continue
                by_tenant.setdefault(job.tenant_id, []).append((job, claim, coverage))
            names = await self.payers.names() if by_tenant else {}
            for tenant, submissions in by_tenant.items():
                interchanges = InterchangeService(session, tenant, payers=self.payers,
                                                  config=self.settings.x12)
                texts = await interchanges.for_submissions(submissions, names)
                for (job, _, _), text in zip(submissions, texts, strict=True):
                    if isinstance(text, ProblemError):
                        # Changed since the scrubber passed it (a registration edited): never
                        # sendable as it is, so it waits for a person rather than for a retry.
                        job.status = "failed"
                        job.last_error = text.detail[:200]
                        continue
                    leased.append(_Leased(job.id, job.attempts, text))
        return leased

    async def _record_outcomes(self, outcomes: list[tuple[_Leased, str | None]]) -> None:
        """Each job sent, or to be tried again, in one transaction."""
        by_job = {leased.job_id: (leased, error) for leased, error in outcomes}
        async with self.sessions() as session, session.begin():
            now = utcnow()
            for job in await SubmissionRepository(session).jobs(list(by_job)):
                leased, error = by_job[job.id]
                if error is None:
                    job.status = "sent"
                    job.sent_at = now
                    job.last_error = None
                else:
                    job.next_attempt_at = now + retry_delay(self.settings, leased.attempts)
                    job.last_error = error
