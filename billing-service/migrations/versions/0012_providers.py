"""The provider registry: each tenant's NPIs with their names, taxonomy, tax id and address.

Revision ID: 0012_providers
Revises: 0011_claims_open_balances
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rcm_shared.db import UTCDateTime

revision: str = "0012_providers"
down_revision: str | None = "0011_claims_open_balances"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "providers",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("npi", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("first_name", sa.String(35), nullable=True),
        sa.Column("last_name", sa.String(60), nullable=True),
        sa.Column("organization_name", sa.String(60), nullable=True),
        sa.Column("taxonomy", sa.String(10), nullable=True),
        sa.Column("tax_id", sa.String(9), nullable=True),
        sa.Column("address", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_providers")),
        sa.UniqueConstraint("tenant_id", "npi", name=op.f("uq_providers_tenant_id_npi")),
    )


def downgrade() -> None:
    op.drop_table("providers")
