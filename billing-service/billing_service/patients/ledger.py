"""A patient's ledger: what was charged, what the payers paid and adjusted, and what the
patient paid, was refunded or had written off, with the running balance. Pure: no I/O.

Charges and payer entries are derived when the ledger is read, from rows that are never
edited: a claim's charge is fixed when it is built and each remittance posted is its own row
(a payer taking money back posts a reversal with negative amounts, never an edit). Deriving
them keeps one source for the claim's money, so the ledger's balance and the statement's can
never drift apart; the patient's own money has no other home and is written as it happens
(models/ledger.py), insert-only."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from rcm_shared.money import ZERO, to_money

# The order of entries posted at the same instant: the charge before what settles it.
KIND_ORDER = {"charge": 0, "payer_payment": 1, "contractual_adjustment": 2,
              "patient_payment": 3, "write_off": 4, "refund": 5}
# OA-23 on a later payer's remittance repeats what the payers before it paid or adjusted:
# already on the ledger from their own remittances.
PRIOR_PAYER = ("OA", "23")
# A denial as another payer's to pay first writes nothing off when that payer was billed:
# the charge stays on the account, awaiting it.
OTHER_PAYER_FIRST = frozenset({"22", "27", "109"})


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    posted_at: datetime
    kind: str
    claim_id: str | None
    amount: Decimal


@dataclass(frozen=True, slots=True)
class LedgerItem:
    id: str
    posted_at: datetime
    kind: str
    claim_id: str | None
    amount: Decimal
    balance: Decimal


@dataclass(frozen=True, slots=True)
class PostedMoney:
    """One posted remittance: what the payer paid and every adjustment (group, CARC, amount)."""

    id: int
    claim_id: str
    posted_at: datetime
    paid: Decimal
    adjustments: Sequence[tuple[str, str, Decimal]]


def charge(claim_id: str, created_at: datetime, total_charge: Decimal) -> Entry:
    return Entry(f"charge-{claim_id}", created_at, "charge", claim_id, to_money(total_charge))


def _written_off(group: str, carc: str, passed_on: bool) -> bool:
    if group == "PR" or (group, carc) == PRIOR_PAYER:
        return False
    return not (passed_on and group == "CO" and carc in OTHER_PAYER_FIRST)


def payer_entries(posting: PostedMoney, *, passed_on: bool = False) -> list[Entry]:
    """The payer's payment and its contractual adjustments (every group but PR, which is the
    patient's share and stays on the balance), each lowering the balance. `passed_on`: the
    claim has a next payer's claim, which was billed what this one left."""
    entries = []
    if posting.paid:
        entries.append(Entry(f"remittance-{posting.id}-paid", posting.posted_at, "payer_payment",
                             posting.claim_id, to_money(-posting.paid)))
    adjusted = to_money(sum((amount for group, carc, amount in posting.adjustments
                             if _written_off(group, carc, passed_on)), ZERO))
    if adjusted:
        entries.append(Entry(f"remittance-{posting.id}-adjusted", posting.posted_at,
                             "contractual_adjustment", posting.claim_id, -adjusted))
    return entries


def running(entries: Iterable[Entry]) -> list[LedgerItem]:
    """Entries in the order they were posted, each with the balance after it."""
    balance = ZERO
    items = []
    for entry in sorted(entries, key=lambda e: (e.posted_at, KIND_ORDER[e.kind], e.id)):
        balance = to_money(balance + entry.amount)
        items.append(LedgerItem(entry.id, entry.posted_at, entry.kind, entry.claim_id,
                                entry.amount, balance))
    return items


def balance(entries: Iterable[Entry]) -> Decimal:
    return to_money(sum((e.amount for e in entries), ZERO))


def oldest_first(amount: Decimal, open_balances: Sequence[tuple[str, Decimal]]
                 ) -> tuple[list[tuple[str, Decimal]], Decimal]:
    """Spread `amount` over the claims' open patient balances, oldest first (the caller
    orders them); what no claim takes is returned as the credit left over."""
    applied = []
    left = to_money(amount)
    for claim_id, owed in open_balances:
        if left <= ZERO:
            break
        if owed <= ZERO:
            continue
        part = min(left, owed)
        applied.append((claim_id, part))
        left = to_money(left - part)
    return applied, left


def open_balances(owed_by_claim: Mapping[str, Decimal],
                  patient_money: Iterable[Entry]) -> dict[str, Decimal]:
    """What the patient still owes on each claim: the claim's patient share less what the
    patient paid on it or had written off."""
    left = {claim_id: to_money(owed) for claim_id, owed in owed_by_claim.items()}
    for entry in patient_money:
        if entry.claim_id in left and entry.kind in ("patient_payment", "write_off"):
            left[entry.claim_id] = to_money(left[entry.claim_id] + entry.amount)
    return left
