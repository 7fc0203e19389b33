"""The claim data an encounter carries beyond its codes: the patient's address, the referring
provider, the service facility and a prior authorization.

Revision ID: 0005_encounter_claim_data
Revises: 0004_ncci_addon_edits
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_encounter_claim_data"
down_revision: str | None = "0004_ncci_addon_edits"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("encounters") as batch:
        batch.add_column(sa.Column("patient_address", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("referring_provider", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("service_facility", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("prior_authorization", sa.String(50), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("encounters") as batch:
        batch.drop_column("prior_authorization")
        batch.drop_column("service_facility")
        batch.drop_column("referring_provider")
        batch.drop_column("patient_address")
