"""Appeals: a claim's denial disputed in a letter to its payer, and the payer's decision."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from billing_service.models.base import Base
from rcm_shared.db import UTCDateTime, utcnow


class AppealStatus(StrEnum):
    SUBMITTED = "submitted"
    OVERTURNED = "overturned"
    UPHELD = "upheld"


def new_id() -> str:
    return str(uuid.uuid4())


class Appeal(Base):
    __tablename__ = "appeals"
    __table_args__ = (
        Index("ix_appeals_claim", "tenant_id", "claim_id", "submitted_at", "id"),
        # The payer worker asks about the appeals still submitted.
        Index("ix_appeals_status", "status", "submitted_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(String(64))
    claim_id: Mapped[str] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    level: Mapped[int] = mapped_column(Integer)
    # The biller's reason, as given; the letter quotes it.
    reason: Mapped[str] = mapped_column(Text)
    letter: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=AppealStatus.SUBMITTED.value)
    # The payer's reference of the appeal, by which its decision is asked for.
    payer_reference: Mapped[str] = mapped_column(String(64))
    submitted_by: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    decided_on: Mapped[date | None] = mapped_column(Date, default=None)  # the payer's day
    decision: Mapped[str | None] = mapped_column(Text, default=None)
