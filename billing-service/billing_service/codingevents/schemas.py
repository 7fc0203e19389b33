"""The webhook billing receives from coding-service, and what billing made of each event."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from billing_service.codingclient.schemas import EncounterEvent
from billing_service.models.coding_event import EventSource, Outcome
from rcm_shared.ids import EventId, TenantId
from rcm_shared.schemas import RequestModel

OUTCOME_DESCRIPTION = (
    "created: billing built the claim; existing: the coding version already had its claim; "
    "skipped: no claim could be built by itself (reason says why: no coverage, a claim for "
    "an earlier coding version, the encounter reopened): a biller acts; ignored: an event "
    "billing does not act on (encounter.reopened)"
)


class WebhookEvent(EncounterEvent, RequestModel):
    """A coding-service webhook delivery: the feed's event, its id and its tenant. A request
    like any other (control characters refused), but read tolerantly (unknown fields
    ignored), as coding-service may add fields."""

    model_config = ConfigDict(extra="ignore")

    id: EventId = Field(description="The event id (Webhook-Id)")
    tenant_id: TenantId


class CodingEventOut(BaseModel):
    id: int
    event_type: str
    encounter_id: str
    coding_version: int
    source: EventSource = Field(description="The route that brought it first")
    outcome: Outcome = Field(description=OUTCOME_DESCRIPTION)
    reason: str | None
    claim_id: str | None
    received_at: datetime


class WebhookReceipt(BaseModel):
    """The answer to coding-service: any 2xx ends its retries."""

    duplicate: bool = Field(description="The event had already been received (by webhook or "
                                        "from the feed): nothing was done again")
    event: CodingEventOut
