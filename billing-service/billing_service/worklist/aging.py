"""A/R aging of open balances by days since the date of service. Pure: the database adds the
balances up (billing_service.worklist.repository), these say which bucket a date falls in
and turn the sums into money."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from rcm_shared.money import to_money

# (label, first day, last day or None for open-ended)
BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-30", 0, 30),
    ("31-60", 31, 60),
    ("61-90", 61, 90),
    ("90+", 91, None),
)


@dataclass(frozen=True, slots=True)
class Bucket:
    label: str
    count: int
    amount: Decimal


def earliest_dates(today: date) -> list[tuple[str, date | None]]:
    """Each bucket with the earliest date of service it takes on `today`, youngest bucket
    first; None for the last, which takes every older one. A date is in the first bucket
    whose earliest date it is not before, so a date of service in the future ages as new."""
    return [(label, None if last is None else today - timedelta(days=last))
            for label, _, last in BUCKETS]


def buckets(totals: Mapping[str, tuple[int, int]]) -> list[Bucket]:
    """Every bucket in order from `totals`: label -> (open claims, their balances in cents);
    a bucket missing from it has none."""
    return [Bucket(label, totals.get(label, (0, 0))[0],
                   to_money(Decimal(totals.get(label, (0, 0))[1]).scaleb(-2)))
            for label, _, _ in BUCKETS]
