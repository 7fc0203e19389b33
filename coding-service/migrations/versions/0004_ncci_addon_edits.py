"""NCCI add-on code edits, with the shipped sample loaded; load records of kind 'aoc'.

Revision ID: 0004_ncci_addon_edits
Revises: 0003_idempotency_audit_webhooks
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from coding_service.ncci.loader import SAMPLE_AOC, SAMPLE_QUARTER, read_aoc_rows
from rcm_shared.db import UTCDateTime, utcnow

revision: str = "0004_ncci_addon_edits"
down_revision: str | None = "0003_idempotency_audit_webhooks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGINT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _load_kinds(kinds: str) -> None:
    # SQLite alters a constraint by copying the table: batch mode does that on SQLite and
    # plain ALTER TABLE statements on PostgreSQL.
    with op.batch_alter_table("ncci_loads") as batch:
        batch.drop_constraint(op.f("ck_ncci_loads_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_ncci_loads_kind"), f"kind IN ({kinds})")


def upgrade() -> None:
    addon = op.create_table(
        "ncci_addon_edits",
        sa.Column("id", BIGINT_ID, autoincrement=True, nullable=False),
        sa.Column("addon_code", sa.String(5), nullable=False),
        sa.Column("primary_code", sa.String(5), nullable=True),
        sa.Column("edit_type", sa.SmallInteger(), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("deletion_date", sa.Date(), nullable=True),
        sa.Column("quarter", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ncci_addon_edits")),
        sa.CheckConstraint("edit_type IN (1, 2, 3)", name=op.f("ck_ncci_addon_edits_edit_type")),
    )
    op.create_index("ix_ncci_addon_edits_addon_code", "ncci_addon_edits", ["addon_code"])
    _load_kinds("'ptp', 'mue', 'aoc'")

    # Like the PTP and MUE samples: a fresh install checks add-on codes out of the box.
    rows = [dict(row, quarter=SAMPLE_QUARTER) for row in read_aoc_rows(SAMPLE_AOC)]
    op.bulk_insert(addon, rows)
    loads = sa.table(
        "ncci_loads",
        sa.column("kind", sa.String), sa.column("quarter", sa.String),
        sa.column("source", sa.String), sa.column("row_count", sa.Integer),
        sa.column("loaded_at", UTCDateTime()),
    )
    op.bulk_insert(loads, [{"kind": "aoc", "quarter": SAMPLE_QUARTER, "source": SAMPLE_AOC.name,
                            "row_count": len(rows), "loaded_at": utcnow()}])


def downgrade() -> None:
    op.execute("DELETE FROM ncci_loads WHERE kind = 'aoc'")
    _load_kinds("'ptp', 'mue'")
    op.drop_index("ix_ncci_addon_edits_addon_code", table_name="ncci_addon_edits")
    op.drop_table("ncci_addon_edits")
