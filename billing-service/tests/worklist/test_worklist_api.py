"""GET /v1/worklist: unanswered claims past the configured days, and aging of open balances."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import update

from billing_service.models.claim import Claim
from rcm_shared.db import utcnow


def buckets(worklist: dict[str, Any]) -> dict[str, tuple[int, str]]:
    return {b["label"]: (b["count"], b["amount"]) for b in worklist["aging"]["buckets"]}


async def test_claims_waiting_past_the_limit_are_listed_as_unanswered(app, billing) -> None:
    waiting = await billing.covered_claim()
    fresh = await billing.covered_claim()
    await billing.act(waiting["id"], "submit")
    await billing.act(fresh["id"], "submit")
    async with app.state.sessionmaker() as session, session.begin():
        await session.execute(update(Claim).where(Claim.id == waiting["id"])
                              .values(last_submitted_at=utcnow() - timedelta(days=31)))
    worklist = await billing.get("/v1/worklist")
    assert worklist["unanswered_after_days"] == 30
    by_claim = {i["claim_id"]: i for i in worklist["items"]}
    assert fresh["id"] not in by_claim
    item = by_claim[waiting["id"]]
    assert (item["kind"], item["status"], item["days_waiting"]) == ("unanswered", "submitted", 31)
    assert item["reason"] == "No acknowledgment 31 days after submission"
    await billing.process()


async def test_open_balances_age_by_date_of_service(billing) -> None:
    before = buckets(await billing.get("/v1/worklist"))
    today = date.today()
    for days, charge in ((3, "100.00"), (45, "200.50"), (75, "0.25"), (200, "99.99")):
        await billing.covered_claim(date_of_service=today - timedelta(days=days), lines=[
            {"procedure_code": "99213", "units": 1, "charge": charge,
             "diagnosis_pointers": [1]}])
    after = await billing.get("/v1/worklist")
    assert "date of service" in after["aging"]["basis"]
    grown = {label: (after_count - before[label][0],
                     f"{float(after_amount) - float(before[label][1]):.2f}")
             for label, (after_count, after_amount) in buckets(after).items()}
    assert grown == {"0-30": (1, "100.00"), "31-60": (1, "200.50"), "61-90": (1, "0.25"),
                     "90+": (1, "99.99")}


async def test_the_items_come_in_pages_and_the_aging_covers_them_all(app, billing) -> None:
    claims = [await billing.covered_claim() for _ in range(3)]
    for claim in claims:
        await billing.act(claim["id"], "submit")
    async with app.state.sessionmaker() as session, session.begin():
        await session.execute(update(Claim).where(Claim.id.in_([c["id"] for c in claims]))
                              .values(last_submitted_at=utcnow() - timedelta(days=40)))
    whole = await billing.get("/v1/worklist?limit=200")
    assert whole["next_cursor"] is None
    paged, cursor = [], None
    while True:
        page = await billing.get("/v1/worklist?limit=1" + (f"&cursor={cursor}" if cursor else ""))
        assert len(page["items"]) <= 1
        assert page["aging"] == whole["aging"]
        paged += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert paged == whole["items"]
    assert {c["id"] for c in claims} <= {i["claim_id"] for i in paged}
    await billing.process()
