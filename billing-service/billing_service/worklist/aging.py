"""A/R aging of open balances by days since the date of service. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rcm_shared.money import ZERO, to_money

# (label, first day, last day or None for open-ended)
BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-30", 0, 30),
    ("31-60", 31, 60),
    ("61-90", 61, 90),
    ("90+", 91, None),
)


@dataclass(frozen=True, slots=True)
class OpenBalance:
    date_of_service: date
    balance: Decimal


@dataclass(frozen=True, slots=True)
class Bucket:
    label: str
    count: int
    amount: Decimal


def bucket_label(days: int) -> str:
    for label, first, last in BUCKETS:
        if days >= first and (last is None or days <= last):
            return label
    return BUCKETS[0][0]  # a date of service in the future ages as new


def age(balances: Iterable[OpenBalance], today: date) -> list[Bucket]:
    counts = {label: 0 for label, _, _ in BUCKETS}
    amounts = {label: ZERO for label, _, _ in BUCKETS}
    for item in balances:
        if item.balance <= ZERO:
            continue
        label = bucket_label((today - item.date_of_service).days)
        counts[label] += 1
        amounts[label] += item.balance
    return [Bucket(label, counts[label], to_money(amounts[label])) for label, _, _ in BUCKETS]
