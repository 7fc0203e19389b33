"""The worklist's A/R aging adds open balances up in the database: each claim's balance in
whole cents as a generated column (stored on PostgreSQL; virtual on SQLite, which cannot add
a stored column to a table, and whose index keeps the value all the same), and an index on
tenant, status, date of service and that balance, which replaces the one on tenant and
status (its prefix).

Revision ID: 0011_claims_open_balances
Revises: 0010_coverage_priority
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_claims_open_balances"
down_revision: str | None = "0010_coverage_priority"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BALANCE_CENTS = "CAST(ROUND((total_charge - paid_amount - adjustment_amount) * 100) AS BIGINT)"


def upgrade() -> None:
    stored = op.get_bind().dialect.name != "sqlite"
    op.add_column("claims", sa.Column(
        "balance_cents", sa.BigInteger(),
        sa.Computed(BALANCE_CENTS, persisted=True if stored else None), nullable=True))
    op.create_index("ix_claims_tenant_open_balances", "claims",
                    ["tenant_id", "status", "date_of_service", "balance_cents"])
    op.drop_index("ix_claims_tenant_status", table_name="claims")


def downgrade() -> None:
    op.create_index("ix_claims_tenant_status", "claims", ["tenant_id", "status"])
    op.drop_index("ix_claims_tenant_open_balances", table_name="claims")
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("balance_cents")
