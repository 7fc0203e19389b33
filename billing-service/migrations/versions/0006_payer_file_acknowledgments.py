"""The mock payer offers each file it sent until billing acknowledges that it kept it.

Files handed out before this revision were handed out once: they count as acknowledged.

Revision ID: 0006_payer_file_acks
Revises: 0005_payer_files
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rcm_shared.db import UTCDateTime

revision: str = "0006_payer_file_acks"
down_revision: str | None = "0005_payer_files"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("mock_payer_interchanges") as batch:
        batch.add_column(sa.Column("acknowledged_at", UTCDateTime(), nullable=True))
    op.execute("UPDATE mock_payer_interchanges SET acknowledged_at = created_at")
    op.create_index("ix_mock_payer_interchanges_unacknowledged", "mock_payer_interchanges",
                    ["acknowledged_at", "control_number"])


def downgrade() -> None:
    op.drop_index("ix_mock_payer_interchanges_unacknowledged",
                  table_name="mock_payer_interchanges")
    with op.batch_alter_table("mock_payer_interchanges") as batch:
        batch.drop_column("acknowledged_at")
