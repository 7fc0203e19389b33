"""What a claim carries from its encounter beyond codes: the patient's address, the referring
provider, the service facility, the prior authorization, and per line the end of a range of
days and the drug's NDC.

Revision ID: 0015_claim_data
Revises: 0014_eligibility_checks
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_claim_data"
down_revision: str | None = "0014_eligibility_checks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("patient_address", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("referring_provider", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("service_facility", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("prior_authorization", sa.String(50), nullable=True))
    with op.batch_alter_table("claim_lines") as batch:
        batch.add_column(sa.Column("date_of_service_to", sa.Date(), nullable=True))
        batch.add_column(sa.Column("ndc", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("claim_lines") as batch:
        batch.drop_column("ndc")
        batch.drop_column("date_of_service_to")
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("prior_authorization")
        batch.drop_column("service_facility")
        batch.drop_column("referring_provider")
        batch.drop_column("patient_address")
