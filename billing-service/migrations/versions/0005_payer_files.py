"""Every file the payer adapter delivers, kept before it is applied; the claim of a one-claim
837P interchange, so the claim's export can be found again instead of written anew.

Revision ID: 0005_payer_files
Revises: 0004_idempotency_audit_events
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rcm_shared.db import UTCDateTime

revision: str = "0005_payer_files"
down_revision: str | None = "0004_idempotency_audit_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGINT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "payer_files",
        sa.Column("id", BIGINT_ID, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(200), nullable=True),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
        sa.Column("applied_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payer_files")),
        sa.UniqueConstraint("sha256", name=op.f("uq_payer_files_sha256")),
    )
    op.create_index("ix_payer_files_due", "payer_files", ["status", "next_attempt_at"])

    # Interchanges written before keep no claim: a claim's next export writes a new one.
    op.add_column("x12_interchanges", sa.Column("claim_id", sa.String(36), nullable=True))
    op.create_index("ix_x12_interchanges_claim", "x12_interchanges",
                    ["tenant_id", "claim_id", "control_number"])


def downgrade() -> None:
    op.drop_index("ix_x12_interchanges_claim", table_name="x12_interchanges")
    with op.batch_alter_table("x12_interchanges") as batch:
        batch.drop_column("claim_id")
    op.drop_index("ix_payer_files_due", table_name="payer_files")
    op.drop_table("payer_files")
