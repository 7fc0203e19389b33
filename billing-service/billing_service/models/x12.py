"""X12 files billing sends and receives: each 837P interchange under its control number,
each file the payer adapter delivered, and each 835 uploaded, with what applying it did."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from billing_service.models.base import Base
from rcm_shared.db import UTCDateTime, utcnow

# Autoincrementing keys: BIGINT on PostgreSQL, INTEGER (the rowid) on SQLite.
SERIAL = BigInteger().with_variant(Integer, "sqlite")


class X12ControlNumber(Base):
    """The last interchange control number (ISA13 = GS06 = BHT03) a tenant's files from one
    sender carried. One counter per tenant and sender: a tenant reading its own numbers learns
    nothing of another's volume, and a receiver still sees each sender's numbers never
    repeat."""

    __tablename__ = "x12_control_numbers"

    tenant_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # ISA06: the submitter the interchanges are sent as.
    sender_id: Mapped[str] = mapped_column(String(15), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class X12Interchange(Base):
    """An 837P interchange billing wrote, under the control number its tenant's counter for
    its sender assigned (X12ControlNumber): never reused within that tenant and sender, also
    across replicas."""

    __tablename__ = "x12_interchanges"
    __table_args__ = (
        # A submission is written once: a retry sends the very same interchange.
        UniqueConstraint("submission_id"),
        UniqueConstraint("tenant_id", "sender_id", "control_number"),
        Index("ix_x12_interchanges_claim", "tenant_id", "claim_id", "id"),
    )

    id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    sender_id: Mapped[str] = mapped_column(String(15))
    control_number: Mapped[int] = mapped_column(Integer)
    # submission (the payer outbox) | export (GET /v1/claims/{id}/x12, the batch export)
    purpose: Mapped[str] = mapped_column(String(16))
    submission_id: Mapped[str | None] = mapped_column(String(64), default=None)
    claim_ids: Mapped[list[str]] = mapped_column(JSON)
    # The claim of an interchange written for one claim (a submission, or the claim's own
    # export); None for a batch export.
    claim_id: Mapped[str | None] = mapped_column(String(36), default=None)
    content: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PayerFile(Base):
    """A file the payer adapter delivered (a 277CA or an 835), kept before anything is
    applied from it, so no payer response is lost: a file that cannot be applied now is
    retried, and one that can never be (unreadable, not balanced) stays here as failed with
    its reason. The same file delivered again is recognised by its hash."""

    __tablename__ = "payer_files"
    __table_args__ = (
        UniqueConstraint("sha256"),
        Index("ix_payer_files_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    # received (to apply) | applied | failed (never applied: last_error says why)
    status: Mapped[str] = mapped_column(String(16), default="received")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200), default=None)
    # What applying it did, per claim (acknowledgments, or payments as POST /v1/remittances
    # answers them).
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class RemittanceFile(Base):
    """An 835 file uploaded (POST /v1/remittances), once per tenant: the same file again is
    recognised by its hash (per claim, the trace numbers keep any payment from being posted
    twice)."""

    __tablename__ = "remittance_files"
    __table_args__ = (UniqueConstraint("scope", "sha256"),)

    id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    # "tenant:<id>": an upload posts to that tenant's claims only. ("payer" rows are files the
    # payer adapter delivered before they were kept in payer_files.)
    scope: Mapped[str] = mapped_column(String(80))
    sha256: Mapped[str] = mapped_column(String(64))
    interchange_control_number: Mapped[str] = mapped_column(String(9))
    content: Mapped[str] = mapped_column(Text)
    # What the first posting did, per claim: the answer to POST /v1/remittances.
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
