"""Claim status inquiries: a 276 sent about a claim, the payer's 277, and what it said."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from billing_service.models.base import Base
from billing_service.models.types import MoneyAmount
from rcm_shared.db import UTCDateTime, utcnow


def new_id() -> str:
    return str(uuid.uuid4())


class ClaimStatusInquiry(Base):
    __tablename__ = "claim_status_inquiries"
    __table_args__ = (
        Index("ix_claim_status_inquiries_claim", "tenant_id", "claim_id", "checked_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(String(64))
    claim_id: Mapped[str] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    # Who asked: the API key's actor, or `system` for the payer worker's own inquiries.
    sent_by: Mapped[str] = mapped_column(String(64))
    # The 277's STC01: category (A1, P1, F1, F2, A4...) and status code.
    category: Mapped[str] = mapped_column(String(3))
    status_code: Mapped[str] = mapped_column(String(8))
    status_date: Mapped[date] = mapped_column(Date)
    payer_claim_control_number: Mapped[str | None] = mapped_column(String(50), default=None)
    paid: Mapped[Decimal | None] = mapped_column(MoneyAmount, default=None)
    adjudicated_on: Mapped[date | None] = mapped_column(Date, default=None)
    inquiry_x12: Mapped[str] = mapped_column(Text)
    answer_x12: Mapped[str] = mapped_column(Text)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
