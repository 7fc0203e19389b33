"""POST /v1/webhooks/coding (coding-service's signed deliveries) and GET /v1/coding-events
(what billing made of each event: the skipped ones need a biller)."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Query, Request

from billing_service.codingevents.examples import CODING_WEBHOOK, LIST_CODING_EVENTS
from billing_service.codingevents.schemas import (
    CodingEventOut,
    WebhookEvent,
    WebhookReceipt,
)
from billing_service.codingevents.service import event_out
from billing_service.dependencies import CodingEvents, Reader
from billing_service.models.coding_event import Outcome
from billing_service.openapi import FROM_CODING, problem
from rcm_shared.openapi import examples
from rcm_shared.pagination import DEFAULT_LIMIT, CursorParam, LimitParam, Page
from rcm_shared.webhooks import ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER

router = APIRouter(prefix="/v1", tags=["coding events"])


@router.post(
    "/webhooks/coding", response_model=WebhookReceipt,
    summary="Receive a coding-service webhook delivery (signed, no API key)",
    description=(
        "The URL to subscribe in coding-service (POST /v1/webhooks there, events "
        "encounter.finalized) for each tenant billing serves. Authenticated by its Standard "
        f"Webhooks signature (`{ID_HEADER}`, `{TIMESTAMP_HEADER}`, `{SIGNATURE_HEADER}`: "
        "HMAC-SHA256 with the secret of the tenant's subscription, configured in billing's "
        "CODING_TENANTS, and a timestamp within CODING_WEBHOOK_TOLERANCE_SECONDS), not by an "
        "API key. An encounter.finalized event "
        "builds the claim of the encounter for the tenant the event names, reading the "
        "encounter with that tenant's configured coding-service key; each event acts once, "
        "however often and by whichever route (webhook or feed) it arrives. 200 with what "
        "came of it; 503 when coding-service cannot be read now (nothing kept: the delivery "
        "is retried)."
    ),
    responses={401: problem("The signature does not verify, or is too old"),
               403: problem("coding-service refused the tenant's configured key (it needs "
                            "coding:read)"),
               **FROM_CODING},
    openapi_extra=examples(*CODING_WEBHOOK),
)
async def coding_webhook(event: WebhookEvent, request: Request,
                         events: CodingEvents) -> WebhookReceipt:
    # The signature covers the bytes as sent, not the event as parsed.
    return await events.receive_webhook(event, await request.body(), request.headers,
                                        now=time.time())


@router.get(
    "/coding-events", response_model=Page[CodingEventOut],
    summary="coding-service events received and what billing made of each, newest first",
    description="`?outcome=skipped` lists the finalized encounters billing could not bill by "
    "itself, each with its reason. Deliveries are deduplicated on the event, not on "
    f"`{ID_HEADER}` alone, so one arriving by webhook and from the feed is listed once.",
    openapi_extra=examples(*LIST_CODING_EVENTS),
)
async def list_coding_events(
    principal: Reader,
    events: CodingEvents,
    outcome: Annotated[Outcome | None, Query(
        description="Only events with this outcome (`skipped`: those that need a biller)")] = None,
    limit: LimitParam = DEFAULT_LIMIT,
    cursor: CursorParam = None,
) -> Page[CodingEventOut]:
    listed = await events.list_page(principal.tenant_id, outcome=outcome, limit=limit,
                                    cursor=cursor)
    return listed.page(event_out)
