"""Claims name their payer in the patient's order (payer_sequence, primary for every claim so
far), the claim of the payer before them (prior_claim_id) and their part of a split encounter
(split_index of split_count, 1 of 1 for every claim so far).

One claim per coding version of an encounter becomes one standing claim per coding version,
payer and part: a canceled or voided claim no longer holds its place, so the encounter can be
billed anew beside it.

Downgrading refuses a database holding two claims of one coding version (a split, or a claim
billed anew): the old unique key cannot hold them.

Revision ID: 0009_claim_splits
Revises: 0008_mock_payer_out
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_claim_splits"
down_revision: str | None = "0008_mock_payer_out"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STANDING = sa.text("status NOT IN ('canceled', 'voided')")
OLD_UNIQUE = "uq_claims_tenant_id_encounter_id_coding_version"


def upgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("payer_sequence", sa.String(9), nullable=False,
                                   server_default="primary"))
        batch.add_column(sa.Column("prior_claim_id", sa.String(36), nullable=True))
        batch.add_column(sa.Column("split_index", sa.Integer(), nullable=False,
                                   server_default="1"))
        batch.add_column(sa.Column("split_count", sa.Integer(), nullable=False,
                                   server_default="1"))
        batch.create_foreign_key(op.f("fk_claims_prior_claim_id_claims"), "claims",
                                 ["prior_claim_id"], ["id"])
        batch.drop_constraint(op.f(OLD_UNIQUE), type_="unique")
    op.create_index("uq_claims_standing", "claims",
                    ["tenant_id", "encounter_id", "coding_version", "payer_sequence",
                     "split_index"],
                    unique=True, postgresql_where=STANDING, sqlite_where=STANDING)


def downgrade() -> None:
    op.drop_index("uq_claims_standing", table_name="claims")
    with op.batch_alter_table("claims") as batch:
        batch.create_unique_constraint(op.f(OLD_UNIQUE),
                                       ["tenant_id", "encounter_id", "coding_version"])
        batch.drop_constraint(op.f("fk_claims_prior_claim_id_claims"), type_="foreignkey")
        batch.drop_column("split_count")
        batch.drop_column("split_index")
        batch.drop_column("prior_claim_id")
        batch.drop_column("payer_sequence")
