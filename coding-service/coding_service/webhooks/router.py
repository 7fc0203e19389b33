"""Webhook subscription endpoints (admin scope): thin, the rules live in service.py."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Response, status

from coding_service.dependencies import Idempotent, Webhooks, audit_trail
from coding_service.webhooks import schemas
from coding_service.webhooks.examples import (
    CREATE_WEBHOOK,
    DELETE_WEBHOOK,
    GET_WEBHOOK,
    LIST_DELIVERIES,
    LIST_WEBHOOKS,
)
from coding_service.webhooks.service import subscription_out
from rcm_shared.audit import AuditRecord
from rcm_shared.ids import ResourceId as WebhookId
from rcm_shared.openapi import examples
from rcm_shared.pagination import DEFAULT_LIMIT, CursorParam, LimitParam, Page
from rcm_shared.routing import api_router

router = api_router("/v1/webhooks", "webhooks")

Audit = Annotated[AuditRecord, Depends(audit_trail.recorder("webhook"))]

CREATE_DESCRIPTION = """Deliveries are HTTP POSTs of the same `encounter.finalized` and
`encounter.reopened` events as `GET /v1/events`, as JSON: `id` (the event id), `type`,
`cursor` (the feed cursor), `tenant_id`, `encounter_id`, `coding_version`, `occurred_at`.
Each is written in the same transaction as the change and sent by a background worker.

Deliveries follow the Standard Webhooks specification (standardwebhooks.com): `webhook-id`
(the event id, the same on every retry), `webhook-timestamp` (unix seconds) and
`webhook-signature: v1,<base64>`, the HMAC-SHA256 with the secret's key (the base64 after
`whsec_`) over `"<webhook-id>.<webhook-timestamp>.<raw body>"`. Verify it with the
specification's library for your language (`standardwebhooks` on PyPI and npm), on the raw
body; it refuses timestamps more than five minutes away from your clock.

Any 2xx answer is a success; anything else, a redirect or no answer within the timeout is
retried with exponential backoff and jitter. After a configured number of consecutive failed
attempts the subscription is disabled and its pending deliveries are marked failed. Delivery is
at least once and not necessarily in order: consumers must be idempotent (deduplicate on
`webhook-id`, or on `encounter_id` + `coding_version`), and `GET /v1/events` remains the
backstop from which nothing is lost.

The secret, given or generated, is shown only in this response."""


@router.post("", status_code=status.HTTP_201_CREATED, response_model=schemas.WebhookCreated,
             summary="Subscribe a URL to encounter events", description=CREATE_DESCRIPTION,
             openapi_extra=examples(*CREATE_WEBHOOK))
async def create_webhook(body: schemas.WebhookCreate, response: Response, webhooks: Webhooks,
                         idempotency: Idempotent, audit: Audit) -> schemas.WebhookCreated:
    created = await webhooks.create(body)
    audit("create", created.id)
    response.headers["Location"] = f"/v1/webhooks/{created.id}"
    return created


@router.get("", response_model=Page[schemas.WebhookOut], summary="List webhook subscriptions",
            openapi_extra=examples(*LIST_WEBHOOKS))
async def list_webhooks(webhooks: Webhooks, audit: Audit, limit: LimitParam = DEFAULT_LIMIT,
                        cursor: CursorParam = None) -> Page[schemas.WebhookOut]:
    """The caller's tenant's webhook subscriptions, each with its URL, event types and whether it is
    still enabled; secrets are never shown again. Needs the admin scope."""
    audit("list")
    return await webhooks.list(limit, cursor)


@router.get("/{webhook_id}", response_model=schemas.WebhookOut,
            summary="One webhook subscription (without its secret)",
            openapi_extra=examples(*GET_WEBHOOK))
async def get_webhook(webhook_id: WebhookId, webhooks: Webhooks,
                      audit: Audit) -> schemas.WebhookOut:
    """One subscription: URL, event types, enabled, consecutive failures. Its secret was shown only
    when it was created. Needs the admin scope."""
    audit("read", webhook_id)
    return subscription_out(await webhooks.get(webhook_id))


@router.delete("/{webhook_id}", status_code=status.HTTP_204_NO_CONTENT,
               summary="Delete a subscription and its delivery history",
               openapi_extra=examples(*DELETE_WEBHOOK))
async def delete_webhook(webhook_id: WebhookId, webhooks: Webhooks,
                         audit: Audit) -> Response:
    """Stops deliveries to the subscription and deletes it with its delivery history. Answers 204.
    Needs the admin scope."""
    audit("delete", webhook_id)
    await webhooks.delete(webhook_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{webhook_id}/deliveries", response_model=Page[schemas.WebhookDeliveryOut],
            summary="The subscription's deliveries, newest first: status, attempts, last error",
            openapi_extra=examples(*LIST_DELIVERIES))
async def list_deliveries(webhook_id: WebhookId, webhooks: Webhooks, audit: Audit,
                          limit: LimitParam = DEFAULT_LIMIT,
                          cursor: CursorParam = None) -> Page[schemas.WebhookDeliveryOut]:
    """Every delivery of the subscription, newest first: the event, its status (pending, delivered,
    failed), attempts, the last answer or error and when the next attempt is due. Needs the admin
    scope."""
    audit("read", webhook_id)
    return await webhooks.deliveries(webhook_id, limit, cursor)
