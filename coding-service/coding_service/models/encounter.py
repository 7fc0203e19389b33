"""Encounters, their frozen coding versions, provider queries and their event history."""

from __future__ import annotations

import uuid
from datetime import date, datetime
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
from sqlalchemy.orm import Mapped, mapped_column

from coding_service.models.base import Base
from rcm_shared.db import UTCDateTime, utcnow


def new_id() -> str:
    return str(uuid.uuid4())


class Encounter(Base):
    __tablename__ = "encounters"
    __table_args__ = (
        UniqueConstraint("tenant_id", "external_id"),
        Index("ix_encounters_tenant_updated", "tenant_id", "updated_at", "id"),
        Index("ix_encounters_tenant_patient", "tenant_id", "patient_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str] = mapped_column(String(100))
    patient_id: Mapped[str] = mapped_column(String(64))
    patient_first_name: Mapped[str] = mapped_column(String(100))
    patient_last_name: Mapped[str] = mapped_column(String(100))
    patient_birth_date: Mapped[date] = mapped_column(Date)
    patient_sex: Mapped[str] = mapped_column(String(1))
    patient_address: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    date_of_service: Mapped[date] = mapped_column(Date)
    place_of_service: Mapped[str] = mapped_column(String(2))
    rendering_provider_npi: Mapped[str] = mapped_column(String(10))
    billing_provider_npi: Mapped[str] = mapped_column(String(10))
    referring_provider: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    service_facility: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    prior_authorization: Mapped[str | None] = mapped_column(String(50), default=None)
    status: Mapped[str] = mapped_column(String(32), default="open")
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The coding version the current codes belong to: frozen when finalized, a draft otherwise.
    coding_version: Mapped[int] = mapped_column(Integer, default=1)
    diagnoses: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    service_lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    issues: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CodingVersion(Base):
    """An immutable snapshot of the codes at finalization."""

    __tablename__ = "encounter_coding_versions"
    __table_args__ = (UniqueConstraint("encounter_id", "coding_version"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    encounter_id: Mapped[str] = mapped_column(ForeignKey("encounters.id", ondelete="CASCADE"))
    coding_version: Mapped[int] = mapped_column(Integer)
    diagnoses: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    service_lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    finalized_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finalized_by: Mapped[str] = mapped_column(String(64))


class ProviderQuery(Base):
    __tablename__ = "provider_queries"
    __table_args__ = (Index("ix_provider_queries_encounter", "encounter_id", "status"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(String(64))
    encounter_id: Mapped[str] = mapped_column(ForeignKey("encounters.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text, default=None)
    status: Mapped[str] = mapped_column(String(16), default="open")
    asked_by: Mapped[str] = mapped_column(String(64))
    answered_by: Mapped[str | None] = mapped_column(String(64), default=None)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class EncounterEvent(Base):
    """Append-only history of every change; `published` events also form the outbox feed."""

    __tablename__ = "encounter_events"
    __table_args__ = (
        Index("ix_encounter_events_encounter", "encounter_id", "id"),
        Index("ix_encounter_events_feed", "tenant_id", "published", "id"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    tenant_id: Mapped[str] = mapped_column(String(64))
    encounter_id: Mapped[str] = mapped_column(ForeignKey("encounters.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(48))
    actor: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
