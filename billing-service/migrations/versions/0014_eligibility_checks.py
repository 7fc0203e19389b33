"""Eligibility checks: the 270 sent about a coverage, the payer's 271 and what it said.

Revision ID: 0014_eligibility_checks
Revises: 0013_subscriber_address
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rcm_shared.db import UTCDateTime

revision: str = "0014_eligibility_checks"
down_revision: str | None = "0013_subscriber_address"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "eligibility_checks",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("coverage_id", sa.String(36), nullable=False),
        sa.Column("date_of_service", sa.Date(), nullable=False),
        sa.Column("service_type_codes", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("plan_code", sa.String(50), nullable=True),
        sa.Column("plan_name", sa.String(50), nullable=True),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("benefits", sa.JSON(), nullable=True),
        sa.Column("inquiry_x12", sa.Text(), nullable=False),
        sa.Column("answer_x12", sa.Text(), nullable=False),
        sa.Column("checked_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eligibility_checks")),
        sa.ForeignKeyConstraint(["coverage_id"], ["coverages.id"],
                                name=op.f("fk_eligibility_checks_coverage_id_coverages")),
    )
    op.create_index("ix_eligibility_checks_coverage", "eligibility_checks",
                    ["tenant_id", "coverage_id", "checked_at"])


def downgrade() -> None:
    op.drop_index("ix_eligibility_checks_coverage", "eligibility_checks")
    op.drop_table("eligibility_checks")
