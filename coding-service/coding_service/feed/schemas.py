from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

# The event types encounters/service.py publishes; the others stay in the encounter's history.
PublishedEventType = Literal["encounter.finalized", "encounter.reopened"]


class FeedEvent(BaseModel):
    cursor: str
    type: PublishedEventType
    encounter_id: str
    coding_version: int
    occurred_at: datetime


class FeedPage(BaseModel):
    items: list[FeedEvent]
    # Pass back as ?cursor= to continue; equals the request's cursor when nothing new arrived.
    next_cursor: str | None
