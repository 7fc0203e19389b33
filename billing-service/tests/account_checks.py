"""The account's arithmetic, asserted of every patient a test touches: the ledger's balance is
charges - payer payments - contractual adjustments - patient payments + refunds - write-offs,
each item's running balance follows from the one before, and the statement totals the same."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

RAISES = {"charge", "refund"}
LOWERS = {"payer_payment", "contractual_adjustment", "patient_payment", "write_off"}
REVERSIBLE = {"payer_payment", "contractual_adjustment"}


async def ledger_items(billing: Any, patient_id: str, limit: int = 200) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    path = f"/v1/patients/{patient_id}/ledger?limit={limit}"
    page = await billing.get(path)
    items += page["items"]
    while page["next_cursor"]:
        page = await billing.get(f"{path}&cursor={page['next_cursor']}")
        items += page["items"]
    return items


async def assert_account_balances(billing: Any, patient_id: str) -> dict[str, Any]:
    """Checks the account and returns the statement."""
    ledger = await billing.get(f"/v1/patients/{patient_id}/ledger?limit=200")
    items = await ledger_items(billing, patient_id, limit=2)
    assert items == ledger["items"], "paging through the ledger gives the same entries"
    by_kind: dict[str, Decimal] = {}
    running = Decimal("0.00")
    for item in items:
        amount = Decimal(item["amount"])
        if item["kind"] in REVERSIBLE:
            # A payer's reversal (a replacement, a void, an appeal it overturned) takes its
            # payment and adjustments back: positive; what is summed is the net.
            assert amount != 0, item
        else:
            assert (amount > 0) if item["kind"] in RAISES else (amount < 0), item
        by_kind[item["kind"]] = by_kind.get(item["kind"], Decimal("0.00")) + (
            amount if item["kind"] in RAISES else -amount)
        running += amount
        assert Decimal(item["balance"]) == running, item
    total = (by_kind.get("charge", 0) - by_kind.get("payer_payment", 0)
             - by_kind.get("contractual_adjustment", 0) - by_kind.get("patient_payment", 0)
             + by_kind.get("refund", 0) - by_kind.get("write_off", 0))
    assert Decimal(ledger["balance"]) == total == running
    statement = await billing.get(f"/v1/patients/{patient_id}/statement")
    totals = statement["totals"]
    assert Decimal(totals["balance"]) == total
    assert Decimal(totals["still_owed"]) + Decimal(totals["awaiting_insurance"]) == total
    assert Decimal(totals["payments"]) == by_kind.get("patient_payment", 0)
    assert Decimal(totals["refunds"]) == by_kind.get("refund", 0)
    assert Decimal(totals["write_offs"]) == by_kind.get("write_off", 0)
    return statement
