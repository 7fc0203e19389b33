"""The payer conversation under faults: a payer that times out after taking the claim, a
worker that dies between sending and recording, and one that dies between being handed the
payer's files and keeping them. Each time the payer ends with one claim and billing posts one
remittance."""

from __future__ import annotations

from datetime import timedelta

import pytest
from billing_workers import RecordingPayer, WorkerKilled, worker_state
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from billing_service.main import payer_conversation
from billing_service.models import PayerFile, PayerJob
from billing_service.submissions import service as submissions
from billing_service.submissions.service import LEASE
from mockpayer.adapter import MockPayerAdapter
from mockpayer.config import MockPayerConfig
from mockpayer.models import MockPayerClaim, MockPayerSubmission
from mockpayer.payer import MockPayer
from rcm_shared.db import utcnow

PayerSessions = async_sessionmaker[AsyncSession]


async def job_of(app: FastAPI, submission_id: str) -> PayerJob:
    async with app.state.sessionmaker() as session:
        job = await session.scalar(select(PayerJob).where(PayerJob.submission_id == submission_id))
        assert job is not None
        return job


async def payer_records(payer_sessions: PayerSessions, submission_id: str) -> tuple[int, int]:
    """How many submissions and accepted claims the payer holds for the submission id."""
    async with payer_sessions() as session:
        received = await session.scalar(
            select(func.count()).select_from(MockPayerSubmission)
            .where(MockPayerSubmission.submission_id == submission_id))
        accepted = await session.scalar(
            select(func.count()).select_from(MockPayerClaim)
            .join(MockPayerSubmission, MockPayerSubmission.id == MockPayerClaim.submission_row_id)
            .where(MockPayerSubmission.submission_id == submission_id))
        return received or 0, accepted or 0


async def assert_paid_once(billing, claim_id: str) -> None:
    done = await billing.get(f"/v1/claims/{claim_id}")
    assert done["status"] == "paid"
    history = (await billing.get(f"/v1/claims/{claim_id}/events"))["items"]
    actions = [e["action"] for e in history]
    assert actions == ["create", "submit", "acknowledge", "adjudicate"]
    remittance = await billing.get(f"/v1/claims/{claim_id}/remittance")
    assert len(remittance["remittances"]) == 1
    assert remittance["totals"]["paid"] == done["paid_amount"]


async def test_payer_timing_out_after_taking_the_claim_then_the_retry_makes_one_claim(
    app: FastAPI, billing, payer_sessions: PayerSessions
) -> None:
    claim = await billing.covered_claim()
    await billing.act(claim["id"], "submit")
    submission_id = (await billing.get(f"/v1/claims/{claim['id']}/events"))["items"][-1]["data"][
        "submission_id"]
    # The mock payer's own fault: it records the file, then never answers.
    timing_out = RecordingPayer(MockPayerAdapter(MockPayer(
        payer_sessions, MockPayerConfig(submit_timeout_rate=1.0))))
    await payer_conversation(worker_state(app, timing_out)).send_due()

    job = await job_of(app, submission_id)
    assert (job.status, job.attempts, job.last_error) == ("pending", 1, "payer unavailable")
    assert await payer_records(payer_sessions, submission_id) == (1, 0)

    # The payer answers again; the retry sends the same file.
    answering = RecordingPayer(app.state.payer_adapter)
    await payer_conversation(worker_state(app, answering)).send_due()
    job = await job_of(app, submission_id)
    assert (job.status, job.attempts) == ("sent", 2)
    [first] = [t for t in timing_out.sent if submission_id in t]
    [retry] = [t for t in answering.sent if submission_id in t]
    assert retry == first

    await billing.process()
    assert await payer_records(payer_sessions, submission_id) == (1, 1)
    await assert_paid_once(billing, claim["id"])


async def test_worker_killed_between_sending_and_recording_resends_the_same_file_once(
    app: FastAPI, billing, payer_sessions: PayerSessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    claim = await billing.covered_claim()
    await billing.act(claim["id"], "submit")
    submission_id = (await billing.get(f"/v1/claims/{claim['id']}/events"))["items"][-1]["data"][
        "submission_id"]
    dying = RecordingPayer(app.state.payer_adapter, die_after_sending=submission_id)
    with pytest.raises(WorkerKilled):
        await payer_conversation(worker_state(app, dying)).send_due()

    # The payer has the claim; billing never recorded the send: the job is still leased.
    job = await job_of(app, submission_id)
    assert (job.status, job.attempts, job.sent_at) == ("pending", 1, None)
    assert await payer_records(payer_sessions, submission_id) == (1, 0)

    # The worker restarts; once the dead worker's lease has run out, the job is due again.
    later = utcnow() + LEASE + timedelta(seconds=1)
    monkeypatch.setattr(submissions, "utcnow", lambda: later)
    restarted = RecordingPayer(app.state.payer_adapter)
    await payer_conversation(worker_state(app, restarted)).send_due()
    monkeypatch.undo()

    job = await job_of(app, submission_id)
    assert (job.status, job.attempts) == ("sent", 2)
    [before] = [t for t in dying.sent if submission_id in t]
    [after] = [t for t in restarted.sent if submission_id in t]
    # The same interchange: same control number, same submission id in REF*D9.
    assert after == before
    assert await payer_records(payer_sessions, submission_id) == (1, 0)

    await billing.process()
    assert await payer_records(payer_sessions, submission_id) == (1, 1)
    await assert_paid_once(billing, claim["id"])


async def kept_files(app: FastAPI) -> set[str]:
    async with app.state.sessionmaker() as session:
        return set(await session.scalars(select(PayerFile.content)))


async def test_worker_killed_between_fetching_and_keeping_the_payers_files_loses_none(
    app: FastAPI, billing
) -> None:
    claim = await billing.covered_claim()
    await billing.act(claim["id"], "submit")
    await payer_conversation(worker_state(app, RecordingPayer(app.state.payer_adapter))).send_due()
    kept_before = await kept_files(app)
    dying = RecordingPayer(app.state.payer_adapter, die_after_fetching=True)
    with pytest.raises(WorkerKilled):
        await payer_conversation(worker_state(app, dying)).poll()
    assert any(claim["patient_control_number"] in text for text in dying.received)
    assert await kept_files(app) == kept_before
    assert (await billing.get(f"/v1/claims/{claim['id']}"))["status"] == "submitted"

    # Never acknowledged, the payer offers the same files again to the restarted worker.
    restarted = RecordingPayer(app.state.payer_adapter)
    await payer_conversation(worker_state(app, restarted)).poll()
    assert set(dying.received) <= set(restarted.received)
    assert set(dying.received) <= await kept_files(app)
    await billing.process()
    await assert_paid_once(billing, claim["id"])
    # Kept once, acknowledged once: offered no more.
    assert await app.state.payer_adapter.fetch_responses() == []
