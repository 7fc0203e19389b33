"""Request and response bodies of the webhook API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, HttpUrl, StringConstraints, UrlConstraints

from coding_service.feed.schemas import PublishedEventType
from coding_service.models.webhook import DeliveryStatus
from rcm_shared.schemas import RequestModel
from rcm_shared.webhooks import SECRET_PATTERN

WebhookEventType = PublishedEventType
# http and https only: a webhook is an HTTP POST.
WebhookUrl = Annotated[HttpUrl, UrlConstraints(max_length=2048, allowed_schemes=["http", "https"])]
Secret = Annotated[str, StringConstraints(max_length=200, pattern=SECRET_PATTERN)]


class WebhookCreate(RequestModel):
    url: WebhookUrl = Field(description="Where deliveries are POSTed (http or https)",
                            json_schema_extra={"pattern": "^[Hh][Tt][Tt][Pp][Ss]?://"})
    events: list[WebhookEventType] = Field(min_length=1, max_length=2)
    secret: Secret | None = Field(
        None, description="The signing secret (Standard Webhooks): `whsec_` and the base64 of "
        "at least 24 random bytes; generated when not given"
    )


class WebhookOut(BaseModel):
    id: str
    url: str
    events: list[WebhookEventType]
    enabled: bool = Field(
        description="False once consecutive failed attempts reached the configured limit"
    )
    consecutive_failures: int
    disabled_at: datetime | None
    created_at: datetime


class WebhookCreated(WebhookOut):
    secret: str = Field(description="Shown only in this response: keep it to verify signatures")


class WebhookDeliveryOut(BaseModel):
    id: int
    event_id: str = Field(description="The webhook-id header and the body's id")
    event_type: WebhookEventType
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: datetime | None = Field(description="Set while the delivery is pending")
    last_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime
