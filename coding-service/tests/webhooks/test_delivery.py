"""Webhook delivery: outbox rows with the change, signed sends, backoff, disabling, leases."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from coding_factories import CLINIC_A, CLINIC_B
from coding_flows import finalized_encounter
from fastapi import FastAPI
from standardwebhooks import Webhook

from coding_service.config import Settings
from coding_service.main import create_app
from coding_service.webhooks.delivery import DeliveryPolicy, RoundResult, deliver_due_once
from rcm_shared.db import utcnow

BOTH = ["encounter.finalized", "encounter.reopened"]
POLICY = DeliveryPolicy(timeout_seconds=2.0, retry_base_seconds=10.0, retry_max_seconds=3600.0,
                        max_consecutive_failures=5)


class Clock:
    def __init__(self) -> None:
        self.now = utcnow() + timedelta(seconds=1)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


Answer = int | Exception


class Consumer:
    """An HTTP endpoint answering from a script, then 200; it records what it received."""

    def __init__(self, *answers: Answer,
                 before_answer: Callable[[], Awaitable[None]] | None = None) -> None:
        self.answers = list(answers)
        self.received: list[httpx.Request] = []
        self.before_answer = before_answer
        self.http = httpx.AsyncClient(transport=httpx.MockTransport(self._handle))

    async def _handle(self, request: httpx.Request) -> httpx.Response:
        self.received.append(request)
        if self.before_answer is not None:
            await self.before_answer()
        answer = self.answers.pop(0) if self.answers else 200
        if isinstance(answer, Exception):
            raise answer
        return httpx.Response(answer, json={"ok": answer < 300})


async def subscribe(client: httpx.AsyncClient, events: list[str] = BOTH, *,
                    headers: dict[str, str] | None = None, name: str = "a") -> dict[str, Any]:
    response = await client.post("/v1/webhooks", headers=headers, json={
        "url": f"https://consumer.example.test/{name}", "events": events})
    assert response.status_code == 201, response.text
    return response.json()


async def deliveries(client: httpx.AsyncClient, webhook: dict[str, Any],
                     headers: dict[str, str] | None = None) -> list[dict[str, Any]]:
    response = await client.get(f"/v1/webhooks/{webhook['id']}/deliveries", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def run(app: FastAPI, consumer: Consumer, clock: Clock, *,
              policy: DeliveryPolicy = POLICY) -> RoundResult:
    return await deliver_due_once(app.state.sessionmaker, consumer.http, policy, clock=clock,
                                  jitter=lambda: 1.0)


async def test_a_change_enqueues_one_delivery_per_subscription_that_wants_it(client) -> None:
    finals = await subscribe(client, ["encounter.finalized"], name="finals")
    both = await subscribe(client, BOTH, name="both")
    reopens = await subscribe(client, ["encounter.reopened"], name="reopens")
    other_tenant = await subscribe(client, BOTH, headers=CLINIC_B, name="b")

    encounter = await finalized_encounter(client)
    assert [d["event_type"] for d in await deliveries(client, finals)] == ["encounter.finalized"]
    assert [d["event_type"] for d in await deliveries(client, both)] == ["encounter.finalized"]
    assert await deliveries(client, reopens) == []
    assert await deliveries(client, other_tenant, CLINIC_B) == []

    await client.post(f"/v1/encounters/{encounter['id']}/reopen")
    assert [d["event_type"] for d in await deliveries(client, both)] == [
        "encounter.reopened", "encounter.finalized"]
    assert [d["event_type"] for d in await deliveries(client, reopens)] == ["encounter.reopened"]
    pending = (await deliveries(client, both))[0]
    assert pending["status"] == "pending" and pending["attempts"] == 0
    assert pending["next_attempt_at"] is not None


async def test_a_delivery_is_the_feed_event_signed_with_the_secret(app, client) -> None:
    webhook = await subscribe(client)
    encounter = await finalized_encounter(client)
    consumer, clock = Consumer(), Clock()
    assert (await run(app, consumer, clock)).delivered == 1

    [request] = consumer.received
    assert str(request.url) == "https://consumer.example.test/a"
    assert request.headers["content-type"] == "application/json"
    # Standard Webhooks: any of the specification's libraries verifies it as it is.
    assert request.headers["webhook-id"] and request.headers["webhook-signature"].startswith("v1,")
    assert request.headers["webhook-timestamp"] == str(int(clock.now.timestamp()))
    body = Webhook(webhook["secret"]).verify(request.content, dict(request.headers))
    feed = (await client.get("/v1/events", params={"limit": 200})).json()["items"]
    [event] = [e for e in feed if e["encounter_id"] == encounter["id"]]
    assert body == {"id": request.headers["webhook-id"], "tenant_id": "clinic-a", **event}
    text = request.content.decode()
    patient = encounter["patient"]
    assert all(value not in text for value in (patient["id"], patient["first_name"],
                                               patient["last_name"], patient["birth_date"]))

    [delivered] = await deliveries(client, webhook)
    assert delivered["status"] == "delivered" and delivered["attempts"] == 1
    assert delivered["last_status_code"] == 200 and delivered["last_error"] is None
    assert delivered["event_id"] == body["id"] and delivered["next_attempt_at"] is None
    assert (await run(app, consumer, clock)).attempted == 0, "delivered once, not again"


async def test_failures_are_retried_with_exponential_backoff(app, client) -> None:
    webhook = await subscribe(client)
    await finalized_encounter(client)
    consumer, clock = Consumer(500, 503, httpx.ReadTimeout("slow")), Clock()

    for expected_wait, error in ((10, "HTTP 500"), (20, "HTTP 503"), (40, "timeout")):
        assert (await run(app, consumer, clock)).failed == 1
        [delivery] = await deliveries(client, webhook)
        assert delivery["status"] == "pending" and delivery["last_error"] == error
        waited = datetime.fromisoformat(delivery["next_attempt_at"]) - clock.now
        assert waited == timedelta(seconds=expected_wait)
        clock.advance(expected_wait - 1)
        assert (await run(app, consumer, clock)).attempted == 0, "not due yet"
        clock.advance(1)

    assert (await run(app, consumer, clock)).delivered == 1
    [delivery] = await deliveries(client, webhook)
    assert delivery["status"] == "delivered" and delivery["attempts"] == 4
    assert len(consumer.received) == 4
    assert len({r.headers["webhook-id"] for r in consumer.received}) == 1
    assert (await client.get(f"/v1/webhooks/{webhook['id']}")).json()[
        "consecutive_failures"] == 0


@pytest.mark.parametrize(
    "answer, error, status",
    [(httpx.ConnectError("refused"), "ConnectError", None),
     (httpx.ConnectTimeout("slow"), "timeout", None),
     (302, "HTTP 302", 302),
     (404, "HTTP 404", 404)],
)
async def test_what_counts_as_a_failed_attempt(app, client, answer, error, status) -> None:
    webhook = await subscribe(client)
    await finalized_encounter(client)
    assert (await run(app, Consumer(answer), Clock())).failed == 1
    [delivery] = await deliveries(client, webhook)
    assert delivery["last_error"] == error and delivery["last_status_code"] == status


async def test_the_retry_waits_are_capped_and_jittered(app, client) -> None:
    webhook = await subscribe(client)
    await finalized_encounter(client)
    consumer, clock = Consumer(500, 500, 500), Clock()
    policy = DeliveryPolicy(retry_base_seconds=10, retry_max_seconds=15,
                            max_consecutive_failures=5)
    for drawn, expected_wait in ((0.0, 5), (1.0, 15), (0.5, 11.25)):
        assert (await deliver_due_once(app.state.sessionmaker, consumer.http, policy,
                                       clock=clock, jitter=lambda d=drawn: d)).failed == 1
        [delivery] = await deliveries(client, webhook)
        waited = datetime.fromisoformat(delivery["next_attempt_at"]) - clock.now
        assert waited == timedelta(seconds=expected_wait)
        clock.advance(expected_wait)


async def test_a_subscription_is_disabled_after_consecutive_failures(app, client) -> None:
    webhook = await subscribe(client)
    healthy = await subscribe(client, name="healthy")
    for _ in range(2):
        await finalized_encounter(client)
    policy = DeliveryPolicy(retry_base_seconds=1, max_consecutive_failures=3)
    clock = Clock()

    def failing_for_one(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500 if request.url.path == "/a" else 204)

    consumer = Consumer()
    consumer.http = httpx.AsyncClient(transport=httpx.MockTransport(failing_for_one))
    first = await run(app, consumer, clock, policy=policy)
    assert (first.failed, first.delivered) == (2, 2)
    clock.advance(3600)
    # Both retries fail: the first is the third failure in a row and disables the subscription.
    second = await run(app, consumer, clock, policy=policy)
    assert second.failed == 2 and second.disabled_subscriptions == [webhook["id"]]

    state = (await client.get(f"/v1/webhooks/{webhook['id']}")).json()
    assert state["enabled"] is False and state["disabled_at"] is not None
    assert state["consecutive_failures"] == 4
    assert {d["status"] for d in await deliveries(client, webhook)} == {"failed"}
    assert {d["status"] for d in await deliveries(client, healthy)} == {"delivered"}

    await finalized_encounter(client)
    clock.advance(3600)
    assert len(await deliveries(client, webhook)) == 2, "a disabled subscription gets no more"
    assert (await run(app, consumer, clock, policy=policy)).delivered == 1  # the healthy one


async def test_a_worker_dying_after_the_send_resends_after_the_lease(app, client) -> None:
    webhook = await subscribe(client)
    await finalized_encounter(client)
    clock = Clock()
    crashed = Consumer(RuntimeError("worker killed after the request left"))
    with pytest.raises(RuntimeError):
        await run(app, crashed, clock)
    [delivery] = await deliveries(client, webhook)
    assert delivery["status"] == "pending" and delivery["attempts"] == 0

    consumer = Consumer()
    clock.advance(POLICY.lease.total_seconds() - 1)
    assert (await run(app, consumer, clock)).attempted == 0, "still leased to the dead worker"
    clock.advance(1)
    assert (await run(app, consumer, clock)).delivered == 1
    assert (consumer.received[0].headers["webhook-id"]
            == crashed.received[0].headers["webhook-id"]), "the consumer can deduplicate"


async def test_two_workers_never_send_one_delivery_twice(app, client) -> None:
    await subscribe(client)
    for _ in range(3):
        await finalized_encounter(client)
    arrived, all_arrived, release = 0, asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        # Every send waits until all three are in flight: both workers' claims are done.
        nonlocal arrived
        arrived += 1
        if arrived == 3:
            all_arrived.set()
        await release.wait()

    first, second = Consumer(before_answer=hold), Consumer(before_answer=hold)
    clock = Clock()
    rounds = asyncio.gather(run(app, first, clock), run(app, second, clock))
    await asyncio.wait_for(all_arrived.wait(), 10)
    release.set()
    results = await rounds
    assert sum(r.delivered for r in results) == 3
    sent = [r.headers["webhook-id"] for r in first.received + second.received]
    assert len(sent) == len(set(sent)) == 3


async def test_a_subscription_deleted_while_sending_is_left_alone(app, client) -> None:
    webhook = await subscribe(client)
    await finalized_encounter(client)

    async def delete_meanwhile() -> None:
        assert (await client.delete(f"/v1/webhooks/{webhook['id']}")).status_code == 204

    result = await run(app, Consumer(500, before_answer=delete_meanwhile), Clock())
    assert result.attempted == 0


async def test_the_service_delivers_by_itself_when_its_worker_runs(settings: Settings) -> None:
    arrived = asyncio.Event()

    def consumer(request: httpx.Request) -> httpx.Response:
        arrived.set()
        return httpx.Response(204)

    running = settings.model_copy(update={"webhook_worker_enabled": True,
                                          "webhook_poll_interval_seconds": 0.05})
    app = create_app(running, webhook_transport=httpx.MockTransport(consumer))
    async with LifespanManager(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://coding.test", headers=CLINIC_A
    ) as client:
        webhook = await subscribe(client)
        await finalized_encounter(client)
        await asyncio.wait_for(arrived.wait(), 10)
        for _ in range(200):  # the result is recorded just after the consumer answered
            [delivery] = await deliveries(client, webhook)
            if delivery["status"] != "pending":
                break
            await asyncio.sleep(0.02)
    assert delivery["status"] == "delivered" and delivery["last_status_code"] == 204
