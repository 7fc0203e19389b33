"""X12 files billing sends and receives: each 837P interchange under its control number, and
each 835 file received with what posting made of it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from billing_service.models.base import Base
from rcm_shared.db import UTCDateTime, utcnow

# Autoincrementing keys: BIGINT on PostgreSQL, INTEGER (the rowid) on SQLite.
SERIAL = BigInteger().with_variant(Integer, "sqlite")


class X12Interchange(Base):
    """An 837P interchange billing wrote. Its key is the interchange control number (ISA13,
    GS06 and BHT03): allocated by the database, so never reused, also across replicas."""

    __tablename__ = "x12_interchanges"
    __table_args__ = (
        # A submission is written once: a retry sends the very same interchange.
        UniqueConstraint("submission_id"),
        Index("ix_x12_interchanges_tenant", "tenant_id", "control_number"),
    )

    control_number: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    # submission (the payer outbox) | export (GET /v1/claims/{id}/x12, the batch export)
    purpose: Mapped[str] = mapped_column(String(16))
    submission_id: Mapped[str | None] = mapped_column(String(64), default=None)
    claim_ids: Mapped[list[str]] = mapped_column(JSON)
    content: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RemittanceFile(Base):
    """An 835 file received, once per scope: the same file again is recognised by its hash
    (per claim, the trace numbers keep any payment from being posted twice)."""

    __tablename__ = "remittance_files"
    __table_args__ = (UniqueConstraint("scope", "sha256"),)

    id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    # "tenant:<id>" for an upload (it posts to that tenant's claims only), "payer" for the
    # files the payer adapter delivers (they post to every tenant's claims).
    scope: Mapped[str] = mapped_column(String(80))
    sha256: Mapped[str] = mapped_column(String(64))
    interchange_control_number: Mapped[str] = mapped_column(String(9))
    content: Mapped[str] = mapped_column(Text)
    # What the first posting did, per claim: the answer to POST /v1/remittances.
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
