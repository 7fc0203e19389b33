"""Test support for the coding events consumer: an app configured for clinic-a's and
clinic-b's events, and coding-service's signed webhook deliveries."""

from __future__ import annotations

import time
from typing import Any

import httpx

from billing_service.config import CodingTenant
from rcm_shared.jsonutil import dumps
from rcm_shared.webhooks import signed_headers

SECRET_A = "whsec_Y2xpbmljLWEgc3Vic2NyaXB0aW9uIHNlY3JldCBrZXk="
SECRET_B = "whsec_Y2xpbmljLWIgc3Vic2NyaXB0aW9uIHNlY3JldCBrZXk="
CODING_TENANTS = {
    "clinic-a": CodingTenant(api_key="demo-key-clinic-a", webhook_secrets=[SECRET_A]),
    "clinic-b": CodingTenant(api_key="demo-key-clinic-b", webhook_secrets=[SECRET_B]),
}
WEBHOOK = "/v1/webhooks/coding"


def signed(event: dict[str, Any], secret: str, *, at: float | None = None
           ) -> tuple[bytes, dict[str, str]]:
    """The body and headers of a delivery as coding-service sends it."""
    body = dumps(event)
    timestamp = int(time.time() if at is None else at)
    return body, {"Content-Type": "application/json",
                  **signed_headers(secret, event["id"], timestamp, body)}


async def deliver(client: httpx.AsyncClient, event: dict[str, Any], secret: str = SECRET_A,
                  *, at: float | None = None) -> httpx.Response:
    body, headers = signed(event, secret, at=at)
    # No API key: the signature is the webhook's credential.
    return await client.post(WEBHOOK, content=body,
                             headers={**headers, "Authorization": ""})
