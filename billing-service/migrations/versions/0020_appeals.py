"""Appeals of a claim's denial: the letter sent to the payer, its reference and the payer's
decision.

Revision ID: 0020_appeals
Revises: 0019_payer_contracts
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rcm_shared.db import UTCDateTime

revision: str = "0020_appeals"
down_revision: str | None = "0019_payer_contracts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "appeals",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("claim_id", sa.String(36), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("letter", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("payer_reference", sa.String(64), nullable=False),
        sa.Column("submitted_by", sa.String(64), nullable=False),
        sa.Column("submitted_at", UTCDateTime(), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decision", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appeals")),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"],
                                name=op.f("fk_appeals_claim_id_claims"), ondelete="CASCADE"),
    )
    op.create_index("ix_appeals_claim", "appeals", ["tenant_id", "claim_id", "submitted_at",
                                                    "id"])
    op.create_index("ix_appeals_status", "appeals", ["status", "submitted_at"])


def downgrade() -> None:
    op.drop_index("ix_appeals_status", "appeals")
    op.drop_index("ix_appeals_claim", "appeals")
    op.drop_table("appeals")
