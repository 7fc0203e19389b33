"""A/R aging buckets by days since the date of service."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from billing_service.worklist.aging import OpenBalance, age, bucket_label

TODAY = date(2026, 6, 30)


@pytest.mark.parametrize(("days", "label"), [
    (0, "0-30"), (30, "0-30"), (31, "31-60"), (60, "31-60"), (61, "61-90"), (90, "61-90"),
    (91, "90+"), (400, "90+"), (-3, "0-30"),
])
def test_bucket_boundaries(days: int, label: str) -> None:
    assert bucket_label(days) == label


def test_counts_and_amounts_per_bucket_to_the_cent() -> None:
    def owed(days: int, amount: str) -> OpenBalance:
        return OpenBalance(TODAY - timedelta(days=days), Decimal(amount))

    buckets = age([owed(1, "100.10"), owed(30, "0.20"), owed(45, "50.00"), owed(91, "19.99"),
                   owed(120, "0.01"), owed(10, "0.00"), owed(70, "-5.00")], TODAY)
    assert [(b.label, b.count, b.amount) for b in buckets] == [
        ("0-30", 2, Decimal("100.30")), ("31-60", 1, Decimal("50.00")),
        ("61-90", 0, Decimal("0.00")), ("90+", 2, Decimal("20.00"))]
