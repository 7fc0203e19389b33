"""What the payer denied on each claim, with its category, and the timely filing limit of the
plan the claim was built for.

Claims adjudicated before this revision show no denials until their next remittance, and
claims built before it no days left to file: neither was kept then.

Revision ID: 0018_claim_denials
Revises: 0017_patient_ledger
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_claim_denials"
down_revision: str | None = "0017_patient_ledger"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("denials", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("timely_filing_days", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("timely_filing_days")
        batch.drop_column("denials")
