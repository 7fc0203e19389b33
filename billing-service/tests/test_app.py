"""The app as a whole: health, readiness, OpenAPI, and the background payer worker."""

from __future__ import annotations

import asyncio
import ssl
import subprocess
import sys
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from pydantic import ValidationError
from starlette.datastructures import State

from billing_service.config import Settings
from billing_service.main import create_app, service_runtime


async def test_ready_and_documented(client: httpx.AsyncClient) -> None:
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok"}
    paths = (await client.get("/openapi.json")).json()["paths"]
    for path in ("/v1/claims", "/v1/claims/{claim_id}/corrections", "/v1/coverages",
                 "/v1/claims/{claim_id}/remittance", "/v1/patients/{patient_id}/statement",
                 "/v1/worklist", "/v1/admin/process", "/v1/payers"):
        assert path in paths, path


async def test_requests_without_a_key_are_refused(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/claims", headers={"Authorization": ""})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


class CountingAdapter:
    def __init__(self) -> None:
        self.polls = 0
        self.polled = asyncio.Event()

    async def submit(self, claim: Any) -> Any:
        raise AssertionError("nothing is queued")

    async def fetch_responses(self) -> list[Any]:
        self.polls += 1
        self.polled.set()
        return []

    async def acknowledge(self, file_ids: Any) -> None:
        raise AssertionError("nothing was fetched")

    async def payers(self) -> list[Any]:
        return []


async def test_background_worker_polls_the_payer_and_stops_with_the_app(
    settings: Settings,
) -> None:
    adapter = CountingAdapter()
    app = create_app(settings.model_copy(update={"payer_worker_enabled": True,
                                                 "payer_poll_interval_seconds": 0.01}),
                     payer_adapter=adapter)
    async with LifespanManager(app):
        await asyncio.wait_for(adapter.polled.wait(), timeout=10)
    polls = adapter.polls
    await asyncio.sleep(0.1)
    assert adapter.polls == polls


async def test_without_the_payer_worker_the_api_never_polls(settings: Settings) -> None:
    adapter = CountingAdapter()
    app = create_app(settings.model_copy(update={"payer_worker_enabled": False,
                                                 "payer_poll_interval_seconds": 0.01}),
                     payer_adapter=adapter)
    async with LifespanManager(app):
        await asyncio.sleep(0.1)
    assert adapter.polls == 0


@pytest.mark.parametrize(("url", "verify_mode"), [
    ("https://coding.internal", ssl.CERT_REQUIRED),
    ("HTTPS://coding.internal", ssl.CERT_REQUIRED),
    ("http://127.0.0.1:8001", ssl.CERT_NONE),
])
async def test_coding_service_certificates_are_checked_whenever_tls_is_used(
    settings: Settings, url: str, verify_mode: ssl.VerifyMode
) -> None:
    # Skipping the CA bundle for a plain-http coding-service saves start-up time; any other
    # scheme must still verify the server's certificate.
    async with service_runtime(settings.model_copy(update={"coding_service_url": url}),
                               State()) as state:
        http = state.coding_client._http
        assert http._transport._pool._ssl_context.verify_mode == verify_mode


@pytest.mark.parametrize("command", ["migrate", "worker"])
def test_a_bad_setting_stops_the_command_with_one_line_naming_it(
        monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    monkeypatch.setenv("MOCK_PAYER__LATENCY_MS", "soon")
    done = subprocess.run([sys.executable, "-m", "billing_service.cli", command],
                          capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ("billing-service: bad setting: MOCK_PAYER__LATENCY_MS: Input should "
                           "be a valid integer, unable to parse string as an integer\n")


def test_an_http_payer_adapter_needs_a_clearinghouse() -> None:
    with pytest.raises(ValidationError, match="PAYER_ADAPTER=http needs CLEARINGHOUSE_URL"):
        Settings(payer_adapter="http", clearinghouse_api_key="key")
