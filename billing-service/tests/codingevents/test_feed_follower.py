"""The feed follower: each configured tenant's GET /v1/events read from a cursor billing keeps,
every event consumed once, alone or alongside webhooks, by one replica or two."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from billing_events import CODING_TENANTS, deliver
from fastapi import FastAPI
from sqlalchemy import func, select

from billing_service.config import Settings
from billing_service.main import create_app, feed_follower
from billing_service.models import Claim, CodingEvent, CodingFeedCursor


async def claims_for(app: FastAPI, encounter_ids: list[str]) -> dict[str, int]:
    async with app.state.sessionmaker() as session:
        rows = (await session.execute(
            select(Claim.encounter_id, func.count()).where(Claim.encounter_id.in_(encounter_ids))
            .group_by(Claim.encounter_id))).all()
    return {encounter_id: count for encounter_id, count in rows}


async def stored_cursor(app: FastAPI, tenant_id: str) -> CodingFeedCursor | None:
    async with app.state.sessionmaker() as session:
        return await session.get(CodingFeedCursor, tenant_id)


async def caught_up(app: FastAPI) -> None:
    """Consume what earlier tests left in the feeds, so a test sees only its own events."""
    while (await feed_follower(app.state).follow_once()).events:
        pass


async def covered(billing, count: int) -> list[dict[str, Any]]:
    encounters = []
    for _ in range(count):
        encounter = billing.coding.add()
        await billing.coverage(encounter["patient"]["id"])
        encounters.append(encounter)
    return encounters


async def test_the_follower_builds_each_claim_once_and_keeps_its_place(events_app, billing
                                                                       ) -> None:
    await caught_up(events_app)
    encounters = await covered(billing, 3)
    ids = [e["encounter_id"] for e in encounters]

    first = await feed_follower(events_app.state).follow_once()
    assert (first.events, first.acted, first.failed_tenants) == (3, 3, [])
    assert await claims_for(events_app, ids) == dict.fromkeys(ids, 1)
    cursor = await stored_cursor(events_app, "clinic-a")
    assert cursor is not None
    assert (cursor.cursor, cursor.leased_until) == (billing.coding.last_event()["cursor"], None)

    # The next round asks for what came after the cursor: nothing.
    billing.coding.requests.clear()
    second = await feed_follower(events_app.state).follow_once()
    assert second.events == 0
    [read] = [r for r in billing.coding.requests if r.url.path == "/v1/events"
              and r.headers["authorization"] == "Bearer demo-key-clinic-a"]
    assert read.url.params["after"] == cursor.cursor
    listed = await billing.get("/v1/coding-events?limit=200")
    sources = {e["encounter_id"]: e["source"] for e in listed["items"]}
    assert [sources[i] for i in ids] == ["feed"] * 3


async def test_a_round_stopped_by_coding_service_resumes_from_the_same_event(
    events_app, billing
) -> None:
    await caught_up(events_app)
    encounters = await covered(billing, 2)
    ids = [e["encounter_id"] for e in encounters]
    # The feed answers, the first encounter's reads fail every attempt.
    stopped = await _follow_with_failing_reads(events_app, billing, ids[0])
    assert (stopped.events, stopped.failed_tenants) == (0, ["clinic-a"])
    assert await claims_for(events_app, ids) == {}
    cursor = await stored_cursor(events_app, "clinic-a")
    assert cursor is not None and cursor.last_error == "ProblemError"

    resumed = await feed_follower(events_app.state).follow_once()
    assert (resumed.events, resumed.acted) == (2, 2)
    assert await claims_for(events_app, ids) == dict.fromkeys(ids, 1)
    assert (await stored_cursor(events_app, "clinic-a")).last_error is None


async def _follow_with_failing_reads(app: FastAPI, billing, encounter_id: str):
    coding = billing.coding
    handle = coding.transport.handler

    def failing(request: httpx.Request) -> httpx.Response:
        if encounter_id in request.url.path:
            return httpx.Response(503, json={"detail": "down"})
        return handle(request)

    coding.transport.handler = failing
    try:
        return await feed_follower(app.state).follow_once()
    finally:
        coding.transport.handler = handle


async def test_webhook_and_feed_together_build_one_claim(events_app, events_client, billing
                                                         ) -> None:
    await caught_up(events_app)
    encounters = await covered(billing, 4)
    ids = [e["encounter_id"] for e in encounters]
    events = {e["encounter_id"]: e for e in billing.coding.feeds["clinic-a"]
              if e["encounter_id"] in ids}
    # The first two come by webhook before the follower reads them; the others by webhook
    # while it reads them, or after.
    for encounter_id in ids[:2]:
        assert (await deliver(events_client, events[encounter_id])).status_code == 200
    follow, *late = await asyncio.gather(
        feed_follower(events_app.state).follow_once(),
        *(deliver(events_client, events[encounter_id]) for encounter_id in ids[2:]))
    assert [r.status_code for r in late] == [200, 200]
    assert follow.events == 4
    assert await claims_for(events_app, ids) == dict.fromkeys(ids, 1)
    async with events_app.state.sessionmaker() as session:
        outcomes = (await session.scalars(
            select(CodingEvent.outcome).where(CodingEvent.encounter_id.in_(ids)))).all()
    assert sorted(outcomes) == ["created"] * 4


async def test_two_followers_consume_each_event_once(events_app, billing) -> None:
    await caught_up(events_app)
    encounters = await covered(billing, 5)
    ids = [e["encounter_id"] for e in encounters]
    results = await asyncio.gather(feed_follower(events_app.state).follow_once(),
                                   feed_follower(events_app.state).follow_once())
    assert sum(r.acted for r in results) == 5
    assert await claims_for(events_app, ids) == dict.fromkeys(ids, 1)


async def test_the_app_follows_the_feed_when_told_to(settings: Settings, coding) -> None:
    read = asyncio.Event()
    handle = coding.transport.handler

    def noting_feed_reads(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/events":
            read.set()
        return handle(request)

    transport = httpx.MockTransport(noting_feed_reads)
    app = create_app(settings.model_copy(update={
        "coding_tenants": CODING_TENANTS, "follow_coding_feed": True,
        "coding_feed_interval_seconds": 0.01}), coding_transport=transport)
    async with LifespanManager(app):
        await asyncio.wait_for(read.wait(), timeout=10)


def test_the_feed_is_not_followed_by_default() -> None:
    assert Settings.model_fields["follow_coding_feed"].default is False
