"""A replaced claim no longer holds its place among an encounter's standing claims: when a
payer adjudicates a claim again (an appeal it overturned), the next payer's claim built from
its first answer is replaced by one of the same coding version, payer and split.

Revision ID: 0025_replaced_claims_stand_aside
Revises: 0024_open_balances_moves_only
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025_replaced_claims_stand_aside"
down_revision: str | None = "0024_open_balances_moves_only"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ["tenant_id", "encounter_id", "coding_version", "payer_sequence", "split_index"]
STANDING = sa.text("status NOT IN ('canceled', 'voided', 'replaced')")
STANDING_BEFORE = sa.text("status NOT IN ('canceled', 'voided')")


def _standing_index(where: sa.TextClause) -> None:
    op.drop_index("uq_claims_standing", table_name="claims")
    op.create_index("uq_claims_standing", "claims", COLUMNS, unique=True,
                    postgresql_where=where, sqlite_where=where)


def upgrade() -> None:
    _standing_index(STANDING)


def downgrade() -> None:
    _standing_index(STANDING_BEFORE)
