"""The patient's own money on the account: payments, refunds and write-offs.

Revision ID: 0017_patient_ledger
Revises: 0016_claim_status_inquiries
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rcm_shared.db import UTCDateTime

revision: str = "0017_patient_ledger"
down_revision: str | None = "0016_claim_status_inquiries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Exact on both engines: SQLite's NUMERIC affinity would store amounts as binary floats.
MONEY = sa.Numeric(12, 2).with_variant(sa.String(16), "sqlite")
SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "patient_ledger_entries",
        sa.Column("id", SERIAL, autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("patient_id", sa.String(64), nullable=False),
        sa.Column("transaction_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("claim_id", sa.String(36), nullable=True),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("method", sa.String(5), nullable=True),
        sa.Column("reference", sa.String(50), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(16), nullable=True),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("posted_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient_ledger_entries")),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"],
                                name=op.f("fk_patient_ledger_entries_claim_id_claims")),
    )
    op.create_index("ix_patient_ledger_entries_patient", "patient_ledger_entries",
                    ["tenant_id", "patient_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_patient_ledger_entries_patient", "patient_ledger_entries")
    op.drop_table("patient_ledger_entries")
