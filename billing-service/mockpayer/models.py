"""The mock payer's own records: what it received, the claims it accepted, each member's
plan-year accumulators, and the files it owes each account. Its own metadata and Alembic chain
(mockpayer/migrations): none of it is billing's schema.

An account is who sends claims through the clearinghouse (one billing deployment, named by
its credential): what it submitted and the files answering it are its own. The payer side
(claims it accepted, accumulators, payee balances) is one payer's books across accounts, as a
real payer keeps them."""

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
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from billing_service.models.types import MoneyAmount
from rcm_shared.db import UTCDateTime, new_metadata, utcnow

# Autoincrementing keys: BIGINT on PostgreSQL, INTEGER (the rowid) on SQLite.
SERIAL = BigInteger().with_variant(Integer, "sqlite")
ACCOUNT_LENGTH = 64


class Base(DeclarativeBase):
    metadata = new_metadata()


class MockPayerSubmission(Base):
    """A claim as the payer received it. The id orders processing; a retried submission
    finds its row by the account's submission_id instead of adding one."""

    __tablename__ = "mock_payer_submissions"
    __table_args__ = (
        UniqueConstraint("account", "submission_id"),
        Index("ix_mock_payer_submissions_stage", "stage", "id"),
        Index("ix_mock_payer_submissions_account_pcn", "account", "patient_control_number",
              "id"),
    )

    id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    account: Mapped[str] = mapped_column(String(ACCOUNT_LENGTH))
    submission_id: Mapped[str] = mapped_column(String(64))
    # CLM01: a status inquiry (276) names its claim by it.
    patient_control_number: Mapped[str] = mapped_column(String(38), default="")
    payer_id: Mapped[str] = mapped_column(String(32))
    frequency_code: Mapped[str] = mapped_column(String(1))
    # The ClaimForPayer read from the 837P, amounts as decimal strings.
    claim: Mapped[dict[str, Any]] = mapped_column(JSON)
    # From the same 837P, for the 277CA and 835 that answer it: who sent it (ISA06 and loop
    # 1000A), the billing provider's name and each line's REF*6R, in line order.
    submitter_id: Mapped[str] = mapped_column(String(15), default="")
    submitter_name: Mapped[str] = mapped_column(String(60), default="")
    billing_provider_name: Mapped[str] = mapped_column(String(60), default="")
    line_item_control_numbers: Mapped[list[str]] = mapped_column(JSON, default=list)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The payer's business day of receipt: timely filing counts to it.
    received_on: Mapped[date] = mapped_column(Date)
    # received -> accepted | rejected; accepted -> adjudicated.
    stage: Mapped[str] = mapped_column(String(16), default="received")
    # Fault injection: the acknowledgment was held back one poll.
    ack_deferred: Mapped[bool] = mapped_column(Boolean, default=False)
    polls_since_ack: Mapped[int] = mapped_column(Integer, default=0)
    # A claim Medicare forwarded to a supplement itself (a crossover): the submission it came
    # from. Nobody sent it, so no acknowledgment goes out; its 835 does.
    crossover_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("mock_payer_submissions.id", ondelete="CASCADE"), default=None
    )


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


class MockPayerPayeeBalance(Base):
    """What a payee owes the payer: recoupments beyond what one 835 paid it, carried forward
    (PLB FB) and taken from its next payments."""

    __tablename__ = "mock_payer_payee_balances"

    payer_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    payee_npi: Mapped[str] = mapped_column(String(10), primary_key=True)
    owed: Mapped[Decimal] = mapped_column(MoneyAmount)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MockPayerInterchange(Base):
    """A 277CA or 835 interchange the payer sent an account, under its control number
    (ISA13). It is offered to the account on every poll until the account acknowledges that
    it kept it."""

    __tablename__ = "mock_payer_interchanges"
    __table_args__ = (
        Index("ix_mock_payer_interchanges_unacknowledged", "account", "acknowledged_at",
              "control_number"),
    )

    control_number: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    account: Mapped[str] = mapped_column(String(ACCOUNT_LENGTH))
    # 277CA | 835
    kind: Mapped[str] = mapped_column(String(8))
    receiver_id: Mapped[str] = mapped_column(String(15))
    content: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class MockPayerInquiry(Base):
    """A real-time inquiry (a 270 or a 276) and the answer the payer gave (271 or 277); the
    control number is the answer's ISA13."""

    __tablename__ = "mock_payer_inquiries"

    control_number: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    account: Mapped[str] = mapped_column(String(ACCOUNT_LENGTH))
    # 270 | 276
    kind: Mapped[str] = mapped_column(String(8))
    inquiry: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MockPayerAppeal(Base):
    """A provider's appeal of a claim the payer adjudicated, as received, and the payer's
    decision in a later turn of its day."""

    __tablename__ = "mock_payer_appeals"
    __table_args__ = (
        # The sender's appeal id: an appeal sent again is recorded once.
        UniqueConstraint("account", "appeal_id"),
        Index("ix_mock_payer_appeals_status", "status", "id"),
    )

    id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    account: Mapped[str] = mapped_column(String(ACCOUNT_LENGTH))
    appeal_id: Mapped[str] = mapped_column(String(64))
    payer_claim_id: Mapped[int] = mapped_column(
        ForeignKey("mock_payer_claims.id", ondelete="CASCADE"))
    level: Mapped[int] = mapped_column(Integer)
    letter: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # received -> overturned | upheld
    status: Mapped[str] = mapped_column(String(16), default="received")
    decided_on: Mapped[date | None] = mapped_column(Date, default=None)
    explanation: Mapped[str | None] = mapped_column(Text, default=None)
