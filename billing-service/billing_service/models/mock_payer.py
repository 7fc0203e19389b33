"""The mock payer's own records: what it received, the claims it accepted, each member's
plan-year accumulators, and the responses it owes billing. Not tenant data: the payer is
one outside party every tenant bills."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from billing_service.models.base import Base
from billing_service.models.types import MoneyAmount
from rcm_shared.db import UTCDateTime, utcnow

# Autoincrementing keys: BIGINT on PostgreSQL, INTEGER (the rowid) on SQLite.
SERIAL = BigInteger().with_variant(Integer, "sqlite")


class MockPayerSubmission(Base):
    """A claim as the payer received it. The id orders processing; a retried submission
    finds its row by submission_id instead of adding one."""

    __tablename__ = "mock_payer_submissions"
    __table_args__ = (
        UniqueConstraint("submission_id"),
        Index("ix_mock_payer_submissions_stage", "stage", "id"),
    )

    id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    submission_id: Mapped[str] = mapped_column(String(64))
    payer_id: Mapped[str] = mapped_column(String(32))
    frequency_code: Mapped[str] = mapped_column(String(1))
    # The ClaimForPayer as received, amounts as decimal strings.
    claim: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The payer's business day of receipt: timely filing counts to it.
    received_on: Mapped[date] = mapped_column(Date)
    # received -> accepted | rejected; accepted -> adjudicated.
    stage: Mapped[str] = mapped_column(String(16), default="received")
    # Fault injection: the acknowledgment was held back one poll.
    ack_deferred: Mapped[bool] = mapped_column(Boolean, default=False)
    polls_since_ack: Mapped[int] = mapped_column(Integer, default=0)


class MockPayerClaim(Base):
    """A claim the payer accepted, under the payer claim control number it assigned."""

    __tablename__ = "mock_payer_claims"
    __table_args__ = (
        UniqueConstraint("payer_claim_control_number"),
        UniqueConstraint("submission_row_id"),
        Index("ix_mock_payer_claims_duplicate", "payer_id", "duplicate_key"),
    )

    id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    submission_row_id: Mapped[int] = mapped_column(
        ForeignKey("mock_payer_submissions.id", ondelete="CASCADE")
    )
    payer_claim_control_number: Mapped[str] = mapped_column(String(32))
    payer_id: Mapped[str] = mapped_column(String(32))
    member_id: Mapped[str] = mapped_column(String(64))
    # The calendar year of the date of service: the accumulator the claim counts toward.
    plan_year: Mapped[int] = mapped_column(Integer)
    frequency_code: Mapped[str] = mapped_column(String(1))
    duplicate_key: Mapped[str] = mapped_column(String(64))
    # pending -> paid | partially_paid | denied -> reversed; a void (8) ends "applied".
    status: Mapped[str] = mapped_column(String(16), default="pending")
    # Denied CO-18: a later copy must not count it as the original.
    denied_as_duplicate: Mapped[bool] = mapped_column(Boolean, default=False)
    # The replacement or void that points at this claim, once accepted.
    superseded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("mock_payer_claims.id"), default=None
    )
    # The Remittance as sent, amounts as decimal strings; a reversal negates it.
    remittance: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    adjudicated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class MockPayerAccumulator(Base):
    """A member's deductible and out-of-pocket totals for one plan (calendar) year."""

    __tablename__ = "mock_payer_accumulators"

    payer_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    member_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    plan_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    deductible_met: Mapped[Decimal] = mapped_column(MoneyAmount)
    out_of_pocket_met: Mapped[Decimal] = mapped_column(MoneyAmount)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MockPayerResponse(Base):
    """An acknowledgment or remittance in the order the payer produced it, until fetched."""

    __tablename__ = "mock_payer_responses"
    __table_args__ = (Index("ix_mock_payer_responses_undelivered", "delivered", "id"),)

    id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    submission_row_id: Mapped[int] = mapped_column(
        ForeignKey("mock_payer_submissions.id", ondelete="CASCADE")
    )
    # acknowledgment | remittance
    kind: Mapped[str] = mapped_column(String(16))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered: Mapped[bool] = mapped_column(Boolean, default=False)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
