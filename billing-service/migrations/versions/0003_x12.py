"""X12: 837P interchanges and their control numbers, 835 files received, and what the mock
payer keeps to answer in X12 (who sent each claim, its line item control numbers, the
interchanges it sent, balances carried forward per payee).

Revision ID: 0003_x12
Revises: 0002_mock_payer
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rcm_shared.db import UTCDateTime

revision: str = "0003_x12"
down_revision: str | None = "0002_mock_payer"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGINT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
# Exact on both engines: SQLite's NUMERIC affinity would store amounts as binary floats.
MONEY = sa.Numeric(12, 2).with_variant(sa.String(16), "sqlite")


def upgrade() -> None:
    op.create_table(
        "x12_interchanges",
        sa.Column("control_number", BIGINT_ID, nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("submission_id", sa.String(64), nullable=True),
        sa.Column("claim_ids", sa.JSON(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("control_number", name=op.f("pk_x12_interchanges")),
        sa.UniqueConstraint("submission_id", name=op.f("uq_x12_interchanges_submission_id")),
    )
    op.create_index(
        "ix_x12_interchanges_tenant", "x12_interchanges", ["tenant_id", "control_number"]
    )

    op.create_table(
        "remittance_files",
        sa.Column("id", BIGINT_ID, nullable=False),
        sa.Column("scope", sa.String(80), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("interchange_control_number", sa.String(9), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remittance_files")),
        sa.UniqueConstraint("scope", "sha256", name=op.f("uq_remittance_files_scope_sha256")),
    )

    # Submissions received before X12 keep empty values: their answers were already sent.
    with op.batch_alter_table("mock_payer_submissions") as batch:
        batch.add_column(sa.Column("submitter_id", sa.String(15), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("submitter_name", sa.String(60), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("billing_provider_name", sa.String(60), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("line_item_control_numbers", sa.JSON(), nullable=False,
                                   server_default="[]"))

    op.create_table(
        "mock_payer_payee_balances",
        sa.Column("payer_id", sa.String(32), nullable=False),
        sa.Column("payee_npi", sa.String(10), nullable=False),
        sa.Column("owed", MONEY, nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("payer_id", "payee_npi",
                                name=op.f("pk_mock_payer_payee_balances")),
    )

    op.create_table(
        "mock_payer_interchanges",
        sa.Column("control_number", BIGINT_ID, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("receiver_id", sa.String(15), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("control_number", name=op.f("pk_mock_payer_interchanges")),
    )


def downgrade() -> None:
    op.drop_table("mock_payer_interchanges")
    op.drop_table("mock_payer_payee_balances")
    with op.batch_alter_table("mock_payer_submissions") as batch:
        for column in ("line_item_control_numbers", "billing_provider_name", "submitter_name",
                       "submitter_id"):
            batch.drop_column(column)
    op.drop_table("remittance_files")
    op.drop_index("ix_x12_interchanges_tenant", table_name="x12_interchanges")
    op.drop_table("x12_interchanges")
