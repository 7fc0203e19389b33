"""A coverage's subscriber address, sent on a claim when the subscriber is not the patient.

Coverages recorded before keep none: the scrubber names a dependent's claim without it.

Revision ID: 0013_subscriber_address
Revises: 0012_providers
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_subscriber_address"
down_revision: str | None = "0012_providers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("coverages") as batch:
        batch.add_column(sa.Column("subscriber_address", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("coverages") as batch:
        batch.drop_column("subscriber_address")
