from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel


class FeedEvent(BaseModel):
    cursor: str
    type: Literal["encounter.finalized", "encounter.reopened"]
    encounter_id: str
    coding_version: int
    occurred_at: datetime


class FeedPage(BaseModel):
    items: list[FeedEvent]
    # Pass back as ?after= to continue; equals the request's cursor when nothing new arrived.
    next_cursor: str | None
