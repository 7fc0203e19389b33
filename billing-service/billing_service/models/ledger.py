"""The patient's own money on the account: payments, refunds and write-offs, append-only."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from billing_service.models.base import Base
from billing_service.models.claim import SERIAL
from billing_service.models.types import MoneyAmount
from rcm_shared.db import UTCDateTime, utcnow


class PatientLedgerEntry(Base):
    """One row per part of a patient transaction: a payment applied to two claims with some
    left over is three rows sharing `transaction_id`. Rows are only ever inserted; a mistake
    is corrected by a new entry (a refund, an adjustment), so the ledger's history stands."""

    __tablename__ = "patient_ledger_entries"
    __table_args__ = (
        Index("ix_patient_ledger_entries_patient", "tenant_id", "patient_id", "id"),
    )

    id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    patient_id: Mapped[str] = mapped_column(String(64))
    transaction_id: Mapped[str] = mapped_column(String(36))
    # patient_payment | refund | write_off
    kind: Mapped[str] = mapped_column(String(16))
    claim_id: Mapped[str | None] = mapped_column(ForeignKey("claims.id"), default=None)
    # Signed as the ledger counts it: a payment or write-off lowers the balance (negative).
    amount: Mapped[Decimal] = mapped_column(MoneyAmount)
    method: Mapped[str | None] = mapped_column(String(5), default=None)
    reference: Mapped[str | None] = mapped_column(String(50), default=None)
    received_on: Mapped[date | None] = mapped_column(Date, default=None)
    reason: Mapped[str | None] = mapped_column(String(16), default=None)
    created_by: Mapped[str] = mapped_column(String(64))
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
