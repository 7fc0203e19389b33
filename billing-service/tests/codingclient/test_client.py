"""The coding-service client: retries on connection errors, timeouts and 5xx; never on 4xx."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
import stamina

from billing_service.codingclient.client import (
    CodingClient,
    CodingServiceRefused,
    CodingServiceUnavailable,
    EncounterNotFound,
)

ENCOUNTER = {"id": "enc-1", "status": "finalized", "coding_version": 2, "external_id": "X"}
AUTH = "Bearer demo-key-clinic-a"


class Script:
    """Answers each request with the next scripted outcome, recording what was asked."""

    def __init__(self, *outcomes: int | Exception) -> None:
        self.outcomes = list(outcomes)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        outcome = self.outcomes.pop(0) if self.outcomes else 200
        if isinstance(outcome, Exception):
            raise outcome
        if outcome == 200:
            return httpx.Response(200, json=ENCOUNTER)
        return httpx.Response(outcome, json={"detail": f"status {outcome}"})


BACKOFF_SECONDS = 0.01


def client_for(script: Callable[[httpx.Request], httpx.Response]) -> CodingClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(script), base_url="http://coding")
    return CodingClient(http, attempts=3, backoff_seconds=BACKOFF_SECONDS)


@pytest.fixture
def delays() -> Iterator[list[float]]:
    """The wait stamina scheduled before each retry."""
    scheduled: list[float] = []
    usual = stamina.instrumentation.get_on_retry_hooks()
    stamina.instrumentation.set_on_retry_hooks(
        [lambda details: scheduled.append(details.wait_for)])
    yield scheduled
    stamina.instrumentation.set_on_retry_hooks(usual)


async def test_answer_on_first_try_forwards_the_callers_authorization(
        delays: list[float]) -> None:
    script = Script(200)
    encounter = await client_for(script).encounter("enc-1", AUTH)
    assert encounter.coding_version == 2
    assert len(script.requests) == 1
    assert script.requests[0].headers["authorization"] == AUTH
    assert script.requests[0].url.path == "/v1/encounters/enc-1"
    assert delays == []


@pytest.mark.parametrize("failure", [
    503, 500, httpx.ConnectError("refused"), httpx.ReadTimeout("slow"),
    httpx.ConnectTimeout("slow"), httpx.RemoteProtocolError("reset"),
])
async def test_transient_failures_are_retried_with_growing_backoff(
    failure: int | Exception, delays: list[float],
) -> None:
    script = Script(failure, failure, 200)
    encounter = await client_for(script).encounter("enc-1", AUTH)
    assert encounter.id == "enc-1"
    assert len(script.requests) == 3
    # Exponential with jitter: retry n waits base * 2^(n-1), plus up to base more.
    assert BACKOFF_SECONDS <= delays[0] <= 2 * BACKOFF_SECONDS
    assert 2 * BACKOFF_SECONDS <= delays[1] <= 3 * BACKOFF_SECONDS


async def test_three_failures_make_it_unavailable(delays: list[float]) -> None:
    script = Script(httpx.ConnectError("refused"), 502, 504)
    with pytest.raises(CodingServiceUnavailable, match="HTTP 504"):
        await client_for(script).encounter("enc-1", AUTH)
    assert len(script.requests) == 3
    assert len(delays) == 2


async def test_not_found_is_not_retried(delays: list[float]) -> None:
    script = Script(404)
    with pytest.raises(EncounterNotFound):
        await client_for(script).encounter("enc-1", AUTH)
    assert len(script.requests) == 1 and delays == []


@pytest.mark.parametrize("status", [400, 401, 403, 409, 422])
async def test_other_client_errors_are_not_retried(status: int) -> None:
    script = Script(status)
    with pytest.raises(CodingServiceRefused) as raised:
        await client_for(script).encounter("enc-1", AUTH)
    assert raised.value.status == status
    assert raised.value.detail == f"status {status}"
    assert len(script.requests) == 1


async def test_unreadable_body_is_refused_not_crashed() -> None:
    def wrong_shape(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"id": "enc-1"})

    with pytest.raises(CodingServiceRefused) as raised:
        await client_for(wrong_shape).encounter("enc-1", AUTH)
    assert raised.value.status == 502


async def test_ids_cannot_escape_the_encounter_path() -> None:
    script = Script(200)
    await client_for(script).encounter("../admin", AUTH)
    assert script.requests[0].url.raw_path == b"/v1/encounters/..%2Fadmin"
