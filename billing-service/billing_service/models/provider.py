"""A provider the tenant bills as or for: the NPI's name, taxonomy, tax id and address, which
encounters (NPIs only) do not carry and the 837P needs."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from billing_service.models.base import Base
from rcm_shared.db import UTCDateTime, utcnow


def new_id() -> str:
    return str(uuid.uuid4())


class Provider(Base):
    __tablename__ = "providers"
    # One registration per NPI and tenant; it also orders the listing.
    __table_args__ = (UniqueConstraint("tenant_id", "npi"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(String(64))
    npi: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(12))  # person | organization
    first_name: Mapped[str | None] = mapped_column(String(35), default=None)
    last_name: Mapped[str | None] = mapped_column(String(60), default=None)
    organization_name: Mapped[str | None] = mapped_column(String(60), default=None)
    # NUCC health care provider taxonomy code (PRV03 of the 837P).
    taxonomy: Mapped[str | None] = mapped_column(String(10), default=None)
    # EIN (REF*EI of loop 2010AA); None for a provider that only renders.
    tax_id: Mapped[str | None] = mapped_column(String(9), default=None)
    # rcm_shared.address.Address as sent (postal code without its hyphen).
    address: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
