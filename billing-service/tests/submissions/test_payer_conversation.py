"""The outbox and the posting of payer responses: retries reuse the submission id, responses
delivered twice change nothing, responses for nobody are ignored."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select
from starlette.datastructures import State

from billing_service.models.claim import PayerJob
from billing_service.payers.adapter import (
    Acknowledgment,
    Adjustment,
    ClaimForPayer,
    LineRemittance,
    PayerUnavailable,
    Remittance,
    SubmissionReceipt,
)
from billing_service.submissions.posting import apply_response
from billing_service.submissions.service import run_outbox_once
from rcm_shared.auth import ApiKeyRecord, ApiKeyRegistry, demo_api_keys, hash_key


class Flaky:
    """The real adapter behind a payer that fails the first calls of submit()."""

    def __init__(self, real: Any, failures: list[str]) -> None:
        self.real = real
        self.failures = failures  # "before": a 5xx, "after": a timeout once the payer has it
        self.seen: list[str] = []

    async def submit(self, claim: ClaimForPayer) -> SubmissionReceipt:
        self.seen.append(claim.submission_id)
        failure = self.failures.pop(0) if self.failures else None
        if failure == "before":
            raise PayerUnavailable("503")
        receipt = await self.real.submit(claim)
        if failure == "after":
            raise PayerUnavailable("timeout")
        return receipt

    async def fetch_responses(self) -> list[Any]:
        return await self.real.fetch_responses()

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
    claim = await billing.covered_claim()
    await billing.act(claim["id"], "submit")
    flaky = Flaky(app.state.payer_adapter, ["before", "after"])
    state = state_with(app, flaky)

    first = await run_outbox_once(state)
    second = await run_outbox_once(state)
    third = await run_outbox_once(state)
    assert (first.sent, first.retrying) == (0, 1)
    assert (second.sent, second.retrying) == (0, 1)
    assert (third.sent, third.retrying) == (1, 0)
    assert len(set(flaky.seen)) == 1  # every attempt carried the same submission id
    [job] = await jobs_of(app, claim["id"])
    assert (job.status, job.attempts, job.last_error) == ("sent", 3, None)

    await billing.process()
    done = await billing.get(f"/v1/claims/{claim['id']}")
    assert done["status"] == "paid"
    history = await billing.get(f"/v1/claims/{claim['id']}/events")
    assert [e["action"] for e in history].count("acknowledge") == 1
    assert [e["action"] for e in history].count("adjudicate") == 1


async def test_a_job_not_sent_stays_pending_for_the_next_round(app, billing) -> None:
    claim = await billing.covered_claim()
    await billing.act(claim["id"], "submit")
    result = await run_outbox_once(state_with(app, Flaky(app.state.payer_adapter, ["before"])))
    assert result.retrying == 1
    [job] = await jobs_of(app, claim["id"])
    assert (job.status, job.last_error) == ("pending", "payer unavailable")
    processed = await billing.process()
    assert processed["sent"] == 1
    assert (await billing.get(f"/v1/claims/{claim['id']}"))["status"] == "paid"


async def test_remittance_delivered_twice_is_posted_once(app, billing) -> None:
    claim = await billing.covered_claim()
    done = await billing.submitted_and_processed(claim["id"])
    posted = (await billing.get(f"/v1/claims/{claim['id']}/remittance"))["remittances"][0]
    duplicate = Remittance(
        patient_control_number=done["patient_control_number"],
        payer_claim_control_number=done["payer_claim_control_number"],
        status="paid", billed=Decimal("150.00"), paid=Decimal("0.00"),
        patient_responsibility=Decimal("118.30"),
        lines=(LineRemittance(1, "99213", Decimal("150.00"), Decimal("118.30"), Decimal("0.00"),
                              (Adjustment("CO", "45", Decimal("31.70")),
                               Adjustment("PR", "1", Decimal("118.30")))),),
        remittance_id=posted["trace_number"],
    )
    async with app.state.sessionmaker() as session, session.begin():
        assert await apply_response(session, duplicate) is False
    after = await billing.get(f"/v1/claims/{claim['id']}")
    assert (after["patient_responsibility"], after["version"]) == ("118.30", done["version"])
    assert len((await billing.get(f"/v1/claims/{claim['id']}/remittance"))["remittances"]) == 1


async def test_stale_or_unknown_acknowledgments_change_nothing(app, billing) -> None:
    claim = await billing.covered_claim()
    submitted = await billing.act(claim["id"], "submit")
    stale = Acknowledgment(submitted["patient_control_number"], "an-older-submission",
                           "rejected", None, (("A7:562", "Subscriber not found"),))
    nobody = Acknowledgment("NOSUCHCLAIM000000000", "nobody", "accepted", "PPO1")
    async with app.state.sessionmaker() as session, session.begin():
        assert await apply_response(session, stale) is False
        assert await apply_response(session, nobody) is False
    still = await billing.get(f"/v1/claims/{claim['id']}")
    assert (still["status"], still["version"]) == ("submitted", submitted["version"])
    await billing.process()


async def test_remittance_without_acknowledgment_implies_acceptance(app, billing) -> None:
    claim = await billing.covered_claim()
    submitted = await billing.act(claim["id"], "submit")
    remittance = Remittance(
        patient_control_number=submitted["patient_control_number"],
        payer_claim_control_number="PPO-IMPLIED-1",
        status="denied", billed=Decimal("150.00"), paid=Decimal("0.00"),
        patient_responsibility=Decimal("0.00"),
        lines=(LineRemittance(1, "99213", Decimal("150.00"), Decimal("0.00"), Decimal("0.00"),
                              (Adjustment("CO", "29", Decimal("150.00")),)),),
        remittance_id="TRACE-IMPLIED-1",
    )
    async with app.state.sessionmaker() as session, session.begin():
        assert await apply_response(session, remittance) is True
    denied = await billing.get(f"/v1/claims/{claim['id']}")
    assert (denied["status"], denied["payer_claim_control_number"]) == ("denied",
                                                                         "PPO-IMPLIED-1")
    history = await billing.get(f"/v1/claims/{claim['id']}/events")
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
