"""Submissions a payer forwarded to the next payer itself (a crossover) name the submission
they came from.

Revision ID: 0002_crossover
Revises: 0001_mock_payer
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_crossover"
down_revision: str | None = "0001_mock_payer"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGINT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("mock_payer_submissions") as batch:
        batch.add_column(sa.Column("crossover_of_id", BIGINT_ID, nullable=True))
        batch.create_foreign_key(
            op.f("fk_mock_payer_submissions_crossover_of_id_mock_payer_submissions"),
            "mock_payer_submissions", ["crossover_of_id"], ["id"], ondelete="CASCADE")


def downgrade() -> None:
    with op.batch_alter_table("mock_payer_submissions") as batch:
        batch.drop_constraint(
            op.f("fk_mock_payer_submissions_crossover_of_id_mock_payer_submissions"),
            type_="foreignkey")
        batch.drop_column("crossover_of_id")
