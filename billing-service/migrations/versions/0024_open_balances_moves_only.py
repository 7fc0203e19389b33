"""claim_open_balances is touched only when a claim's part in it changes: a claim moving from
one open status to another with the same balance and day (ready to submitted, submitted to
accepted: a whole 837P's or 277CA's claims in one transaction) no longer takes away and adds
back the same amount. Each such write locked the day's row until the commit, so a payer
file's transaction held the rows of every day its claims fell on, and two of them could
wait on each other.

The downgrade keeps these triggers: they leave the table exactly as 0022's did.

Revision ID: 0024_open_balances_moves_only
Revises: 0023_claim_denial_counts
Create Date: 2026-12-05
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0024_open_balances_moves_only"
down_revision: str | None = "0023_claim_denial_counts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = ("'accepted', 'crossed_over', 'denied', 'paid', 'partially_paid', 'ready', "
        "'rejected', 'submitted'")


def _add(row: str, sign: str, existing: str = "claim_open_balances.") -> str:
    return f"""
    INSERT INTO claim_open_balances (tenant_id, date_of_service, claims, balance_cents)
    VALUES ({row}.tenant_id, {row}.date_of_service, {sign}1, {sign}{row}.balance_cents)
    ON CONFLICT (tenant_id, date_of_service) DO UPDATE
    SET claims = {existing}claims + excluded.claims,
        balance_cents = {existing}balance_cents + excluded.balance_cents;"""


def _owing(row: str) -> str:
    return f"({row}.status IN ({OPEN}) AND {row}.balance_cents > 0)"


# The claim's part changes: it starts or stops owing, or owes another amount, on another day
# or for another tenant.
_MOVED = (f"({_owing('OLD')} IS NOT {_owing('NEW')} OR OLD.balance_cents IS NOT "
          "NEW.balance_cents OR OLD.date_of_service IS NOT NEW.date_of_service OR "
          "OLD.tenant_id IS NOT NEW.tenant_id)")

_POSTGRESQL = f"""CREATE OR REPLACE FUNCTION claim_open_balances_follow() RETURNS trigger
LANGUAGE plpgsql AS $$
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
END $$"""
_SQLITE = [
    "DROP TRIGGER claims_open_balances_update_old",
    "DROP TRIGGER claims_open_balances_update_new",
    f"""CREATE TRIGGER claims_open_balances_update_old AFTER UPDATE ON claims
WHEN {_owing("OLD")} AND {_MOVED} BEGIN {_add("OLD", "-", "")} END""",
    f"""CREATE TRIGGER claims_open_balances_update_new AFTER UPDATE ON claims
WHEN {_owing("NEW")} AND {_MOVED} BEGIN {_add("NEW", "+", "")} END""",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in _SQLITE:
            op.execute(statement)
    else:
        op.execute(_POSTGRESQL)


def downgrade() -> None:
    pass
