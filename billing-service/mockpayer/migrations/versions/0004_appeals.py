"""Appeals the payer received on claims it adjudicated, and its decision on each.

Revision ID: 0004_appeals
Revises: 0003_inquiries
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rcm_shared.db import UTCDateTime

revision: str = "0004_appeals"
down_revision: str | None = "0003_inquiries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGINT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "mock_payer_appeals",
        sa.Column("id", BIGINT_ID, autoincrement=True, nullable=False),
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("appeal_id", sa.String(64), nullable=False),
        sa.Column("payer_claim_id", BIGINT_ID, nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("letter", sa.Text(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mock_payer_appeals")),
        sa.ForeignKeyConstraint(["payer_claim_id"], ["mock_payer_claims.id"],
                                name=op.f("fk_mock_payer_appeals_payer_claim_id_mock_payer_claims"),
                                ondelete="CASCADE"),
        sa.UniqueConstraint("account", "appeal_id",
                            name=op.f("uq_mock_payer_appeals_account_appeal_id")),
    )
    op.create_index("ix_mock_payer_appeals_status", "mock_payer_appeals", ["status", "id"])


def downgrade() -> None:
    op.drop_index("ix_mock_payer_appeals_status", "mock_payer_appeals")
    op.drop_table("mock_payer_appeals")
