"""Eligibility checks: a 270 sent about a coverage, the payer's 271, and what it said."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from billing_service.models.base import Base
from rcm_shared.db import UTCDateTime, utcnow


def new_id() -> str:
    return str(uuid.uuid4())


class EligibilityCheck(Base):
    __tablename__ = "eligibility_checks"
    __table_args__ = (
        Index("ix_eligibility_checks_coverage", "tenant_id", "coverage_id", "checked_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(String(64))
    coverage_id: Mapped[str] = mapped_column(ForeignKey("coverages.id"))
    date_of_service: Mapped[date] = mapped_column(Date)
    service_type_codes: Mapped[list[str]] = mapped_column(JSON)
    # active | inactive | error
    status: Mapped[str] = mapped_column(String(8))
    plan_code: Mapped[str | None] = mapped_column(String(50), default=None)
    plan_name: Mapped[str | None] = mapped_column(String(50), default=None)
    # [{"code": AAA03, "message"}]
    errors: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    # The 271's benefits, amounts as decimal strings; None unless the coverage is active.
    benefits: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    inquiry_x12: Mapped[str] = mapped_column(Text)
    answer_x12: Mapped[str] = mapped_column(Text)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
