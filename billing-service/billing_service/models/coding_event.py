"""coding-service's encounter events as billing received them (by webhook or from the feed),
each once, with what billing made of it; and where the feed follower is in each tenant's feed."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from billing_service.models.base import Base
from rcm_shared.db import UTCDateTime, utcnow

# Autoincrementing keys: BIGINT on PostgreSQL, INTEGER (the rowid) on SQLite.
SERIAL = BigInteger().with_variant(Integer, "sqlite")

# The route that brought an event first.
EventSource = Literal["webhook", "feed"]
# What billing made of an event (codingevents/schemas.py says what each means).
Outcome = Literal["created", "existing", "skipped", "ignored"]


class CodingEvent(Base):
    """One encounter event, recorded in the transaction that acted on it. The same event
    arriving again, by the other route or twice by one, finds its row and does nothing."""

    __tablename__ = "coding_events"
    __table_args__ = (
        # An event is what happened to which coding version: the same whichever way it came.
        UniqueConstraint("tenant_id", "event_type", "encounter_id", "coding_version",
                         name="uq_coding_events_event"),
        Index("ix_coding_events_tenant_outcome", "tenant_id", "outcome", "id"),
    )

    id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(32))
    encounter_id: Mapped[str] = mapped_column(String(64))
    coding_version: Mapped[int] = mapped_column(Integer)
    # The feed cursor of the event in coding-service (webhook deliveries carry it too).
    cursor: Mapped[str | None] = mapped_column(String(512), default=None)
    source: Mapped[EventSource] = mapped_column(String(8))
    outcome: Mapped[Outcome] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    claim_id: Mapped[str | None] = mapped_column(ForeignKey("claims.id"), default=None)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CodingFeedCursor(Base):
    """Where the follower is in one tenant's GET /v1/events, and which replica follows it
    now: a follower leases the row, so one replica reads a tenant's feed at a time."""

    __tablename__ = "coding_feed_cursors"

    tenant_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    cursor: Mapped[str | None] = mapped_column(String(512), default=None)
    leased_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_error: Mapped[str | None] = mapped_column(String(200), default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
