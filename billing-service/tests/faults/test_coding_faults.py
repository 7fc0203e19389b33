"""coding-service slower than billing's timeout: the claim request answers 503 and keeps
nothing; once coding-service answers in time, the same request builds exactly one claim.
(coding-service stopped outright is the integration test
test_coding_service_down_answers_503_and_keeps_nothing.)"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from billing_service.codingclient.client import CodingClient

TIMEOUT_SECONDS = 0.05


class SlowTransport(httpx.AsyncBaseTransport):
    """Answers as `inner` does, `delay` seconds late. It honours the client's read timeout
    the way a network transport does: an answer later than the timeout is a ReadTimeout
    once the timeout has passed."""

    def __init__(self, inner: httpx.AsyncBaseTransport, delay: float | None) -> None:
        self.inner = inner
        self.delay = delay
        self.timed_out = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.delay is not None:
            timeout = request.extensions.get("timeout", {}).get("read")
            if timeout is not None and self.delay > timeout:
                await asyncio.sleep(timeout)
                self.timed_out += 1
                raise httpx.ReadTimeout("no answer within the timeout", request=request)
            await asyncio.sleep(self.delay)
        return await self.inner.handle_async_request(request)


@pytest.fixture
async def slow_coding(app: FastAPI, coding) -> AsyncIterator[SlowTransport]:
    transport = SlowTransport(coding.transport, delay=30.0)
    settings = app.state.settings
    usual = app.state.coding_client
    async with httpx.AsyncClient(base_url=settings.coding_service_url, transport=transport,
                                 timeout=httpx.Timeout(TIMEOUT_SECONDS)) as http:
        app.state.coding_client = CodingClient(http, attempts=settings.coding_retries,
                                               backoff_seconds=0)
        try:
            yield transport
        finally:
            app.state.coding_client = usual


async def test_coding_service_slower_than_the_timeout_answers_503_and_keeps_nothing(
    app: FastAPI, billing, slow_coding: SlowTransport
) -> None:
    encounter = billing.coding.add()
    patient_id = encounter["patient"]["id"]
    await billing.coverage(patient_id)

    slow = await billing.http.post("/v1/claims", json={"encounter_id": encounter["encounter_id"]})
    assert slow.status_code == 503, slow.text
    assert slow.headers["content-type"] == "application/problem+json"
    assert int(slow.headers["retry-after"]) > 0
    assert "nothing was stored" in slow.json()["detail"]
    # Every attempt the client makes waited out its timeout.
    assert slow_coding.timed_out == app.state.settings.coding_retries
    assert (await billing.get(f"/v1/claims?patient_id={patient_id}"))["items"] == []

    slow_coding.delay = None  # coding-service answers in time again
    retried = await billing.http.post("/v1/claims",
                                      json={"encounter_id": encounter["encounter_id"]})
    assert retried.status_code == 201, retried.text
    again = await billing.http.post("/v1/claims",
                                    json={"encounter_id": encounter["encounter_id"]})
    assert (again.status_code, again.json()["id"]) == (200, retried.json()["id"])
    claims = (await billing.get(f"/v1/claims?patient_id={patient_id}"))["items"]
    assert [c["id"] for c in claims] == [retried.json()["id"]]
