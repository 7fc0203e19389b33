"""Coverages, claims with lines and events, posted remittances and the payer outbox.

Revision ID: 0001_billing_core
Revises:
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rcm_shared.db import UTCDateTime

revision: str = "0001_billing_core"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGINT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
# Exact on both engines: SQLite's NUMERIC affinity would store amounts as binary floats.
MONEY = sa.Numeric(12, 2).with_variant(sa.String(16), "sqlite")


def upgrade() -> None:
    op.create_table(
        "coverages",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("patient_id", sa.String(64), nullable=False),
        sa.Column("payer_id", sa.String(32), nullable=False),
        sa.Column("plan_code", sa.String(32), nullable=True),
        sa.Column("member_id", sa.String(40), nullable=False),
        sa.Column("group_number", sa.String(40), nullable=True),
        sa.Column("relationship", sa.String(8), nullable=False),
        sa.Column("subscriber_first_name", sa.String(100), nullable=False),
        sa.Column("subscriber_last_name", sa.String(100), nullable=False),
        sa.Column("subscriber_birth_date", sa.Date(), nullable=False),
        sa.Column("subscriber_sex", sa.String(1), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverages")),
    )
    op.create_index("ix_coverages_tenant_patient", "coverages", ["tenant_id", "patient_id"])

    op.create_table(
        "claims",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("patient_control_number", sa.String(20), nullable=False),
        sa.Column("encounter_id", sa.String(64), nullable=False),
        sa.Column("coding_version", sa.Integer(), nullable=False),
        sa.Column("coverage_id", sa.String(36), nullable=False),
        sa.Column("payer_id", sa.String(32), nullable=False),
        sa.Column("patient_id", sa.String(64), nullable=False),
        sa.Column("patient_first_name", sa.String(100), nullable=False),
        sa.Column("patient_last_name", sa.String(100), nullable=False),
        sa.Column("patient_birth_date", sa.Date(), nullable=False),
        sa.Column("patient_sex", sa.String(1), nullable=False),
        sa.Column("date_of_service", sa.Date(), nullable=False),
        sa.Column("place_of_service", sa.String(2), nullable=False),
        sa.Column("rendering_provider_npi", sa.String(10), nullable=False),
        sa.Column("billing_provider_npi", sa.String(10), nullable=False),
        sa.Column("diagnoses", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("frequency_code", sa.String(1), nullable=False),
        sa.Column("replaces_claim_id", sa.String(36), nullable=True),
        sa.Column("replaced_by_claim_id", sa.String(36), nullable=True),
        sa.Column("original_payer_claim_number", sa.String(50), nullable=True),
        sa.Column("payer_claim_control_number", sa.String(50), nullable=True),
        sa.Column("submission_id", sa.String(64), nullable=True),
        sa.Column("submission_count", sa.Integer(), nullable=False),
        sa.Column("first_submitted_at", UTCDateTime(), nullable=True),
        sa.Column("last_submitted_at", UTCDateTime(), nullable=True),
        sa.Column("total_charge", MONEY, nullable=False),
        sa.Column("paid_amount", MONEY, nullable=False),
        sa.Column("adjustment_amount", MONEY, nullable=False),
        sa.Column("patient_responsibility", MONEY, nullable=False),
        sa.Column("scrub_issues", sa.JSON(), nullable=False),
        sa.Column("payer_errors", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
        sa.ForeignKeyConstraint(
            ["coverage_id"], ["coverages.id"], name=op.f("fk_claims_coverage_id_coverages")
        ),
        sa.ForeignKeyConstraint(
            ["replaces_claim_id"], ["claims.id"], name=op.f("fk_claims_replaces_claim_id_claims")
        ),
        sa.ForeignKeyConstraint(
            ["replaced_by_claim_id"], ["claims.id"],
            name=op.f("fk_claims_replaced_by_claim_id_claims"),
        ),
        sa.UniqueConstraint(
            "tenant_id", "encounter_id", "coding_version",
            name=op.f("uq_claims_tenant_id_encounter_id_coding_version"),
        ),
        sa.UniqueConstraint(
            "patient_control_number", name=op.f("uq_claims_patient_control_number")
        ),
    )
    op.create_index("ix_claims_tenant_created", "claims", ["tenant_id", "created_at", "id"])
    op.create_index("ix_claims_tenant_status", "claims", ["tenant_id", "status"])
    op.create_index("ix_claims_tenant_patient", "claims", ["tenant_id", "patient_id"])
    op.create_index("ix_claims_payer_claim_number", "claims", ["payer_claim_control_number"])

    op.create_table(
        "claim_lines",
        sa.Column("id", BIGINT_ID, nullable=False),
        sa.Column("claim_id", sa.String(36), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("procedure_code", sa.String(5), nullable=False),
        sa.Column("modifiers", sa.JSON(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("charge", MONEY, nullable=False),
        sa.Column("diagnosis_pointers", sa.JSON(), nullable=False),
        sa.Column("date_of_service", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_lines")),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], ondelete="CASCADE",
            name=op.f("fk_claim_lines_claim_id_claims"),
        ),
        sa.UniqueConstraint(
            "claim_id", "line_number", name=op.f("uq_claim_lines_claim_id_line_number")
        ),
    )

    op.create_table(
        "claim_events",
        sa.Column("id", BIGINT_ID, nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("claim_id", sa.String(36), nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("from_status", sa.String(16), nullable=True),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("carc", sa.JSON(), nullable=False),
        sa.Column("rarc", sa.JSON(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_events")),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], ondelete="CASCADE",
            name=op.f("fk_claim_events_claim_id_claims"),
        ),
    )
    op.create_index("ix_claim_events_claim", "claim_events", ["claim_id", "id"])

    op.create_table(
        "remittances",
        sa.Column("id", BIGINT_ID, nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("claim_id", sa.String(36), nullable=False),
        sa.Column("trace_number", sa.String(80), nullable=False),
        sa.Column("payer_claim_control_number", sa.String(50), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("billed", MONEY, nullable=False),
        sa.Column("paid", MONEY, nullable=False),
        sa.Column("patient_responsibility", MONEY, nullable=False),
        sa.Column("remark_codes", sa.JSON(), nullable=False),
        sa.Column("paid_date", sa.Date(), nullable=True),
        sa.Column("posted_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remittances")),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], ondelete="CASCADE",
            name=op.f("fk_remittances_claim_id_claims"),
        ),
        sa.UniqueConstraint(
            "claim_id", "trace_number", name=op.f("uq_remittances_claim_id_trace_number")
        ),
    )
    op.create_index("ix_remittances_tenant_claim", "remittances", ["tenant_id", "claim_id"])

    op.create_table(
        "remittance_lines",
        sa.Column("id", BIGINT_ID, nullable=False),
        sa.Column("remittance_id", BIGINT_ID, nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("procedure_code", sa.String(5), nullable=False),
        sa.Column("billed", MONEY, nullable=False),
        sa.Column("allowed", MONEY, nullable=False),
        sa.Column("paid", MONEY, nullable=False),
        sa.Column("rarc", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remittance_lines")),
        sa.ForeignKeyConstraint(
            ["remittance_id"], ["remittances.id"], ondelete="CASCADE",
            name=op.f("fk_remittance_lines_remittance_id_remittances"),
        ),
    )
    op.create_index(
        "ix_remittance_lines_remittance", "remittance_lines", ["remittance_id", "line_number"]
    )

    op.create_table(
        "remittance_adjustments",
        sa.Column("id", BIGINT_ID, nullable=False),
        sa.Column("remittance_id", BIGINT_ID, nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=True),
        sa.Column("group_code", sa.String(2), nullable=False),
        sa.Column("carc", sa.String(8), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remittance_adjustments")),
        sa.ForeignKeyConstraint(
            ["remittance_id"], ["remittances.id"], ondelete="CASCADE",
            name=op.f("fk_remittance_adjustments_remittance_id_remittances"),
        ),
    )
    op.create_index(
        "ix_remittance_adjustments_remittance", "remittance_adjustments", ["remittance_id"]
    )

    op.create_table(
        "payer_jobs",
        sa.Column("id", BIGINT_ID, nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("claim_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("submission_id", sa.String(64), nullable=False),
        sa.Column("frequency_code", sa.String(1), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
        sa.Column("last_error", sa.String(200), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payer_jobs")),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], ondelete="CASCADE",
            name=op.f("fk_payer_jobs_claim_id_claims"),
        ),
        sa.UniqueConstraint("submission_id", name=op.f("uq_payer_jobs_submission_id")),
    )
    op.create_index("ix_payer_jobs_due", "payer_jobs", ["status", "next_attempt_at"])


def downgrade() -> None:
    for index, table in (
        ("ix_payer_jobs_due", "payer_jobs"),
        ("ix_remittance_adjustments_remittance", "remittance_adjustments"),
        ("ix_remittance_lines_remittance", "remittance_lines"),
        ("ix_remittances_tenant_claim", "remittances"),
        ("ix_claim_events_claim", "claim_events"),
        ("ix_claims_payer_claim_number", "claims"),
        ("ix_claims_tenant_patient", "claims"),
        ("ix_claims_tenant_status", "claims"),
        ("ix_claims_tenant_created", "claims"),
        ("ix_coverages_tenant_patient", "coverages"),
    ):
        op.drop_index(index, table_name=table)
    for table in (
        "payer_jobs",
        "remittance_adjustments",
        "remittance_lines",
        "remittances",
        "claim_events",
        "claim_lines",
        "claims",
        "coverages",
    ):
        op.drop_table(table)
