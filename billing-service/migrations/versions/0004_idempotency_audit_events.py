"""Idempotency keys, the audit trail, coding-service events received (by webhook or from the
feed) and the feed follower's cursor per tenant.

Revision ID: 0004_idempotency_audit_events
Revises: 0003_x12
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rcm_shared.db import UTCDateTime

revision: str = "0004_idempotency_audit_events"
down_revision: str | None = "0003_x12"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGINT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("response_headers", sa.JSON(), nullable=False),
        sa.Column("response_body", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "key", name=op.f("pk_idempotency_keys")),
    )
    op.create_index("ix_idempotency_keys_expires_at", "idempotency_keys", ["expires_at"])

    op.create_table(
        "audit_entries",
        sa.Column("id", BIGINT_ID, autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("resource_type", sa.String(32), nullable=False),
        sa.Column("resource_id", sa.String(64), nullable=True),
        sa.Column("request_id", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
    )
    op.create_index(
        "ix_audit_entries_resource", "audit_entries",
        ["tenant_id", "resource_type", "resource_id", "id"],
    )
    op.create_index("ix_audit_entries_tenant", "audit_entries", ["tenant_id", "id"])

    op.create_table(
        "coding_events",
        sa.Column("id", BIGINT_ID, autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("event_type", sa.String(32), nullable=False),
        sa.Column("encounter_id", sa.String(64), nullable=False),
        sa.Column("coding_version", sa.Integer(), nullable=False),
        sa.Column("cursor", sa.String(512), nullable=True),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("claim_id", sa.String(36), nullable=True),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coding_events")),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"],
                                name=op.f("fk_coding_events_claim_id_claims")),
        sa.UniqueConstraint("tenant_id", "event_type", "encounter_id", "coding_version",
                            name=op.f("uq_coding_events_event")),
    )
    op.create_index("ix_coding_events_tenant_outcome", "coding_events",
                    ["tenant_id", "outcome", "id"])

    op.create_table(
        "coding_feed_cursors",
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("cursor", sa.String(512), nullable=True),
        sa.Column("leased_until", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.String(200), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_coding_feed_cursors")),
    )


def downgrade() -> None:
    op.drop_table("coding_feed_cursors")
    op.drop_table("coding_events")
    op.drop_table("audit_entries")
    op.drop_table("idempotency_keys")
