"""The clinic's contracted rates per payer, and what each posted line fell short of them.

Revision ID: 0019_payer_contracts
Revises: 0018_claim_denials
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rcm_shared.db import UTCDateTime

revision: str = "0019_payer_contracts"
down_revision: str | None = "0018_claim_denials"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Exact on both engines: SQLite's NUMERIC affinity would store amounts as binary floats.
MONEY = sa.Numeric(12, 2).with_variant(sa.String(16), "sqlite")
SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "payer_contract_rates",
        sa.Column("id", SERIAL, autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("payer_id", sa.String(32), nullable=False),
        sa.Column("procedure_code", sa.String(5), nullable=False),
        sa.Column("modifier", sa.String(2), nullable=False),
        sa.Column("allowed", MONEY, nullable=False),
        sa.Column("loaded_by", sa.String(64), nullable=False),
        sa.Column("loaded_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payer_contract_rates")),
    )
    op.create_index("uq_payer_contract_rates", "payer_contract_rates",
                    ["tenant_id", "payer_id", "procedure_code", "modifier"], unique=True)
    with op.batch_alter_table("remittance_lines") as batch:
        batch.add_column(sa.Column("expected", MONEY, nullable=True))
        batch.add_column(sa.Column("underpaid", MONEY, nullable=True))
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("underpaid_amount", MONEY, nullable=False,
                                   server_default="0.00"))
    op.create_index("ix_claims_tenant_underpaid", "claims",
                    ["tenant_id", "status", "payer_id", "underpaid_amount"],
                    postgresql_where=sa.text("underpaid_amount <> 0"),
                    sqlite_where=sa.text("underpaid_amount <> '0.00'"))


def downgrade() -> None:
    op.drop_index("ix_claims_tenant_underpaid", "claims")
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("underpaid_amount")
    with op.batch_alter_table("remittance_lines") as batch:
        batch.drop_column("underpaid")
        batch.drop_column("expected")
    op.drop_index("uq_payer_contract_rates", "payer_contract_rates")
    op.drop_table("payer_contract_rates")
