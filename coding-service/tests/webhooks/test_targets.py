"""Webhook targets on this network are refused in production (server-side request forgery)."""

from __future__ import annotations

import httpx
import pytest

from coding_service.config import Settings
from coding_service.webhooks.delivery import DeliveryPolicy, _Claimed, _send
from coding_service.webhooks.targets import PrivateTargetError, ensure_public_target
from rcm_shared.auth import ApiKeyRecord, hash_key
from rcm_shared.db import utcnow


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8002/hook", "http://169.254.169.254/latest/meta-data", "http://10.1.2.3/",
     "http://192.168.0.10/", "http://[::1]/", "http://localhost/hook", "http://0.0.0.0/"],
)
async def test_private_and_local_targets_are_refused(url: str) -> None:
    with pytest.raises(PrivateTargetError):
        await ensure_public_target(url)


async def test_public_addresses_pass() -> None:
    await ensure_public_target("https://93.184.215.14/hook")
    await ensure_public_target("http://[2606:4700::6810:85e5]/hook")


async def test_an_unresolvable_host_is_refused() -> None:
    with pytest.raises(PrivateTargetError, match="does not resolve"):
        await ensure_public_target("https://no-such-host.invalid/hook")


def test_private_targets_are_allowed_only_in_development_unless_configured() -> None:
    assert Settings().private_webhook_targets_allowed
    production = {"environment": "production", "database_url": "postgresql+asyncpg://x/y",
                  "api_keys": [ApiKeyRecord(key_sha256=hash_key("k"), tenant_id="t")]}
    assert not Settings(**production).private_webhook_targets_allowed
    allowed = Settings(**production, webhook_allow_private_targets=True)
    assert allowed.private_webhook_targets_allowed


async def test_a_refusing_service_answers_422_naming_the_url(app, client) -> None:
    app.state.settings = Settings(**{**app.state.settings.model_dump(),
                                     "webhook_allow_private_targets": False})
    try:
        response = await client.post("/v1/webhooks", json={
            "url": "http://127.0.0.1:9/hook", "events": ["encounter.finalized"]})
    finally:
        app.state.settings = Settings(**{**app.state.settings.model_dump(),
                                         "webhook_allow_private_targets": None})
    assert response.status_code == 422
    assert response.json()["issues"][0]["rule"] == "webhook.private_target"
    assert response.json()["issues"][0]["path"] == "$.url"


async def test_a_send_to_a_private_target_is_not_made() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request may leave for a private target")

    item = _Claimed(delivery_id=1, subscription_id="s", url="http://127.0.0.1:9/hook",
                    secret="x" * 16, event_id="1", event_type="encounter.finalized", body=b"{}")
    async with httpx.AsyncClient(transport=httpx.MockTransport(refuse)) as http:
        outcome = await _send(http, item, DeliveryPolicy(allow_private_targets=False), utcnow)
    assert outcome.error == "private target refused"
