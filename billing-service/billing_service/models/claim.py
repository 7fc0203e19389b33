"""Claims, their lines, their event history, posted remittances and the payer outbox."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Computed,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from billing_service.models.base import Base
from billing_service.models.types import MoneyAmount
from rcm_shared.db import UTCDateTime, utcnow
from rcm_shared.money import ZERO

# Autoincrementing keys: BIGINT on PostgreSQL, INTEGER (the rowid) on SQLite.
SERIAL = BigInteger().with_variant(Integer, "sqlite")
BALANCE_CENTS = "CAST(ROUND((total_charge - paid_amount - adjustment_amount) * 100) AS BIGINT)"


class ClaimStatus(StrEnum):
    """What a claim's status column holds. Which action leads from which to which is the
    claim's state machine (billing_service.claims.state_machine); the payer contract speaks
    of the adjudicated ones too, which is why they live with the row and not in claims/."""

    READY = "ready"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    PAID = "paid"
    PARTIALLY_PAID = "partially_paid"
    DENIED = "denied"
    REPLACED = "replaced"
    VOIDED = "voided"
    # The payer before forwarded the claim to this one itself (a crossover): billing sends
    # nothing and waits for this payer's remittance.
    CROSSED_OVER = "crossed_over"
    CANCELED = "canceled"


class PayerSequence(StrEnum):
    """Which of the patient's payers a claim goes to (SBR01): primary first, then the next."""

    PRIMARY = "primary"
    SECONDARY = "secondary"
    TERTIARY = "tertiary"


# A canceled or voided claim no longer holds its encounter's place: the encounter may be billed
# anew beside it.
REBILLABLE = (ClaimStatus.CANCELED.value, ClaimStatus.VOIDED.value)
# Nor, where an encounter's claims must be one of a kind, does a replaced claim: its replacement
# may bill the same coding version (the next payer's claim after a readjudication).
STANDING = text("status NOT IN ('canceled', 'voided', 'replaced')")
# A claim some posted remittance left underpaid; SQLite holds money as text.
UNDERPAID_POSTGRESQL = text("underpaid_amount <> 0")
UNDERPAID_SQLITE = text("underpaid_amount <> '0.00'")


def new_id() -> str:
    return str(uuid.uuid4())


def new_patient_control_number() -> str:
    # CLM01 allows 20 characters, a UUID has 36: 80 random bits are plenty.
    return uuid.uuid4().hex[:20].upper()


class Claim(Base):
    __tablename__ = "claims"
    __table_args__ = (
        # One standing claim per frozen coding of an encounter, payer and part of a split:
        # a repeated request finds it.
        Index("uq_claims_standing", "tenant_id", "encounter_id", "coding_version",
              "payer_sequence", "split_index", unique=True,
              postgresql_where=STANDING, sqlite_where=STANDING),
        UniqueConstraint("patient_control_number"),
        Index("ix_claims_tenant_created", "tenant_id", "created_at", "id"),
        # The worklist's A/R aging: a range of dates of service per bucket, added up from
        # the index alone; its leading columns serve every lookup by tenant and status.
        Index("ix_claims_tenant_open_balances", "tenant_id", "status", "date_of_service",
              "balance_cents"),
        Index("ix_claims_tenant_patient", "tenant_id", "patient_id"),
        # Every claim of an encounter, canceled and voided ones too (uq_claims_standing
        # leaves them out).
        Index("ix_claims_tenant_encounter", "tenant_id", "encounter_id"),
        Index("ix_claims_payer_claim_number", "payer_claim_control_number"),
        # The worklist's underpayments per payer, read from the index alone: the few claims
        # paid below a contract, not every paid claim.
        Index("ix_claims_tenant_underpaid", "tenant_id", "status", "payer_id",
              "underpaid_amount", postgresql_where=UNDERPAID_POSTGRESQL,
              sqlite_where=UNDERPAID_SQLITE),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(String(64))
    patient_control_number: Mapped[str] = mapped_column(
        String(20), default=new_patient_control_number
    )
    encounter_id: Mapped[str] = mapped_column(String(64))
    coding_version: Mapped[int] = mapped_column(Integer)
    coverage_id: Mapped[str] = mapped_column(ForeignKey("coverages.id"))
    payer_sequence: Mapped[str] = mapped_column(
        String(9), default=PayerSequence.PRIMARY.value, server_default=PayerSequence.PRIMARY.value
    )
    # The claim of the payer before this one (a secondary's primary claim).
    prior_claim_id: Mapped[str | None] = mapped_column(ForeignKey("claims.id"), default=None)
    # An encounter too large for one claim is billed as `split_count` claims; 1 of 1 is whole.
    split_index: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    split_count: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    payer_id: Mapped[str] = mapped_column(String(32))
    patient_id: Mapped[str] = mapped_column(String(64))
    patient_first_name: Mapped[str] = mapped_column(String(100))
    patient_last_name: Mapped[str] = mapped_column(String(100))
    patient_birth_date: Mapped[date] = mapped_column(Date)
    patient_sex: Mapped[str] = mapped_column(String(1))
    date_of_service: Mapped[date] = mapped_column(Date)
    place_of_service: Mapped[str] = mapped_column(String(2))
    rendering_provider_npi: Mapped[str] = mapped_column(String(10))
    billing_provider_npi: Mapped[str] = mapped_column(String(10))
    # From the encounter, as coding-service returned them: the patient's rcm_shared Address,
    # the referring provider {npi, first_name, last_name}, the service facility
    # {name, npi, address} and the prior authorization number (REF*G1).
    patient_address: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    referring_provider: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    service_facility: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    prior_authorization: Mapped[str | None] = mapped_column(String(50), default=None)
    # ICD-10-CM codes, dotted, principal first (the HI segment).
    diagnoses: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="ready")
    frequency_code: Mapped[str] = mapped_column(String(1), default="1")
    replaces_claim_id: Mapped[str | None] = mapped_column(
        ForeignKey("claims.id"), default=None
    )
    replaced_by_claim_id: Mapped[str | None] = mapped_column(
        ForeignKey("claims.id"), default=None
    )
    # REF*F8: the payer's number for the claim a 7 or 8 refers to.
    original_payer_claim_number: Mapped[str | None] = mapped_column(String(50), default=None)
    payer_claim_control_number: Mapped[str | None] = mapped_column(String(50), default=None)
    # The submission the claim is waiting on; an acknowledgment for another one is stale.
    submission_id: Mapped[str | None] = mapped_column(String(64), default=None)
    submission_count: Mapped[int] = mapped_column(Integer, default=0)
    first_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    total_charge: Mapped[Decimal] = mapped_column(MoneyAmount)
    # Running sums over posted remittances (a reversal posts negative amounts).
    paid_amount: Mapped[Decimal] = mapped_column(MoneyAmount, default=ZERO)
    adjustment_amount: Mapped[Decimal] = mapped_column(MoneyAmount, default=ZERO)
    patient_responsibility: Mapped[Decimal] = mapped_column(MoneyAmount, default=ZERO)
    # How far the payer's allowed amounts fell below the tenant's contract with the payer, as
    # each remittance was posted (billing_service.contracts); a reversal takes its part back.
    underpaid_amount: Mapped[Decimal] = mapped_column(MoneyAmount, default=ZERO,
                                                      server_default="0.00")
    # What is still owed in whole cents, kept by the database, so the A/R aging adds integers
    # up instead of converting SQLite's text amounts row by row. Exact: the amounts carry at
    # most ten digits, which a double holds with room to round to the cent. Stored (an
    # index on it is kept either way); migration 0011 adds it virtual on SQLite, which
    # cannot add a stored column to a table.
    balance_cents: Mapped[int] = mapped_column(BigInteger, Computed(BALANCE_CENTS,
                                                                    persisted=True))
    scrub_issues: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # The payer's front-end errors of the last rejection: [{"code", "message"}].
    payer_errors: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    # What the standing remittance denied (claims.denials.Denial as JSON, amounts as decimal
    # strings): kept with the claim so the claim and the worklist read it without its postings.
    denials: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # The filing limit of the plan the claim was built for, in days from the date of service;
    # None when the payer does not say.
    timely_filing_days: Mapped[int | None] = mapped_column(Integer, default=None)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lines: Mapped[list[ClaimLine]] = relationship(
        order_by="ClaimLine.line_number", cascade="all, delete-orphan", lazy="selectin"
    )


class ClaimOpenBalance(Base):
    """Per tenant and date of service, the open claims that still owe something and what
    they owe in cents: the worklist's A/R aging adds a few hundred days up instead of every
    open claim. Kept by triggers on claims (migration 0022), never written by the app."""

    __tablename__ = "claim_open_balances"

    tenant_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    date_of_service: Mapped[date] = mapped_column(Date, primary_key=True)
    claims: Mapped[int] = mapped_column(Integer)
    balance_cents: Mapped[int] = mapped_column(BigInteger)


class ClaimDenialCount(Base):
    """Per tenant and denial category, the denied or partially paid claims with a denial of
    it and the denials of it: the worklist's denials by category without reading every such
    claim. Kept by triggers on claims (migration 0023), never written by the app."""

    __tablename__ = "claim_denial_counts"

    tenant_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    category: Mapped[str] = mapped_column(String(32), primary_key=True)
    claims: Mapped[int] = mapped_column(Integer)
    denials: Mapped[int] = mapped_column(Integer)


class ClaimLine(Base):
    __tablename__ = "claim_lines"
    __table_args__ = (UniqueConstraint("claim_id", "line_number"),)

    id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    claim_id: Mapped[str] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    line_number: Mapped[int] = mapped_column(Integer)
    procedure_code: Mapped[str] = mapped_column(String(5))
    modifiers: Mapped[list[str]] = mapped_column(JSON, default=list)
    units: Mapped[int] = mapped_column(Integer)
    charge: Mapped[Decimal] = mapped_column(MoneyAmount)
    # 1-based positions in the claim's diagnoses (after the builder's remapping).
    diagnosis_pointers: Mapped[list[int]] = mapped_column(JSON)
    date_of_service: Mapped[date] = mapped_column(Date)
    # The last day of a line billing a range of days.
    date_of_service_to: Mapped[date | None] = mapped_column(Date, default=None)
    # The drug a line bills: {code (11 digits), unit, quantity (a decimal string)}.
    ndc: Mapped[dict[str, str] | None] = mapped_column(JSON, default=None)


class ClaimEvent(Base):
    """Append-only: every transition and every payer response applied to a claim."""

    __tablename__ = "claim_events"
    __table_args__ = (Index("ix_claim_events_claim", "claim_id", "id"),)

    id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    claim_id: Mapped[str] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # "key:<API key id>", "payer" or "system".
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16), default=None)
    to_status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    carc: Mapped[list[str]] = mapped_column(JSON, default=list)
    rarc: Mapped[list[str]] = mapped_column(JSON, default=list)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class RemittancePosting(Base):
    """One 835-like remittance posted to a claim (a reversal is posted with negative amounts)."""

    __tablename__ = "remittances"
    __table_args__ = (
        # The payer's trace number: a remittance delivered twice is posted once.
        UniqueConstraint("claim_id", "trace_number"),
        Index("ix_remittances_tenant_claim", "tenant_id", "claim_id"),
    )

    id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    claim_id: Mapped[str] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    trace_number: Mapped[str] = mapped_column(String(80))
    payer_claim_control_number: Mapped[str] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(16))
    billed: Mapped[Decimal] = mapped_column(MoneyAmount)
    paid: Mapped[Decimal] = mapped_column(MoneyAmount)
    patient_responsibility: Mapped[Decimal] = mapped_column(MoneyAmount)
    remark_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    paid_date: Mapped[date | None] = mapped_column(Date, default=None)
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lines: Mapped[list[RemittanceLine]] = relationship(
        order_by="RemittanceLine.line_number", cascade="all, delete-orphan", lazy="selectin"
    )
    adjustments: Mapped[list[RemittanceAdjustment]] = relationship(
        order_by="RemittanceAdjustment.id", cascade="all, delete-orphan", lazy="selectin"
    )


class RemittanceLine(Base):
    __tablename__ = "remittance_lines"
    __table_args__ = (Index("ix_remittance_lines_remittance", "remittance_id", "line_number"),)

    id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    remittance_id: Mapped[int] = mapped_column(ForeignKey("remittances.id", ondelete="CASCADE"))
    line_number: Mapped[int] = mapped_column(Integer)
    procedure_code: Mapped[str] = mapped_column(String(5))
    billed: Mapped[Decimal] = mapped_column(MoneyAmount)
    allowed: Mapped[Decimal] = mapped_column(MoneyAmount)
    paid: Mapped[Decimal] = mapped_column(MoneyAmount)
    rarc: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Compared with the tenant's contract when posted: the contract's rate times the line's
    # units, and how far the allowed amount fell below it (0.00 when it did not). Both null
    # when the line was not compared (no rate for it, or the payer denied it). A reversal
    # negates what the remittance it takes back recorded.
    expected: Mapped[Decimal | None] = mapped_column(MoneyAmount, default=None)
    underpaid: Mapped[Decimal | None] = mapped_column(MoneyAmount, default=None)


class RemittanceAdjustment(Base):
    """A CAS adjustment: on a line (line_number set) or on the whole claim (line_number null)."""

    __tablename__ = "remittance_adjustments"
    __table_args__ = (Index("ix_remittance_adjustments_remittance", "remittance_id"),)

    id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    remittance_id: Mapped[int] = mapped_column(ForeignKey("remittances.id", ondelete="CASCADE"))
    line_number: Mapped[int | None] = mapped_column(Integer, default=None)
    group_code: Mapped[str] = mapped_column(String(2))
    carc: Mapped[str] = mapped_column(String(8))
    amount: Mapped[Decimal] = mapped_column(MoneyAmount)


class PayerJob(Base):
    """The outbox: a submission (or void) to hand to the payer adapter, written in the same
    transaction as the claim's transition and sent by a worker, retried with the same
    submission_id so a retry never creates a second payer claim."""

    __tablename__ = "payer_jobs"
    __table_args__ = (
        UniqueConstraint("submission_id"),
        Index("ix_payer_jobs_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    claim_id: Mapped[str] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    submission_id: Mapped[str] = mapped_column(String(64))
    frequency_code: Mapped[str] = mapped_column(String(1))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
