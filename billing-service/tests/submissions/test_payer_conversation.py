"""The outbox and the posting of payer responses: retries send the same 837P, files
delivered twice change nothing, responses for nobody are ignored."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from payer_files import denial_835
from sqlalchemy import select
from starlette.datastructures import State

from billing_service.config import Settings
from billing_service.inbox.acknowledgments import apply_acknowledgment
from billing_service.main import payer_conversation
from billing_service.models.claim import PayerJob
from billing_service.payers.adapter import (
    Acknowledgment,
    PayerUnavailable,
    ResponseFile,
    SubmissionReceipt,
)
from billing_service.submissions.service import retry_delay
from billing_service.x12.claim837 import read_837p
from billing_service.x12.remit835 import FUNCTIONAL_ID as REMITTANCE
from billing_service.x12.syntax import read_interchange
from rcm_shared.auth import ApiKeyRecord, ApiKeyRegistry, demo_api_keys, hash_key

X12 = {"Content-Type": "application/edi-x12"}


class Flaky:
    """The real adapter behind a payer that fails the first calls of submit(); it keeps
    every interchange sent and every file received."""

    def __init__(self, real: Any, failures: list[str]) -> None:
        self.real = real
        self.failures = failures  # "before": a 5xx, "after": a timeout once the payer has it
        self.seen: list[str] = []
        self.received: list[str] = []

    async def submit(self, interchange: str) -> SubmissionReceipt:
        self.seen.append(interchange)
        failure = self.failures.pop(0) if self.failures else None
        if failure == "before":
            raise PayerUnavailable("503")
        receipt: SubmissionReceipt = await self.real.submit(interchange)
        if failure == "after":
            raise PayerUnavailable("timeout")
        return receipt

    async def fetch_responses(self) -> list[ResponseFile]:
        files: list[ResponseFile] = await self.real.fetch_responses()
        self.received += [file.content for file in files]
        return files

    async def acknowledge(self, file_ids: Sequence[str]) -> None:
        await self.real.acknowledge(file_ids)

    async def payers(self) -> list[Any]:
        return await self.real.payers()


def state_with(app: FastAPI, adapter: Any) -> State:
    return State({"sessionmaker": app.state.sessionmaker, "settings": app.state.settings,
                  "payer_adapter": adapter})


async def jobs_of(app: FastAPI, claim_id: str) -> list[PayerJob]:
    async with app.state.sessionmaker() as session:
        return list(await session.scalars(
            select(PayerJob).where(PayerJob.claim_id == claim_id).order_by(PayerJob.id)))


async def test_submission_retried_after_failures_reaches_the_payer_once(app, billing) -> None:
    # What earlier tests left queued is sent first, so the rounds below count this claim.
    await payer_conversation(state_with(app, app.state.payer_adapter)).send_due()
    claim = await billing.covered_claim()
    await billing.act(claim["id"], "submit")
    flaky = Flaky(app.state.payer_adapter, ["before", "after"])
    state = state_with(app, flaky)

    first = await payer_conversation(state).send_due()
    second = await payer_conversation(state).send_due()
    third = await payer_conversation(state).send_due()
    assert (first.sent, first.retrying) == (0, 1)
    assert (second.sent, second.retrying) == (0, 1)
    assert (third.sent, third.retrying) == (1, 0)
    # Every attempt sent the same interchange: one control number, one submission id.
    assert len(set(flaky.seen)) == 1
    [sent] = read_837p(flaky.seen[0]).claims
    assert sent.claim.patient_control_number == claim["patient_control_number"]
    [job] = await jobs_of(app, claim["id"])
    assert (job.status, job.attempts, job.last_error) == ("sent", 3, None)

    await billing.process()
    done = await billing.get(f"/v1/claims/{claim['id']}")
    assert done["status"] == "paid"
    history = (await billing.get(f"/v1/claims/{claim['id']}/events"))["items"]
    assert [e["action"] for e in history].count("acknowledge") == 1
    assert [e["action"] for e in history].count("adjudicate") == 1


async def test_a_job_not_sent_stays_pending_for_the_next_round(app, billing) -> None:
    claim = await billing.covered_claim()
    await billing.act(claim["id"], "submit")
    flaky = Flaky(app.state.payer_adapter, ["before"])
    result = await payer_conversation(state_with(app, flaky)).send_due()
    assert result.retrying == 1
    [job] = await jobs_of(app, claim["id"])
    assert (job.status, job.last_error) == ("pending", "payer unavailable")
    processed = await billing.process()
    assert processed["sent"] == 1
    assert (await billing.get(f"/v1/claims/{claim['id']}"))["status"] == "paid"


async def test_remittance_delivered_twice_is_posted_once(app, billing, client) -> None:
    claim = await billing.covered_claim()
    await billing.act(claim["id"], "submit")
    payer = Flaky(app.state.payer_adapter, [])
    state = state_with(app, payer)
    await payer_conversation(state).send_due()
    for _ in range(2):
        await payer_conversation(state).poll()
    done = await billing.get(f"/v1/claims/{claim['id']}")
    assert done["status"] == "paid"
    [payment] = [text for text in payer.received
                 if read_interchange(text).groups[0].functional_id == REMITTANCE]

    again = await client.post("/v1/remittances", content=payment, headers=X12)
    assert again.status_code == 200, again.text
    [result] = again.json()["payments"][0]["claims"]
    assert (result["outcome"], result["claim_id"]) == ("ignored", claim["id"])
    assert result["reason"].startswith("Already posted")
    after = await billing.get(f"/v1/claims/{claim['id']}")
    assert (after["patient_responsibility"], after["version"]) == (
        done["patient_responsibility"], done["version"])
    assert len((await billing.get(f"/v1/claims/{claim['id']}/remittance"))["remittances"]) == 1


async def test_stale_or_unknown_acknowledgments_change_nothing(app, billing) -> None:
    claim = await billing.covered_claim()
    submitted = await billing.act(claim["id"], "submit")
    stale = Acknowledgment(submitted["patient_control_number"], "an-older-submission",
                           "rejected", None, (("A7:562", "Subscriber not found"),))
    nobody = Acknowledgment("NOSUCHCLAIM000000000", "nobody", "accepted", "PPO1")
    async with app.state.sessionmaker() as session, session.begin():
        assert await apply_acknowledgment(session, stale) is False
        assert await apply_acknowledgment(session, nobody) is False
    still = await billing.get(f"/v1/claims/{claim['id']}")
    assert (still["status"], still["version"]) == ("submitted", submitted["version"])
    await billing.process()


async def test_remittance_without_acknowledgment_implies_acceptance(app, billing, client) -> None:
    claim = await billing.covered_claim()
    submitted = await billing.act(claim["id"], "submit")
    posted = await client.post("/v1/remittances", headers=X12, content=denial_835(
        submitted["patient_control_number"], "PPO-IMPLIED-1", "TRACE-IMPLIED-1"))
    assert posted.status_code == 200, posted.text
    assert posted.json()["posted"] == 1
    denied = await billing.get(f"/v1/claims/{claim['id']}")
    assert (denied["status"], denied["payer_claim_control_number"]) == ("denied",
                                                                         "PPO-IMPLIED-1")
    history = (await billing.get(f"/v1/claims/{claim['id']}/events"))["items"]
    assert [(e["action"], e["to"]) for e in history][-2:] == [("acknowledge", "accepted"),
                                                              ("adjudicate", "denied")]
    assert history[-1]["reason"] == "Denied: CO-29: Filed after the payer's time limit"
    # The submission still queued reaches the payer; its answers, for another payer claim
    # number, no longer apply.
    await billing.process()
    after = await billing.get(f"/v1/claims/{claim['id']}")
    assert (after["status"], after["patient_responsibility"], after["adjustment_amount"]) == (
        "denied", "0.00", "150.00")
    assert len((await billing.get(f"/v1/claims/{claim['id']}/remittance"))["remittances"]) == 1


async def test_admin_process_needs_the_admin_scope(client, app) -> None:
    registry = app.state.api_keys
    app.state.api_keys = ApiKeyRegistry([
        *demo_api_keys(),
        ApiKeyRecord(key_sha256=hash_key("reader-key"), tenant_id="clinic-a",
                     scopes=["billing:read"]),
    ])
    try:
        response = await client.post("/v1/admin/process",
                                     headers={"Authorization": "Bearer reader-key"})
    finally:
        app.state.api_keys = registry
    assert response.status_code == 403


def test_a_failed_submission_waits_the_shared_backoff_doubled_capped_and_jittered() -> None:
    settings = Settings(payer_retry_base_seconds=10, payer_retry_max_seconds=60)
    for attempts, full in ((1, 10), (2, 20), (3, 40), (4, 60), (40, 60)):
        waits = {retry_delay(settings, attempts) for _ in range(30)}
        assert len(waits) > 1, "jittered, so failures together do not come back together"
        assert all(timedelta(seconds=full / 2) <= w <= timedelta(seconds=full) for w in waits)
