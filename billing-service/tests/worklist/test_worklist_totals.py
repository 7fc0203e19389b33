"""What the worklist adds up, kept by the database's triggers as claims are written, change
status, balance or denials, move to another day, or are deleted: claim_open_balances (the
A/R aging's days) and claim_denial_counts (denials by category)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select, text, update

from billing_service.claims.state_machine import TERMINAL
from billing_service.models.claim import (
    Claim,
    ClaimDenialCount,
    ClaimOpenBalance,
    ClaimStatus,
)
from billing_service.models.coverage import Coverage

DAY = date(2026, 3, 2)
OTHER_DAY = date(2026, 1, 15)


async def test_each_open_claim_owing_something_counts_on_its_day(app) -> None:
    tenant = await _tenant(app)
    async with app.state.sessionmaker() as session, session.begin():
        for status in ClaimStatus:
            session.add(_claim(tenant, status.value, "120.00"))
        # Nothing left to pay: not on the day, whatever its status.
        session.add(_claim(tenant, "partially_paid", "80.00", paid="80.00"))
    open_statuses = [s for s in ClaimStatus if s not in TERMINAL]
    assert await _days(app, tenant) == {DAY: (len(open_statuses), 12_000 * len(open_statuses))}
    assert {ClaimStatus.REPLACED, ClaimStatus.VOIDED, ClaimStatus.CANCELED} == TERMINAL


async def test_the_days_follow_payments_statuses_moves_and_deletions(app) -> None:
    tenant = await _tenant(app)
    first, second = _claim(tenant, "submitted", "100.00"), _claim(tenant, "accepted", "50.25")
    async with app.state.sessionmaker() as session, session.begin():
        session.add_all([first, second])
    assert await _days(app, tenant) == {DAY: (2, 15_025)}

    await _change(app, first.id, paid_amount=Decimal("60.00"), status="partially_paid")
    assert await _days(app, tenant) == {DAY: (2, 9_025)}
    await _change(app, first.id, adjustment_amount=Decimal("40.00"))
    assert await _days(app, tenant) == {DAY: (1, 5_025)}
    await _change(app, first.id, adjustment_amount=Decimal("0.00"))
    assert await _days(app, tenant) == {DAY: (2, 9_025)}

    await _change(app, second.id, date_of_service=OTHER_DAY)
    assert await _days(app, tenant) == {DAY: (1, 4_000), OTHER_DAY: (1, 5_025)}
    await _change(app, second.id, status="voided")
    assert await _days(app, tenant) == {DAY: (1, 4_000)}
    await _change(app, second.id, status="denied")
    assert await _days(app, tenant) == {DAY: (1, 4_000), OTHER_DAY: (1, 5_025)}

    # A change of anything else leaves the days as they were.
    await _change(app, first.id, version=7, payer_claim_control_number="P-1")
    assert await _days(app, tenant) == {DAY: (1, 4_000), OTHER_DAY: (1, 5_025)}

    async with app.state.sessionmaker() as session, session.begin():
        await session.execute(delete(Claim).where(Claim.id == first.id))
    assert await _days(app, tenant) == {OTHER_DAY: (1, 5_025)}


async def test_the_days_add_up_to_the_open_claims_of_every_tenant(app) -> None:
    """Whatever the other tests did through the API (claims built, submitted, paid, denied,
    corrected, voided), the days hold what the claims themselves add up to."""
    open_statuses = [s.value for s in ClaimStatus if s not in TERMINAL]
    async with app.state.sessionmaker() as session:
        claims = {(tenant, day): (count, int(cents)) for tenant, day, count, cents in
                  await session.execute(
                      select(Claim.tenant_id, Claim.date_of_service, func.count(),
                             func.sum(Claim.balance_cents))
                      .where(Claim.status.in_(open_statuses), Claim.balance_cents > 0)
                      .group_by(Claim.tenant_id, Claim.date_of_service))}
        days = {(row.tenant_id, row.date_of_service): (row.claims, row.balance_cents)
                for row in await session.scalars(select(ClaimOpenBalance))
                if row.claims or row.balance_cents}
    assert claims and days == claims


async def test_a_move_between_open_statuses_leaves_its_day_untouched(app) -> None:
    """ready to submitted to accepted changes nothing the day holds: the day's row is not
    written (nor locked) at all; a move out of the open statuses writes it."""
    tenant = await _tenant(app)
    claim = _claim(tenant, "ready", "100.00")
    async with app.state.sessionmaker() as session, session.begin():
        session.add(claim)
    assert await _day_writes(app, tenant, claim.id, status="submitted") == 0
    assert await _day_writes(app, tenant, claim.id, status="accepted") == 0
    assert await _days(app, tenant) == {DAY: (1, 10_000)}
    assert await _day_writes(app, tenant, claim.id, status="canceled") == 1
    assert await _days(app, tenant) == {}


async def _day_writes(app, tenant: str, claim_id: str, **values: Any) -> int:
    """Whether (PostgreSQL, 0 or 1: the row's version, xmin, moved) or how many times
    (SQLite: the trigger's writes count in total_changes()) updating the claim wrote its
    day's row."""
    async with app.state.sessionmaker() as session, session.begin():
        postgresql = session.bind.dialect.name == "postgresql"
        where = "tenant_id = :tenant AND date_of_service = :day"
        probe = (text(f"SELECT xmin::text FROM claim_open_balances WHERE {where}")
                 if postgresql else text("SELECT total_changes()"))
        before = (await session.execute(probe, {"tenant": tenant, "day": DAY})).scalar()
        await session.execute(update(Claim).where(Claim.id == claim_id).values(**values))
        after = (await session.execute(probe, {"tenant": tenant, "day": DAY})).scalar()
    if postgresql:
        return int(before != after)
    return after - before - 1  # the claim's own row is one change


def _denied(*categories: str) -> list[dict[str, str]]:
    return [{"line": "1", "group": "CO", "carc": "97", "amount": "10.00", "category": each}
            for each in categories]


async def test_denials_count_per_category_on_denied_and_partially_paid_claims(app) -> None:
    tenant = await _tenant(app)
    twice, mixed = _claim(tenant, "denied", "100.00"), _claim(tenant, "partially_paid", "90.00")
    twice.denials, mixed.denials = _denied("bundling", "bundling"), _denied("bundling",
                                                                          "timely_filing")
    paid, empty = _claim(tenant, "paid", "80.00"), _claim(tenant, "denied", "70.00")
    paid.denials = _denied("eligibility")
    async with app.state.sessionmaker() as session, session.begin():
        session.add_all([twice, mixed, paid, empty])
    assert await _counts(app, tenant) == {"bundling": (2, 3), "timely_filing": (1, 1)}

    await _change(app, paid.id, status="denied")
    assert await _counts(app, tenant) == {"bundling": (2, 3), "timely_filing": (1, 1),
                                          "eligibility": (1, 1)}
    await _change(app, mixed.id, denials=_denied("coding"))
    assert await _counts(app, tenant) == {"bundling": (1, 2), "coding": (1, 1),
                                          "eligibility": (1, 1)}
    await _change(app, twice.id, status="voided")
    assert await _counts(app, tenant) == {"coding": (1, 1), "eligibility": (1, 1)}
    await _change(app, paid.id, version=3)
    assert await _counts(app, tenant) == {"coding": (1, 1), "eligibility": (1, 1)}
    async with app.state.sessionmaker() as session, session.begin():
        await session.execute(delete(Claim).where(Claim.id == paid.id))
    assert await _counts(app, tenant) == {"coding": (1, 1)}


async def test_the_denial_counts_add_up_to_every_tenants_claims(app) -> None:
    counted: dict[tuple[str, str], tuple[int, int]] = {}
    async with app.state.sessionmaker() as session:
        for tenant, denials in await session.execute(
                select(Claim.tenant_id, Claim.denials)
                .where(Claim.status.in_(("denied", "partially_paid")))):
            categories = [denial["category"] for denial in denials]
            for each in set(categories):
                claims, total = counted.get((tenant, each), (0, 0))
                counted[(tenant, each)] = (claims + 1, total + categories.count(each))
        kept = {(row.tenant_id, row.category): (row.claims, row.denials)
                for row in await session.scalars(select(ClaimDenialCount))
                if row.claims or row.denials}
    assert counted and kept == counted


async def _counts(app, tenant: str) -> dict[str, tuple[int, int]]:
    async with app.state.sessionmaker() as session:
        rows = await session.scalars(select(ClaimDenialCount)
                                     .where(ClaimDenialCount.tenant_id == tenant))
        return {row.category: (row.claims, row.denials) for row in rows
                if row.claims or row.denials}


async def _tenant(app) -> str:
    tenant = f"open-balances-{uuid.uuid4().hex[:8]}"
    async with app.state.sessionmaker() as session, session.begin():
        session.add(Coverage(
            id=f"coverage-{tenant}", tenant_id=tenant, patient_id="MRN-1", payer_id="MOCK-HMO",
            member_id="H20000001", relationship="self", subscriber_first_name="Ada",
            subscriber_last_name="Patient", subscriber_birth_date=date(1961, 5, 20),
            subscriber_sex="F", effective_from=date(2020, 1, 1)))
    return tenant


def _claim(tenant: str, status: str, charge: str, paid: str = "0.00") -> Claim:
    return Claim(
        tenant_id=tenant, encounter_id=str(uuid.uuid4()), coding_version=1,
        coverage_id=f"coverage-{tenant}", payer_id="MOCK-HMO", patient_id="MRN-1",
        patient_first_name="Ada", patient_last_name="Patient",
        patient_birth_date=date(1961, 5, 20), patient_sex="F", date_of_service=DAY,
        place_of_service="11", rendering_provider_npi="1245319599",
        billing_provider_npi="1234567893", diagnoses=["E11.9"], status=status,
        total_charge=Decimal(charge), paid_amount=Decimal(paid), created_by="test")


async def _change(app, claim_id: str, **values: Any) -> None:
    async with app.state.sessionmaker() as session, session.begin():
        await session.execute(update(Claim).where(Claim.id == claim_id).values(**values))


async def _days(app, tenant: str) -> dict[date, tuple[int, int]]:
    """The tenant's days with an open claim, as (claims, cents)."""
    async with app.state.sessionmaker() as session:
        rows = await session.scalars(select(ClaimOpenBalance)
                                     .where(ClaimOpenBalance.tenant_id == tenant))
        return {row.date_of_service: (row.claims, row.balance_cents) for row in rows
                if row.claims or row.balance_cents}
