"""POST /v1/claims/{id}/status-inquiries: a real 276 through the payer adapter; the mock
payer's 277 says where the claim really is (not found, received, pending, paid, denied); the
payer worker asks by itself about claims left unanswered; the worklist shows the answer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from sqlalchemy import update
from x12_independent import assert_valid

from billing_service.main import payer_conversation, status_inquiry_worker
from billing_service.models.claim import Claim
from billing_service.x12.status import read_276, read_277
from rcm_shared.db import utcnow

CLINIC_B = {"Authorization": "Bearer demo-key-clinic-b"}


def line(code: str, charge: str) -> dict[str, Any]:
    return {"procedure_code": code, "modifiers": [], "units": 1, "charge": charge,
            "diagnosis_pointers": [1]}


async def inquire(billing: Any, claim_id: str, expected: int = 201) -> dict[str, Any]:
    response = await billing.http.post(f"/v1/claims/{claim_id}/status-inquiries")
    assert response.status_code == expected, response.text
    return response.json()


def stc(inquiry: dict[str, Any]) -> str:
    return f"{inquiry['status']['category']}:{inquiry['status']['status_code']}"


async def test_the_answer_follows_the_claim_at_the_payer(app: FastAPI, billing: Any) -> None:
    claim = await billing.covered_claim(lines=[line("99213", "150.00")])
    assert (await inquire(billing, claim["id"], expected=409))["detail"].startswith(
        "The claim is 'ready'")
    await billing.act(claim["id"], "submit")
    # Still in billing's outbox: the payer never got it.
    not_found = await inquire(billing, claim["id"])
    assert stc(not_found) == "A4:35"
    assert not_found["status"]["category_description"] == "not found at the payer"
    await payer_conversation(app.state).send_due("clinic-a")
    received = await inquire(billing, claim["id"])
    assert stc(received) == "A1:19"
    # One turn of the payer's day: acknowledged, not adjudicated yet.
    assert (await billing.http.post("/v1/admin/process", params={"max_rounds": 1})
            ).status_code == 200
    pending = await inquire(billing, claim["id"])
    assert stc(pending) == "P1:20"
    accepted = await billing.get(f"/v1/claims/{claim['id']}")
    assert pending["status"]["payer_claim_control_number"] == \
        accepted["payer_claim_control_number"]
    await billing.process()
    claim_now = await billing.get(f"/v1/claims/{claim['id']}")
    assert claim_now["status"] == "paid"
    finalized = await inquire(billing, claim["id"])
    assert stc(finalized) == "F1:65"
    assert finalized["status"]["paid"] == claim_now["paid_amount"]
    assert finalized["status"]["adjudicated_on"] is not None
    asked = read_276(finalized["inquiry"])
    assert asked.patient_control_number == claim_now["patient_control_number"]
    assert asked.payer_claim_control_number == claim_now["payer_claim_control_number"]
    assert read_277(finalized["answer"]).paid is not None
    assert_valid(*[text for inquiry in (not_found, received, pending, finalized)
                   for text in (inquiry["inquiry"], inquiry["answer"])])


async def test_a_denied_claim_is_finalized_denied(billing: Any) -> None:
    claim = await billing.covered_claim(lines=[line("97810", "80.00")])
    assert (await billing.submitted_and_processed(claim["id"]))["status"] == "denied"
    denied = await inquire(billing, claim["id"])
    assert stc(denied) == "F2:1"
    assert denied["status"]["paid"] == "0.00"
    assert_valid(denied["inquiry"], denied["answer"])


async def test_unknown_claims_and_other_tenants(billing: Any) -> None:
    claim = await billing.covered_claim()
    await billing.act(claim["id"], "submit")
    other = await billing.http.post(f"/v1/claims/{claim['id']}/status-inquiries",
                                    headers=CLINIC_B)
    assert other.status_code == 404
    assert other.headers["content-type"] == "application/problem+json"
    missing = await billing.http.post(
        "/v1/claims/00000000-0000-0000-0000-000000000000/status-inquiries")
    assert missing.status_code == 404


async def test_the_worker_asks_about_an_unanswered_claim_and_the_worklist_shows_it(
        app: FastAPI, billing: Any) -> None:
    claim = await billing.covered_claim(lines=[line("99213", "150.00")])
    await billing.act(claim["id"], "submit")
    await payer_conversation(app.state).send_due("clinic-a")
    # Sent long ago and still unanswered.
    async with app.state.sessionmaker() as session, session.begin():
        await session.execute(update(Claim).where(Claim.id == claim["id"]).values(
            last_submitted_at=utcnow() - timedelta(days=40)))
    assert await status_inquiry_worker(app.state).inquire_unanswered_once() >= 1
    # Asked within STATUS_INQUIRY_AFTER_DAYS: not asked again.
    assert await status_inquiry_worker(app.state).inquire_unanswered_once() == 0
    worklist = await billing.get("/v1/worklist?limit=200")
    [item] = [i for i in worklist["items"] if i["claim_id"] == claim["id"]]
    assert item["kind"] == "unanswered"
    assert item["status_inquiry"]["sent_by"] == "system"
    assert (item["status_inquiry"]["category"], item["status_inquiry"]["status_code"]) == \
        ("A1", "19")
    assert "received by the payer" in item["status_inquiry"]["description"]
