"""Encounters, frozen coding versions, provider queries and the event history/outbox.

Revision ID: 0001_encounters
Revises:
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rcm_shared.db import UTCDateTime

revision: str = "0001_encounters"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGINT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "encounters",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("external_id", sa.String(100), nullable=False),
        sa.Column("patient_id", sa.String(64), nullable=False),
        sa.Column("patient_first_name", sa.String(100), nullable=False),
        sa.Column("patient_last_name", sa.String(100), nullable=False),
        sa.Column("patient_birth_date", sa.Date(), nullable=False),
        sa.Column("patient_sex", sa.String(1), nullable=False),
        sa.Column("date_of_service", sa.Date(), nullable=False),
        sa.Column("place_of_service", sa.String(2), nullable=False),
        sa.Column("rendering_provider_npi", sa.String(10), nullable=False),
        sa.Column("billing_provider_npi", sa.String(10), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("coding_version", sa.Integer(), nullable=False),
        sa.Column("diagnoses", sa.JSON(), nullable=False),
        sa.Column("service_lines", sa.JSON(), nullable=False),
        sa.Column("issues", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_encounters")),
        sa.UniqueConstraint(
            "tenant_id", "external_id", name=op.f("uq_encounters_tenant_id_external_id")
        ),
    )
    op.create_index(
        "ix_encounters_tenant_updated", "encounters", ["tenant_id", "updated_at", "id"]
    )
    op.create_index("ix_encounters_tenant_patient", "encounters", ["tenant_id", "patient_id"])

    op.create_table(
        "encounter_coding_versions",
        sa.Column("id", BIGINT_ID, nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("encounter_id", sa.String(36), nullable=False),
        sa.Column("coding_version", sa.Integer(), nullable=False),
        sa.Column("diagnoses", sa.JSON(), nullable=False),
        sa.Column("service_lines", sa.JSON(), nullable=False),
        sa.Column("finalized_at", UTCDateTime(), nullable=False),
        sa.Column("finalized_by", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_encounter_coding_versions")),
        sa.ForeignKeyConstraint(
            ["encounter_id"], ["encounters.id"], ondelete="CASCADE",
            name=op.f("fk_encounter_coding_versions_encounter_id_encounters"),
        ),
        sa.UniqueConstraint(
            "encounter_id", "coding_version",
            name=op.f("uq_encounter_coding_versions_encounter_id_coding_version"),
        ),
    )

    op.create_table(
        "provider_queries",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("encounter_id", sa.String(36), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("asked_by", sa.String(64), nullable=False),
        sa.Column("answered_by", sa.String(64), nullable=True),
        sa.Column("asked_at", UTCDateTime(), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_queries")),
        sa.ForeignKeyConstraint(
            ["encounter_id"], ["encounters.id"], ondelete="CASCADE",
            name=op.f("fk_provider_queries_encounter_id_encounters"),
        ),
    )
    op.create_index("ix_provider_queries_encounter", "provider_queries", ["encounter_id", "status"])

    op.create_table(
        "encounter_events",
        sa.Column("id", BIGINT_ID, autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("encounter_id", sa.String(36), nullable=False),
        sa.Column("type", sa.String(48), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_encounter_events")),
        sa.ForeignKeyConstraint(
            ["encounter_id"], ["encounters.id"], ondelete="CASCADE",
            name=op.f("fk_encounter_events_encounter_id_encounters"),
        ),
    )
    op.create_index("ix_encounter_events_encounter", "encounter_events", ["encounter_id", "id"])
    op.create_index(
        "ix_encounter_events_feed", "encounter_events", ["tenant_id", "published", "id"]
    )


def downgrade() -> None:
    op.drop_table("encounter_events")
    op.drop_table("provider_queries")
    op.drop_table("encounter_coding_versions")
    op.drop_table("encounters")
