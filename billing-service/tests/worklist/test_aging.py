"""A/R aging buckets by days since the date of service, added up by the database: the bucket
edges, what counts as open and owing, and the amounts to the cent, on either engine."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from fastapi import FastAPI

from billing_service.models.claim import Claim
from billing_service.models.coverage import Coverage
from billing_service.worklist.aging import Bucket, buckets, earliest_dates
from billing_service.worklist.repository import WorklistRepository
from billing_service.worklist.service import WorklistService
from rcm_shared.auth import Principal

TODAY = date(2026, 6, 30)


def test_each_bucket_starts_where_the_one_before_ends() -> None:
    assert earliest_dates(TODAY) == [("0-30", date(2026, 5, 31)), ("31-60", date(2026, 5, 1)),
                                     ("61-90", date(2026, 4, 1)), ("90+", None)]


def test_sums_in_cents_become_every_bucket_in_order() -> None:
    assert buckets({"90+": (2, 2000), "0-30": (1, 1)}) == [
        Bucket("0-30", 1, Decimal("0.01")), Bucket("31-60", 0, Decimal("0.00")),
        Bucket("61-90", 0, Decimal("0.00")), Bucket("90+", 2, Decimal("20.00"))]


def _claim(tenant: str, coverage: Coverage, date_of_service: date, total: str, *,
           paid: str = "0.00",
           adjusted: str = "0.00", status: str = "submitted") -> Claim:
    return Claim(
        tenant_id=tenant, encounter_id=f"enc-{uuid.uuid4().hex[:12]}", coding_version=1,
        coverage_id=coverage.id, payer_id="MOCK-PPO", patient_id="MRN-AGING",
        patient_first_name="Ana", patient_last_name="Silva",
        patient_birth_date=date(1980, 2, 1), patient_sex="F",
        date_of_service=date_of_service, place_of_service="11",
        rendering_provider_npi="1245319599", billing_provider_npi="1234567893",
        diagnoses=["E11.9"], status=status, total_charge=Decimal(total),
        paid_amount=Decimal(paid), adjustment_amount=Decimal(adjusted), created_by="test",
    )


async def _tenant_with_claims(app: FastAPI, rows: list[tuple[int, str, dict[str, str]]],
                              as_of: date = TODAY) -> str:
    """A new tenant with a claim per row: (days before `as_of` of its date of service, total
    charge, other columns)."""
    tenant = f"aging-{uuid.uuid4().hex[:8]}"
    async with app.state.sessionmaker() as session, session.begin():
        coverage = Coverage(
            tenant_id=tenant, patient_id="MRN-AGING", payer_id="MOCK-PPO", member_id="W1",
            relationship="self", subscriber_first_name="Ana", subscriber_last_name="Silva",
            subscriber_birth_date=date(1980, 2, 1), subscriber_sex="F",
            effective_from=date(2020, 1, 1))
        session.add(coverage)
        await session.flush()
        session.add_all([_claim(tenant, coverage, as_of - timedelta(days=days), total, **extra)
                         for days, total, extra in rows])
    return tenant


async def _aging(app: FastAPI, tenant: str) -> dict[str, tuple[int, int]]:
    async with app.state.sessionmaker() as session:
        return await WorklistRepository(session, tenant).aging(TODAY)


@pytest.mark.parametrize(("days", "label"), [
    (0, "0-30"), (30, "0-30"), (31, "31-60"), (60, "31-60"), (61, "61-90"), (90, "61-90"),
    (91, "90+"), (400, "90+"), (-3, "0-30"),
])
async def test_bucket_edges(app: FastAPI, days: int, label: str) -> None:
    tenant = await _tenant_with_claims(app, [(days, "10.00", {})])
    assert await _aging(app, tenant) == {label: (1, 1000)}


async def test_counts_and_amounts_per_bucket_to_the_cent(app: FastAPI) -> None:
    tenant = await _tenant_with_claims(app, [
        (1, "100.10", {}),
        (30, "0.30", {"paid": "0.10"}),
        (45, "100.00", {"paid": "33.33", "adjusted": "16.67", "status": "partially_paid"}),
        (91, "19.99", {"status": "denied"}),
        (120, "0.01", {"status": "ready"}),
        (365, "99999999.99", {"status": "accepted"}),
        # Owing nothing, or overpaid: not in any bucket.
        (10, "80.00", {"paid": "80.00", "status": "paid"}),
        (70, "50.00", {"paid": "55.00", "status": "paid"}),
        # A replaced or voided claim owes nothing any more, whatever its amounts say.
        (5, "70.00", {"status": "replaced"}),
        (5, "70.00", {"status": "voided"}),
    ])
    # Another tenant's claims are never counted.
    await _tenant_with_claims(app, [(1, "500.00", {})])
    totals = await _aging(app, tenant)
    assert totals == {"0-30": (2, 10030), "31-60": (1, 5000), "90+": (3, 10000001999)}
    assert [(b.label, b.count, b.amount) for b in buckets(totals)] == [
        ("0-30", 2, Decimal("100.30")), ("31-60", 1, Decimal("50.00")),
        ("61-90", 0, Decimal("0.00")), ("90+", 3, Decimal("100000019.99"))]


async def test_the_worklist_answers_the_buckets_and_their_totals(app: FastAPI) -> None:
    today = date.today()
    tenant = await _tenant_with_claims(app, [
        (3, "0.10", {}), (3, "0.20", {}),
        (75, "12.34", {"paid": "2.34", "status": "partially_paid"}),
    ], as_of=today)
    async with app.state.sessionmaker() as session:
        page = await WorklistService(session, Principal(tenant, frozenset(), "k"), 30).page(
            limit=50, cursor=None)
    aging = page.aging
    assert aging.as_of == today
    assert [(b.label, b.count, b.amount) for b in aging.buckets] == [
        ("0-30", 2, Decimal("0.30")), ("31-60", 0, Decimal("0.00")),
        ("61-90", 1, Decimal("10.00")), ("90+", 0, Decimal("0.00"))]
    assert (aging.total_count, aging.total_amount) == (3, Decimal("10.30"))
