"""The mock payer's tables leave billing's schema: they belong to the mock payer's own chain
(mockpayer/migrations, version table mockpayer_alembic_version), on its own database, so a
deployment with a real clearinghouse carries none of them.

Their rows are dropped, not moved: they were a mock payer's state (claims it received, what it
had paid), disposable by design. Claims billing had submitted and not yet seen answered are
answered by no one; resubmit or void them.

Downgrading recreates the tables empty, as 0006 left them (0007 did not touch them).

Revision ID: 0008_mock_payer_out
Revises: 0007_control_numbers
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rcm_shared.db import UTCDateTime

revision: str = "0008_mock_payer_out"
down_revision: str | None = "0007_control_numbers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Children before the tables their foreign keys name.
MOCK_PAYER_TABLES = ("mock_payer_interchanges", "mock_payer_payee_balances",
                     "mock_payer_responses", "mock_payer_accumulators", "mock_payer_claims",
                     "mock_payer_submissions")
BIGINT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
MONEY = sa.Numeric(12, 2).with_variant(sa.String(16), "sqlite")


def upgrade() -> None:
    for table in MOCK_PAYER_TABLES:
        op.drop_table(table)


def downgrade() -> None:
    op.create_table(
        "mock_payer_submissions",
        sa.Column("id", BIGINT_ID, nullable=False),
        sa.Column("submission_id", sa.String(64), nullable=False),
        sa.Column("payer_id", sa.String(32), nullable=False),
        sa.Column("frequency_code", sa.String(1), nullable=False),
        sa.Column("claim", sa.JSON(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("ack_deferred", sa.Boolean(), nullable=False),
        sa.Column("polls_since_ack", sa.Integer(), nullable=False),
        sa.Column("submitter_id", sa.String(15), nullable=False, server_default=""),
        sa.Column("submitter_name", sa.String(60), nullable=False, server_default=""),
        sa.Column("billing_provider_name", sa.String(60), nullable=False, server_default=""),
        sa.Column("line_item_control_numbers", sa.JSON(), nullable=False, server_default="[]"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mock_payer_submissions")),
        sa.UniqueConstraint("submission_id", name=op.f("uq_mock_payer_submissions_submission_id")),
    )
    op.create_index("ix_mock_payer_submissions_stage", "mock_payer_submissions", ["stage", "id"])
    op.create_table(
        "mock_payer_claims",
        sa.Column("id", BIGINT_ID, nullable=False),
        sa.Column("submission_row_id", BIGINT_ID, nullable=False),
        sa.Column("payer_claim_control_number", sa.String(32), nullable=False),
        sa.Column("payer_id", sa.String(32), nullable=False),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("plan_year", sa.Integer(), nullable=False),
        sa.Column("frequency_code", sa.String(1), nullable=False),
        sa.Column("duplicate_key", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("denied_as_duplicate", sa.Boolean(), nullable=False),
        sa.Column("superseded_by_id", BIGINT_ID, nullable=True),
        sa.Column("remittance", sa.JSON(), nullable=True),
        sa.Column("accepted_at", UTCDateTime(), nullable=False),
        sa.Column("adjudicated_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mock_payer_claims")),
        sa.ForeignKeyConstraint(
            ["submission_row_id"], ["mock_payer_submissions.id"], ondelete="CASCADE",
            name=op.f("fk_mock_payer_claims_submission_row_id_mock_payer_submissions")),
        sa.ForeignKeyConstraint(
            ["superseded_by_id"], ["mock_payer_claims.id"],
            name=op.f("fk_mock_payer_claims_superseded_by_id_mock_payer_claims")),
        sa.UniqueConstraint("payer_claim_control_number",
                            name=op.f("uq_mock_payer_claims_payer_claim_control_number")),
        sa.UniqueConstraint("submission_row_id",
                            name=op.f("uq_mock_payer_claims_submission_row_id")),
    )
    op.create_index("ix_mock_payer_claims_duplicate", "mock_payer_claims",
                    ["payer_id", "duplicate_key"])
    op.create_table(
        "mock_payer_accumulators",
        sa.Column("payer_id", sa.String(32), nullable=False),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("plan_year", sa.Integer(), nullable=False),
        sa.Column("deductible_met", MONEY, nullable=False),
        sa.Column("out_of_pocket_met", MONEY, nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("payer_id", "member_id", "plan_year",
                                name=op.f("pk_mock_payer_accumulators")),
    )
    op.create_table(
        "mock_payer_responses",
        sa.Column("id", BIGINT_ID, nullable=False),
        sa.Column("submission_row_id", BIGINT_ID, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("delivered", sa.Boolean(), nullable=False),
        sa.Column("delivered_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mock_payer_responses")),
        sa.ForeignKeyConstraint(
            ["submission_row_id"], ["mock_payer_submissions.id"], ondelete="CASCADE",
            name=op.f("fk_mock_payer_responses_submission_row_id_mock_payer_submissions")),
    )
    op.create_index("ix_mock_payer_responses_undelivered", "mock_payer_responses",
                    ["delivered", "id"])
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
        sa.Column("acknowledged_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("control_number", name=op.f("pk_mock_payer_interchanges")),
    )
    op.create_index("ix_mock_payer_interchanges_unacknowledged", "mock_payer_interchanges",
                    ["acknowledged_at", "control_number"])
