"""Open claims written straight into billing's database, as a clinic's years of billing
would leave them, for the rows that measure a read over many claims."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import insert, text

from billing_service.models.claim import Claim
from billing_service.models.coverage import Coverage
from rcm_shared.db import create_engine

BATCH = 5_000
# Where a clinic's open claims stand, in turn: a fifth need a biller (rejected, denied)
# besides those the payer has not answered for a month.
STATUSES = ("submitted", "accepted", "accepted", "partially_paid", "denied", "rejected",
            "submitted", "accepted", "partially_paid", "paid")


def _claim(tenant: str, coverage_id: str, number: int, today: date) -> dict[str, object]:
    status = STATUSES[number % len(STATUSES)]
    served = today - timedelta(days=number * 7 % 365)
    submitted = datetime.combine(served + timedelta(days=2), time(9), UTC)
    charge = Decimal(95 + number % 400) + Decimal(number % 100) / 100
    paid = {"partially_paid": charge / 2, "paid": charge - Decimal("20.00")}.get(
        status, Decimal("0.00")).quantize(Decimal("0.01"))
    return {
        "tenant_id": tenant, "encounter_id": f"bench-{number}", "coding_version": 1,
        "coverage_id": coverage_id, "payer_id": "MOCK-HMO", "patient_id": f"MRN-{number % 3000}",
        "patient_first_name": "Bench", "patient_last_name": "Patient",
        "patient_birth_date": date(1961, 5, 20), "patient_sex": "F",
        "date_of_service": served, "place_of_service": "11",
        "rendering_provider_npi": "1245319599", "billing_provider_npi": "1234567893",
        "diagnoses": ["E11.9", "I10"], "status": status, "total_charge": charge,
        "paid_amount": paid, "adjustment_amount": Decimal("0.00"),
        "payer_claim_control_number": None if status == "submitted" else f"P{number}",
        "submission_count": 1, "first_submitted_at": submitted,
        "last_submitted_at": submitted, "created_by": "bench", "created_at": submitted,
        "updated_at": submitted,
    }


async def _add(url: str, tenant: str, first: int, count: int) -> None:
    engine = create_engine(url)
    today = date.today()
    try:
        async with engine.begin() as connection:
            coverage_id = f"bench-coverage-{tenant}"
            if first == 0:
                await connection.execute(insert(Coverage).values(
                    id=coverage_id, tenant_id=tenant, patient_id="MRN-0", payer_id="MOCK-HMO",
                    member_id="H20000001", relationship="self",
                    subscriber_first_name="Bench", subscriber_last_name="Patient",
                    subscriber_birth_date=date(1961, 5, 20), subscriber_sex="F",
                    effective_from=date(2020, 1, 1)))
            for start in range(first, first + count, BATCH):
                stop = min(start + BATCH, first + count)
                await connection.execute(insert(Claim), [
                    _claim(tenant, coverage_id, number, today) for number in range(start, stop)])
        if engine.dialect.name == "postgresql":
            # What autovacuum does after a bulk load: the planner's statistics and the
            # visibility map an index-only scan needs.
            async with engine.connect() as connection:
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                await connection.execute(text("VACUUM ANALYZE claims"))
    finally:
        await engine.dispose()


def add_open_claims(url: str, tenant: str, first: int, count: int) -> None:
    """Claims number `first` to `first + count - 1` of `tenant`, with dates of service
    over the last year; the first call also writes the coverage they bill."""
    asyncio.run(_add(url, tenant, first, count))
