"""Big 835 uploads: read and checked whole, posted a chunk of claim payments per transaction
so another tenant's writes get in between, one log line per file, a size cap, and a post that
failed half-way finishing on retry without posting any payment twice."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from billing_835 import envelope, one_line_claim, payment
from fastapi import FastAPI
from sqlalchemy import func, select

from billing_service.models.claim import RemittancePosting
from billing_service.remittances import service

X12 = {"Content-Type": "application/edi-x12"}
CLINIC_B = {"Authorization": "Bearer demo-key-clinic-b"}
UNMATCHED = 2_000


@pytest.fixture
def chunks_of(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    def configure(claims: int) -> None:
        # The app's state as a dict: Starlette's State hides its attributes from monkeypatch.
        monkeypatch.setitem(app.state._state, "settings", app.state.settings.model_copy(
            update={"remittance_chunk_claims": claims, "remittance_chunk_pause_seconds": 0}))
    yield configure


def paid_in_full(pcn: str, payer_claim: str) -> list[str]:
    return one_line_claim(pcn, payer_claim, billed="150.00", paid="100.00",
                          adjustments=[("CO", "45", "50.00")])


def unknown(number: int) -> list[str]:
    return one_line_claim(f"NOSUCH{number:014d}", f"X{number}", billed="80.00", paid="50.00",
                          adjustments=[("CO", "45", "30.00")])


def remittance(trace: str, *claims: list[str]) -> str:
    total = Decimal("100.00") * sum(1 for c in claims if not c[0].startswith("CLP*NOSUCH")) \
        + Decimal("50.00") * sum(1 for c in claims if c[0].startswith("CLP*NOSUCH"))
    return envelope(int(uuid.uuid4().int % 10**8) + 1,
                    *payment(f"{total:.2f}", trace, None, *claims))


async def submitted(billing: Any, count: int) -> list[dict[str, Any]]:
    return [await billing.act((await billing.covered_claim())["id"], "submit")
            for _ in range(count)]


async def postings_of(app: FastAPI, claim_ids: list[str]) -> dict[str, int]:
    async with app.state.sessionmaker() as session:
        rows = await session.execute(
            select(RemittancePosting.claim_id, func.count())
            .where(RemittancePosting.claim_id.in_(claim_ids))
            .group_by(RemittancePosting.claim_id))
        return {claim_id: count for claim_id, count in rows}


async def test_thousands_of_unmatched_claim_payments_post_with_one_log_line(
    app: FastAPI, billing: Any, client: httpx.AsyncClient, chunks_of: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    chunks_of(300)
    first, last = await submitted(billing, 2)
    text = remittance(
        f"BIG{uuid.uuid4().hex[:8]}",
        paid_in_full(first["patient_control_number"], "ACMEBIG1"),
        *(unknown(number) for number in range(UNMATCHED)),
        paid_in_full(last["patient_control_number"], "ACMEBIG2"),
    )
    with caplog.at_level(logging.DEBUG, logger="billing"):
        response = await client.post("/v1/remittances", content=text, headers=X12)
    assert response.status_code == 200, response.text[:500]
    result = response.json()
    assert (result["posted"], result["ignored"], result["refused"]) == (2, 0, UNMATCHED)
    outcomes = [c["outcome"] for c in result["payments"][0]["claims"]]
    assert outcomes == ["posted", *["refused"] * UNMATCHED, "posted"]
    for claim in (first, last):
        posted = await billing.get(f"/v1/claims/{claim['id']}")
        assert (posted["status"], posted["paid_amount"], posted["adjustment_amount"]) == (
            "paid", "100.00", "50.00")

    # Every line written besides one access line per request.
    [summary] = [r for r in caplog.records if r.name != "rcm.access"]
    assert (summary.event, summary.claim_payments, summary.matched, summary.unmatched,
            summary.posted, summary.ignored, summary.refused, summary.posted_paid) == (
        "remittance_file", UNMATCHED + 2, 2, UNMATCHED, 2, 0, UNMATCHED, "200.00")
    # Counts and amounts only: no patient control number, name or member id.
    assert "NOSUCH" not in summary.getMessage() and "SILVA" not in summary.getMessage()
    assert first["patient_control_number"] not in summary.getMessage()


async def test_another_tenants_write_gets_in_between_two_chunks(
    billing: Any, client: httpx.AsyncClient, chunks_of: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    chunks_of(2)
    claims = await submitted(billing, 5)
    answers: list[int] = []

    async def other_tenant_writes(seconds: float) -> None:
        # Would wait for SQLite's write lock until its timeout if the upload held it.
        coverage = await client.post("/v1/coverages", headers=CLINIC_B, json={
            "patient_id": f"MRN-B-{uuid.uuid4().hex[:6]}", "payer_id": "MOCK-PPO",
            "member_id": f"W{uuid.uuid4().int % 10**9:09d}", "relationship": "self",
            "subscriber": {"first_name": "Bo", "last_name": "Lind", "birth_date": "1970-01-01",
                           "sex": "M"},
            "effective_from": "2020-01-01"})
        answers.append(coverage.status_code)

    monkeypatch.setattr(service, "pause_between_chunks", other_tenant_writes)
    text = remittance(f"MID{uuid.uuid4().hex[:8]}", *(
        paid_in_full(claim["patient_control_number"], f"ACMEMID{n}")
        for n, claim in enumerate(claims)))
    response = await client.post("/v1/remittances", content=text, headers=X12)
    assert response.status_code == 200, response.text
    assert response.json()["posted"] == 5
    # Five claim payments in chunks of two: three chunks, two boundaries, a write at each.
    assert answers == [201, 201]


async def test_a_post_failed_half_way_finishes_on_retry_posting_each_payment_once(
    app: FastAPI, billing: Any, client: httpx.AsyncClient, chunks_of: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chunks_of(2)
    claims = await submitted(billing, 4)
    ids = [claim["id"] for claim in claims]
    text = remittance(f"CUT{uuid.uuid4().hex[:8]}", *(
        paid_in_full(claim["patient_control_number"], f"ACMECUT{n}")
        for n, claim in enumerate(claims)))
    headers = {**X12, "Idempotency-Key": str(uuid.uuid4())}

    async def crash(seconds: float) -> None:
        raise RuntimeError("the process died between two chunks")

    monkeypatch.setattr(service, "pause_between_chunks", crash)
    with pytest.raises(RuntimeError):
        await client.post("/v1/remittances", content=text, headers=headers)
    # The first chunk was committed; nothing after it.
    assert await postings_of(app, ids) == {ids[0]: 1, ids[1]: 1}

    monkeypatch.undo()
    chunks_of(2)
    retried = await client.post("/v1/remittances", content=text, headers=headers)
    assert retried.status_code == 200, retried.text
    body = retried.json()
    assert (body["previously_received"], body["posted"], body["ignored"]) == (False, 2, 2)
    assert [(c["outcome"], c["reason"].split(" (")[0])
            for c in body["payments"][0]["claims"]] == [
        ("ignored", "Already posted"), ("ignored", "Already posted"),
        ("posted", "Posted as paid"), ("posted", "Posted as paid")]
    assert await postings_of(app, ids) == {claim_id: 1 for claim_id in ids}
    for claim_id in ids:
        assert (await billing.get(f"/v1/claims/{claim_id}"))["paid_amount"] == "100.00"

    # The key now holds the answer: the same request again replays it and posts nothing.
    again = await client.post("/v1/remittances", content=text, headers=headers)
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.json() == body
    # Without the key, the file is known by its hash and every payment by its trace number.
    plain = (await client.post("/v1/remittances", content=text, headers=X12)).json()
    assert (plain["previously_received"], plain["posted"], plain["ignored"]) == (True, 0, 4)
    assert await postings_of(app, ids) == {claim_id: 1 for claim_id in ids}


async def test_a_file_over_the_limit_is_refused_naming_it(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    limit = app.state.settings.remittance_max_bytes
    response = await client.post("/v1/remittances", content=b"A" * (limit + 1), headers=X12)
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    assert str(limit) in response.json()["detail"]
    # Larger than other bodies may be (MAX_BODY_BYTES), still read: here, as no 835.
    bigger = await client.post("/v1/remittances", content=b"A" * (2 * 1_048_576), headers=X12)
    assert bigger.status_code == 422
