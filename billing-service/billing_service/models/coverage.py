"""A patient's insurance coverage: which payer, which member, from when to when."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from billing_service.models.base import Base
from billing_service.models.claim import PayerSequence
from rcm_shared.db import UTCDateTime, utcnow


def new_id() -> str:
    return str(uuid.uuid4())


class Coverage(Base):
    __tablename__ = "coverages"
    __table_args__ = (Index("ix_coverages_tenant_patient", "tenant_id", "patient_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(String(64))
    patient_id: Mapped[str] = mapped_column(String(64))
    payer_id: Mapped[str] = mapped_column(String(32))
    # None: the payer's default plan for the member.
    plan_code: Mapped[str | None] = mapped_column(String(32), default=None)
    member_id: Mapped[str] = mapped_column(String(40))
    group_number: Mapped[str | None] = mapped_column(String(40), default=None)
    relationship: Mapped[str] = mapped_column(String(8))
    subscriber_first_name: Mapped[str] = mapped_column(String(100))
    subscriber_last_name: Mapped[str] = mapped_column(String(100))
    subscriber_birth_date: Mapped[date] = mapped_column(Date)
    subscriber_sex: Mapped[str] = mapped_column(String(1))
    # rcm_shared.address.Address; required unless the subscriber is the patient, whose own
    # address (from the encounter) is then the subscriber's on the claim.
    subscriber_address: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date, default=None)
    # Which payer the patient's claims go to first, second and third (one coverage of each
    # priority on any one date).
    priority: Mapped[str] = mapped_column(
        String(9), default=PayerSequence.PRIMARY.value, server_default=PayerSequence.PRIMARY.value
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
