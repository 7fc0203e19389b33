"""Claim status inquiries: the 276 sent about a claim, the payer's 277 and what it said.

Revision ID: 0016_claim_status_inquiries
Revises: 0015_claim_data
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rcm_shared.db import UTCDateTime

revision: str = "0016_claim_status_inquiries"
down_revision: str | None = "0015_claim_data"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Exact on both engines: SQLite's NUMERIC affinity would store amounts as binary floats.
MONEY = sa.Numeric(12, 2).with_variant(sa.String(16), "sqlite")


def upgrade() -> None:
    op.create_table(
        "claim_status_inquiries",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("claim_id", sa.String(36), nullable=False),
        sa.Column("sent_by", sa.String(64), nullable=False),
        sa.Column("category", sa.String(3), nullable=False),
        sa.Column("status_code", sa.String(8), nullable=False),
        sa.Column("status_date", sa.Date(), nullable=False),
        sa.Column("payer_claim_control_number", sa.String(50), nullable=True),
        sa.Column("paid", MONEY, nullable=True),
        sa.Column("adjudicated_on", sa.Date(), nullable=True),
        sa.Column("inquiry_x12", sa.Text(), nullable=False),
        sa.Column("answer_x12", sa.Text(), nullable=False),
        sa.Column("checked_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_status_inquiries")),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], ondelete="CASCADE",
                                name=op.f("fk_claim_status_inquiries_claim_id_claims")),
    )
    op.create_index("ix_claim_status_inquiries_claim", "claim_status_inquiries",
                    ["tenant_id", "claim_id", "checked_at"])


def downgrade() -> None:
    op.drop_index("ix_claim_status_inquiries_claim", "claim_status_inquiries")
    op.drop_table("claim_status_inquiries")
