"""What the payer denied on each claim, with its category, and the timely filing limit of the
plan the claim was built for.

A claim already denied or partially paid gets the denials of its latest remittance (the last
one posted that is not a reversal). Claims built before this revision show no days left to
file: the plan's limit was not kept then.

Revision ID: 0018_claim_denials
Revises: 0017_patient_ledger
Create Date: 2026-12-05
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from alembic import op

from billing_service.claims.denials import NOT_DENIALS, category

revision: str = "0018_claim_denials"
down_revision: str | None = "0017_patient_ledger"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("denials", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("timely_filing_days", sa.Integer(), nullable=True))
    backfill_denials(op.get_bind())


CLAIMS = sa.table("claims", sa.column("id", sa.String), sa.column("status", sa.String),
                  sa.column("denials", sa.JSON))
REMITTANCES = sa.table("remittances", sa.column("id", sa.Integer),
                       sa.column("claim_id", sa.String), sa.column("status", sa.String),
                       sa.column("remark_codes", sa.JSON))
LINES = sa.table("remittance_lines", sa.column("remittance_id", sa.Integer),
                 sa.column("line_number", sa.Integer), sa.column("procedure_code", sa.String),
                 sa.column("paid", sa.String), sa.column("rarc", sa.JSON))
ADJUSTMENTS = sa.table("remittance_adjustments", sa.column("id", sa.Integer),
                       sa.column("remittance_id", sa.Integer),
                       sa.column("line_number", sa.Integer), sa.column("group_code", sa.String),
                       sa.column("carc", sa.String), sa.column("amount", sa.String))


def backfill_denials(connection: sa.Connection) -> None:
    """Each denied or partially paid claim's denials, from its latest remittance, as
    billing_service.claims.denials.denial_records keeps them."""
    claim_ids = connection.execute(sa.select(CLAIMS.c.id).where(
        CLAIMS.c.status.in_(("denied", "partially_paid")))).scalars().all()
    for claim_id in claim_ids:
        latest = connection.execute(
            sa.select(REMITTANCES.c.id, REMITTANCES.c.remark_codes)
            .where(REMITTANCES.c.claim_id == claim_id, REMITTANCES.c.status != "reversed")
            .order_by(REMITTANCES.c.id.desc()).limit(1)).first()
        if latest is None:
            continue
        connection.execute(CLAIMS.update().where(CLAIMS.c.id == claim_id).values(
            denials=_denials(connection, latest.id, list(latest.remark_codes or []))))


def _denials(connection: sa.Connection, remittance_id: int,
             remark_codes: list[str]) -> list[dict[str, Any]]:
    lines = {row.line_number: row for row in connection.execute(
        sa.select(LINES).where(LINES.c.remittance_id == remittance_id))}
    found = []
    for adjustment in connection.execute(
            sa.select(ADJUSTMENTS).where(ADJUSTMENTS.c.remittance_id == remittance_id)
            .order_by(ADJUSTMENTS.c.line_number.is_not(None), ADJUSTMENTS.c.line_number,
                      ADJUSTMENTS.c.id)):
        if adjustment.group_code == "PR" or (adjustment.group_code,
                                             adjustment.carc) in NOT_DENIALS:
            continue
        line = lines.get(adjustment.line_number)
        if adjustment.line_number is not None and (
                line is None or Decimal(str(line.paid)) != 0):
            continue
        found.append({
            "line": adjustment.line_number,
            "procedure_code": line.procedure_code if line is not None else None,
            "group_code": adjustment.group_code, "carc": adjustment.carc,
            "rarcs": list(line.rarc or []) if line is not None else remark_codes,
            "amount": f"{Decimal(str(adjustment.amount)):.2f}",
            "category": category(adjustment.carc).value})
    return found


def downgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("timely_filing_days")
        batch.drop_column("denials")
