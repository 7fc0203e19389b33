"""Interchange control numbers counted per tenant and sender (ISA06), not by one sequence
across tenants, so no tenant can read another's volume off its own numbers.

The interchanges keep their numbers: the sequence that made them becomes the row's key, and
each tenant's counter for a sender starts after the highest number that tenant already sent
as that sender, read off each interchange's ISA06.

Revision ID: 0007_control_numbers
Revises: 0006_payer_file_acks
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_control_numbers"
down_revision: str | None = "0006_payer_file_acks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# ISA06 sits at a fixed place: the ISA segment's elements are all of fixed width.
ISA06 = "TRIM(SUBSTR(content, 36, 15))"


def upgrade() -> None:
    op.create_table(
        "x12_control_numbers",
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("sender_id", sa.String(15), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "sender_id", name=op.f("pk_x12_control_numbers")),
    )
    op.drop_index("ix_x12_interchanges_tenant", table_name="x12_interchanges")
    op.drop_index("ix_x12_interchanges_claim", table_name="x12_interchanges")
    with op.batch_alter_table("x12_interchanges") as batch:
        batch.alter_column("control_number", new_column_name="id")
    with op.batch_alter_table("x12_interchanges") as batch:
        batch.add_column(sa.Column("sender_id", sa.String(15), nullable=True))
        batch.add_column(sa.Column("control_number", sa.Integer(), nullable=True))
    op.execute(f"UPDATE x12_interchanges SET control_number = id, sender_id = {ISA06}")
    with op.batch_alter_table("x12_interchanges") as batch:
        batch.alter_column("sender_id", existing_type=sa.String(15), nullable=False)
        batch.alter_column("control_number", existing_type=sa.Integer(), nullable=False)
        batch.create_unique_constraint(
            op.f("uq_x12_interchanges_tenant_id_sender_id_control_number"),
            ["tenant_id", "sender_id", "control_number"],
        )
    op.create_index("ix_x12_interchanges_claim", "x12_interchanges",
                    ["tenant_id", "claim_id", "id"])
    op.execute(
        "INSERT INTO x12_control_numbers (tenant_id, sender_id, last_number) "
        "SELECT tenant_id, sender_id, MAX(control_number) FROM x12_interchanges "
        "GROUP BY tenant_id, sender_id"
    )


def downgrade() -> None:
    # The per-tenant numbers are dropped; the row keys, drawn from one sequence, are unique.
    op.drop_index("ix_x12_interchanges_claim", table_name="x12_interchanges")
    with op.batch_alter_table("x12_interchanges") as batch:
        batch.drop_constraint(op.f("uq_x12_interchanges_tenant_id_sender_id_control_number"),
                              type_="unique")
        batch.drop_column("control_number")
        batch.drop_column("sender_id")
    with op.batch_alter_table("x12_interchanges") as batch:
        batch.alter_column("id", new_column_name="control_number")
    op.create_index("ix_x12_interchanges_claim", "x12_interchanges",
                    ["tenant_id", "claim_id", "control_number"])
    op.create_index("ix_x12_interchanges_tenant", "x12_interchanges",
                    ["tenant_id", "control_number"])
    op.drop_table("x12_control_numbers")
