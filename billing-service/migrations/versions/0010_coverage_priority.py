"""Coverages carry their priority: primary (every coverage so far), secondary or tertiary.

Revision ID: 0010_coverage_priority
Revises: 0009_claim_splits
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_coverage_priority"
down_revision: str | None = "0009_claim_splits"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("coverages") as batch:
        batch.add_column(sa.Column("priority", sa.String(9), nullable=False,
                                   server_default="primary"))


def downgrade() -> None:
    with op.batch_alter_table("coverages") as batch:
        batch.drop_column("priority")
