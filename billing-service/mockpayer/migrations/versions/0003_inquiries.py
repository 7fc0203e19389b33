"""Real-time inquiries (270/271 eligibility, 276/277 claim status) kept with their answers, and
each submission's patient control number, by which a status inquiry finds its claim.

Revision ID: 0003_inquiries
Revises: 0002_crossover
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rcm_shared.db import UTCDateTime

revision: str = "0003_inquiries"
down_revision: str | None = "0002_crossover"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGINT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "mock_payer_inquiries",
        sa.Column("control_number", BIGINT_ID, nullable=False),
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("inquiry", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("control_number", name=op.f("pk_mock_payer_inquiries")),
    )
    with op.batch_alter_table("mock_payer_submissions") as batch:
        batch.add_column(sa.Column("patient_control_number", sa.String(38), nullable=False,
                                   server_default=""))
    submissions = sa.table("mock_payer_submissions", sa.column("id", BIGINT_ID),
                           sa.column("claim", sa.JSON()),
                           sa.column("patient_control_number", sa.String(38)))
    connection = op.get_bind()
    for row_id, claim in connection.execute(sa.select(submissions.c.id, submissions.c.claim)):
        connection.execute(submissions.update().where(submissions.c.id == row_id).values(
            patient_control_number=str(claim.get("patient_control_number", ""))[:38]))
    op.create_index("ix_mock_payer_submissions_account_pcn", "mock_payer_submissions",
                    ["account", "patient_control_number", "id"])


def downgrade() -> None:
    op.drop_index("ix_mock_payer_submissions_account_pcn", "mock_payer_submissions")
    with op.batch_alter_table("mock_payer_submissions") as batch:
        batch.drop_column("patient_control_number")
    op.drop_table("mock_payer_inquiries")
