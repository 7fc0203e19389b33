"""NCCI PTP edits, MUE values and their load records, with the shipped sample loaded.

Revision ID: 0002_ncci_edits
Revises: 0001_encounters
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from coding_service.ncci.loader import (
    SAMPLE_MUE,
    SAMPLE_PTP,
    SAMPLE_QUARTER,
    read_mue_rows,
    read_ptp_rows,
)
from rcm_shared.db import UTCDateTime, utcnow

revision: str = "0002_ncci_edits"
down_revision: str | None = "0001_encounters"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGINT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    ptp = op.create_table(
        "ncci_ptp_edits",
        sa.Column("id", BIGINT_ID, autoincrement=True, nullable=False),
        sa.Column("column1", sa.String(5), nullable=False),
        sa.Column("column2", sa.String(5), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("deletion_date", sa.Date(), nullable=True),
        sa.Column("modifier_indicator", sa.String(1), nullable=False),
        sa.Column("rationale", sa.String(255), nullable=False),
        sa.Column("quarter", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ncci_ptp_edits")),
        sa.CheckConstraint(
            "modifier_indicator IN ('0', '1', '9')",
            name=op.f("ck_ncci_ptp_edits_modifier_indicator"),
        ),
    )
    op.create_index("ix_ncci_ptp_edits_pair", "ncci_ptp_edits", ["column1", "column2"])

    mue = op.create_table(
        "mue_edits",
        sa.Column("code", sa.String(5), nullable=False),
        sa.Column("mue_value", sa.Integer(), nullable=False),
        sa.Column("adjudication_indicator", sa.SmallInteger(), nullable=False),
        sa.Column("rationale", sa.String(255), nullable=False),
        sa.Column("quarter", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_mue_edits")),
        sa.CheckConstraint(
            "adjudication_indicator IN (1, 2, 3)",
            name=op.f("ck_mue_edits_adjudication_indicator"),
        ),
        sa.CheckConstraint("mue_value >= 0", name=op.f("ck_mue_edits_mue_value")),
    )

    loads = op.create_table(
        "ncci_loads",
        sa.Column("id", BIGINT_ID, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(3), nullable=False),
        sa.Column("quarter", sa.String(100), nullable=False),
        sa.Column("source", sa.String(1000), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("loaded_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ncci_loads")),
        sa.CheckConstraint("kind IN ('ptp', 'mue')", name=op.f("ck_ncci_loads_kind")),
    )
    op.create_index("ix_ncci_loads_kind_loaded", "ncci_loads", ["kind", "loaded_at"])

    # The sample makes a fresh install check PTP and MUE edits out of the box; the
    # `load-ncci` command replaces it with the full CMS quarterly files.
    ptp_rows = [dict(row, quarter=SAMPLE_QUARTER) for row in read_ptp_rows(SAMPLE_PTP)]
    mue_rows = [dict(row, quarter=SAMPLE_QUARTER) for row in read_mue_rows(SAMPLE_MUE)]
    op.bulk_insert(ptp, ptp_rows)
    op.bulk_insert(mue, mue_rows)
    loaded_at = utcnow()
    op.bulk_insert(loads, [
        {"kind": "ptp", "quarter": SAMPLE_QUARTER, "source": SAMPLE_PTP.name,
         "row_count": len(ptp_rows), "loaded_at": loaded_at},
        {"kind": "mue", "quarter": SAMPLE_QUARTER, "source": SAMPLE_MUE.name,
         "row_count": len(mue_rows), "loaded_at": loaded_at},
    ])


def downgrade() -> None:
    op.drop_index("ix_ncci_loads_kind_loaded", table_name="ncci_loads")
    op.drop_table("ncci_loads")
    op.drop_table("mue_edits")
    op.drop_index("ix_ncci_ptp_edits_pair", table_name="ncci_ptp_edits")
    op.drop_table("ncci_ptp_edits")
