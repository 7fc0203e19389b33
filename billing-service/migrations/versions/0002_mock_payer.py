"""The mock payer's tables: submissions received, payer claims, accumulators, responses.

Revision ID: 0002_mock_payer
Revises: 0001_billing_core
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rcm_shared.db import UTCDateTime

revision: str = "0002_mock_payer"
down_revision: str | None = "0001_billing_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGINT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
# Exact on both engines: SQLite's NUMERIC affinity would store amounts as binary floats.
MONEY = sa.Numeric(12, 2).with_variant(sa.String(16), "sqlite")


def upgrade() -> None:
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
            ["submission_row_id"],
            ["mock_payer_submissions.id"],
            ondelete="CASCADE",
            name=op.f("fk_mock_payer_claims_submission_row_id_mock_payer_submissions"),
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by_id"],
            ["mock_payer_claims.id"],
            name=op.f("fk_mock_payer_claims_superseded_by_id_mock_payer_claims"),
        ),
        sa.UniqueConstraint(
            "payer_claim_control_number",
            name=op.f("uq_mock_payer_claims_payer_claim_control_number"),
        ),
        sa.UniqueConstraint(
            "submission_row_id", name=op.f("uq_mock_payer_claims_submission_row_id")
        ),
    )
    op.create_index(
        "ix_mock_payer_claims_duplicate", "mock_payer_claims", ["payer_id", "duplicate_key"]
    )

    op.create_table(
        "mock_payer_accumulators",
        sa.Column("payer_id", sa.String(32), nullable=False),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("plan_year", sa.Integer(), nullable=False),
        sa.Column("deductible_met", MONEY, nullable=False),
        sa.Column("out_of_pocket_met", MONEY, nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint(
            "payer_id", "member_id", "plan_year", name=op.f("pk_mock_payer_accumulators")
        ),
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
            ["submission_row_id"],
            ["mock_payer_submissions.id"],
            ondelete="CASCADE",
            name=op.f("fk_mock_payer_responses_submission_row_id_mock_payer_submissions"),
        ),
    )
    op.create_index(
        "ix_mock_payer_responses_undelivered", "mock_payer_responses", ["delivered", "id"]
    )


def downgrade() -> None:
    op.drop_table("mock_payer_responses")
    op.drop_table("mock_payer_accumulators")
    op.drop_table("mock_payer_claims")
    op.drop_table("mock_payer_submissions")
