"""The worklist's A/R aging read from open balances kept per tenant and date of service:
claim_open_balances holds, for each day, how many open claims still owe something and what
they owe in cents, kept by triggers on claims as each is written, changes status or balance,
or is deleted. Summing the index of every open claim per request grew with the claims (21 ms
at 100,000 on PostgreSQL); the days of a tenant are a few hundred whatever its claims.

The open statuses are the claims' non-terminal ones (billing_service.claims.state_machine.
TERMINAL; a test holds these triggers to them): a status added later must be added here by a
migration too.

Revision ID: 0022_claim_open_balances
Revises: 0021_claims_by_encounter
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022_claim_open_balances"
down_revision: str | None = "0021_claims_by_encounter"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = ("'accepted', 'crossed_over', 'denied', 'paid', 'partially_paid', 'ready', "
        "'rejected', 'submitted'")


def _add(row: str, sign: str, existing: str = "claim_open_balances.") -> str:
    """Add (sign '+') or take away (sign '-') one claim's balance on its day. `existing`
    names the day's row in the update: PostgreSQL needs the table, SQLite takes none."""
    return f"""
    INSERT INTO claim_open_balances (tenant_id, date_of_service, claims, balance_cents)
    VALUES ({row}.tenant_id, {row}.date_of_service, {sign}1, {sign}{row}.balance_cents)
    ON CONFLICT (tenant_id, date_of_service) DO UPDATE
    SET claims = {existing}claims + excluded.claims,
        balance_cents = {existing}balance_cents + excluded.balance_cents;"""


def _owing(row: str) -> str:
    return f"{row}.status IN ({OPEN}) AND {row}.balance_cents > 0"


# An update that leaves the status, balance, day and tenant alone (most of them: a version,
# a timestamp, a payer reference) changes no day, and locks none.
_MOVED = ("(OLD.status IS NOT NEW.status OR OLD.balance_cents IS NOT NEW.balance_cents OR "
          "OLD.date_of_service IS NOT NEW.date_of_service OR OLD.tenant_id IS NOT NEW.tenant_id)")

_POSTGRESQL = [
    f"""CREATE FUNCTION claim_open_balances_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NOT {_MOVED.replace(" IS NOT ", " IS DISTINCT FROM ")} THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF {_owing("OLD")} THEN {_add("OLD", "-")}
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    IF {_owing("NEW")} THEN {_add("NEW", "+")}
    END IF;
  END IF;
  RETURN NULL;
END $$""",
    "CREATE TRIGGER claims_open_balances AFTER INSERT OR UPDATE OR DELETE ON claims "
    "FOR EACH ROW EXECUTE FUNCTION claim_open_balances_follow()",
]
_SQLITE = [
    f"""CREATE TRIGGER claims_open_balances_insert AFTER INSERT ON claims
WHEN {_owing("NEW")} BEGIN {_add("NEW", "+", "")} END""",
    f"""CREATE TRIGGER claims_open_balances_update_old AFTER UPDATE ON claims
WHEN {_owing("OLD")} AND {_MOVED} BEGIN {_add("OLD", "-", "")} END""",
    f"""CREATE TRIGGER claims_open_balances_update_new AFTER UPDATE ON claims
WHEN {_owing("NEW")} AND {_MOVED} BEGIN {_add("NEW", "+", "")} END""",
    f"""CREATE TRIGGER claims_open_balances_delete AFTER DELETE ON claims
WHEN {_owing("OLD")} BEGIN {_add("OLD", "-", "")} END""",
]


def upgrade() -> None:
    op.create_table(
        "claim_open_balances",
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("date_of_service", sa.Date(), nullable=False),
        sa.Column("claims", sa.Integer(), nullable=False),
        sa.Column("balance_cents", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "date_of_service",
                                name=op.f("pk_claim_open_balances")),
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in _SQLITE if sqlite else _POSTGRESQL:
        op.execute(statement)
    op.execute(f"""
        INSERT INTO claim_open_balances (tenant_id, date_of_service, claims, balance_cents)
        SELECT tenant_id, date_of_service, count(*), sum(balance_cents) FROM claims
        WHERE {_owing("claims")} GROUP BY tenant_id, date_of_service""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "update_old", "update_new", "delete"):
            op.execute(f"DROP TRIGGER claims_open_balances_{name}")
    else:
        op.execute("DROP TRIGGER claims_open_balances ON claims")
        op.execute("DROP FUNCTION claim_open_balances_follow()")
    op.drop_table("claim_open_balances")
