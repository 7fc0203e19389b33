"""Claims listed by encounter through an index: the only one naming the encounter
(uq_claims_standing) is partial, so a lookup that also wants canceled and voided claims read
every claim of the tenant (45 ms at 100,000 claims, growing with them).

Revision ID: 0021_claims_by_encounter
Revises: 0020_appeals
Create Date: 2026-12-05
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0021_claims_by_encounter"
down_revision: str | None = "0020_appeals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_claims_tenant_encounter", "claims", ["tenant_id", "encounter_id"])


def downgrade() -> None:
    op.drop_index("ix_claims_tenant_encounter", table_name="claims")
