"""CMS NCCI reference data: PTP code-pair edits, MUE values, and a record of each load.

Reference data, the same for every tenant: these tables carry no tenant_id.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    Index,
    Integer,
    SmallInteger,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from coding_service.models.base import Base
from rcm_shared.db import UTCDateTime, utcnow


class NcciPtpEdit(Base):
    """One row of the practitioner PTP file: column-2 code not paid with the column-1 code."""

    __tablename__ = "ncci_ptp_edits"
    __table_args__ = (
        CheckConstraint("modifier_indicator IN ('0', '1', '9')", name="modifier_indicator"),
        Index("ix_ncci_ptp_edits_pair", "column1", "column2"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    column1: Mapped[str] = mapped_column(String(5))
    column2: Mapped[str] = mapped_column(String(5))
    effective_date: Mapped[date] = mapped_column(Date)
    # The first date the edit no longer applies; None while it is in force.
    deletion_date: Mapped[date | None] = mapped_column(Date, default=None)
    modifier_indicator: Mapped[str] = mapped_column(String(1))
    rationale: Mapped[str] = mapped_column(String(255))
    quarter: Mapped[str] = mapped_column(String(100))


class NcciMueEdit(Base):
    """One row of the practitioner MUE file: the most units of a code per day."""

    __tablename__ = "mue_edits"
    __table_args__ = (
        CheckConstraint("adjudication_indicator IN (1, 2, 3)", name="adjudication_indicator"),
        CheckConstraint("mue_value >= 0", name="mue_value"),
    )

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    mue_value: Mapped[int] = mapped_column(Integer)
    adjudication_indicator: Mapped[int] = mapped_column(SmallInteger)
    rationale: Mapped[str] = mapped_column(String(255))
    quarter: Mapped[str] = mapped_column(String(100))


class NcciAddonEdit(Base):
    """One row of the add-on code (AOC) file: an add-on code paid only with a primary code.

    Type 2 rows name no primary (the payer keeps its own list)."""

    __tablename__ = "ncci_addon_edits"
    __table_args__ = (
        CheckConstraint("edit_type IN (1, 2, 3)", name="edit_type"),
        Index("ix_ncci_addon_edits_addon_code", "addon_code"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    addon_code: Mapped[str] = mapped_column(String(5))
    primary_code: Mapped[str | None] = mapped_column(String(5), default=None)
    edit_type: Mapped[int] = mapped_column(SmallInteger)
    effective_date: Mapped[date] = mapped_column(Date)
    deletion_date: Mapped[date | None] = mapped_column(Date, default=None)
    quarter: Mapped[str] = mapped_column(String(100))


class NcciLoad(Base):
    """Each replacement of the PTP, MUE or add-on code data: what was loaded, from where, when."""

    __tablename__ = "ncci_loads"
    __table_args__ = (
        CheckConstraint("kind IN ('ptp', 'mue', 'aoc')", name="kind"),
        Index("ix_ncci_loads_kind_loaded", "kind", "loaded_at"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    kind: Mapped[str] = mapped_column(String(3))
    quarter: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(1000))
    row_count: Mapped[int] = mapped_column(Integer)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
