"""Two replicas of the payer worker, each with its own engine, against one PostgreSQL
database: 500 queued claims are each sent to the payer exactly once, acknowledged once and
paid once. The replicas share nothing but the database, as two processes would."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from billing_providers import BILLING_PROVIDER, RENDERING_PROVIDER
from billing_workers import RecordingPayer, worker_state
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from billing_service.main import payer_conversation
from billing_service.models import (
    Claim,
    ClaimLine,
    Coverage,
    PayerJob,
    Provider,
    RemittancePosting,
)
from mockpayer.adapter import MockPayerAdapter
from mockpayer.payer import MockPayer
from rcm_shared.db import create_engine, is_sqlite, session_factory

pytestmark = pytest.mark.postgres

CLAIMS = 500
TENANT = "clinic-replicas"
ADJUDICATED = ("paid", "partially_paid", "denied")
MAX_ROUNDS = 60
# Valid NPIs (Luhn over the 80840 prefix).
BILLING_NPI = "1234567893"
RENDERING_NPI = "1245319599"
HOME = {"line1": "42 Elm Street", "line2": None, "city": "Springfield", "state": "IL",
        "postal_code": "627040001"}


def queued_claim(number: int, day: date) -> list[object]:
    """A covered claim as POST /v1/claims/{id}/submit leaves it: submitted, its job queued."""
    coverage = Coverage(
        id=str(uuid.uuid4()), tenant_id=TENANT, patient_id=f"MRN-R{number}", payer_id="MOCK-PPO",
        member_id=f"W{700_000_000 + number:09d}", relationship="self",
        subscriber_first_name="Ana", subscriber_last_name="Silva",
        subscriber_birth_date=date(1980, 2, 1), subscriber_sex="F",
        effective_from=date(2020, 1, 1),
    )
    submission_id = f"replica-{number:04d}"
    claim = Claim(
        id=str(uuid.uuid4()), tenant_id=TENANT, encounter_id=f"enc-r{number}", coding_version=1,
        coverage_id=coverage.id,
        payer_id="MOCK-PPO", patient_id=coverage.patient_id, patient_first_name="Ana",
        patient_last_name="Silva", patient_birth_date=date(1980, 2, 1), patient_sex="F",
        date_of_service=day, place_of_service="11", rendering_provider_npi=RENDERING_NPI,
        billing_provider_npi=BILLING_NPI, patient_address=HOME, diagnoses=["E11.9"],
        status="submitted",
        submission_id=submission_id, submission_count=1, total_charge=Decimal("150.00"),
        scrub_issues=[], payer_errors=[], version=2, created_by="replica-test",
        lines=[ClaimLine(line_number=1, procedure_code="99213", modifiers=[], units=1,
                         charge=Decimal("150.00"), diagnosis_pointers=[1],
                         date_of_service=day)],
    )
    job = PayerJob(tenant_id=TENANT, claim_id=claim.id, kind="submit", submission_id=submission_id,
                   frequency_code="1")
    return [coverage, claim, job]


async def adjudicated_count(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as session:
        return await session.scalar(
            select(func.count()).select_from(Claim)
            .where(Claim.tenant_id == TENANT, Claim.status.in_(ADJUDICATED))) or 0


async def run_replica(app: FastAPI, url: str, payer_url: str) -> RecordingPayer:
    """One worker process: its own engine and its own payer (on the payer's database),
    rounds until every claim is adjudicated."""
    engine = create_engine(url)
    payer_engine = create_engine(payer_url)
    sessionmaker = session_factory(engine)
    payer = RecordingPayer(MockPayerAdapter(MockPayer(session_factory(payer_engine),
                                                      app.state.settings.mock_payer)))
    state = worker_state(app, payer, sessionmaker)
    try:
        for _ in range(MAX_ROUNDS):
            await payer_conversation(state).send_due()
            await payer_conversation(state).poll()
            if await adjudicated_count(sessionmaker) == CLAIMS:
                break
    finally:
        await engine.dispose()
        await payer_engine.dispose()
    return payer


async def test_two_replicas_send_each_of_500_claims_exactly_once(
    app: FastAPI, database_url: str, payer_database_url: str
) -> None:
    if is_sqlite(database_url):
        pytest.skip("SQLite has a single writer: replicas need PostgreSQL (TEST_DATABASE_URL)")
    day = date.today() - timedelta(days=3)
    async with app.state.sessionmaker() as session, session.begin():
        rows = [queued_claim(number, day) for number in range(CLAIMS)]
        # The models have no relationships between them: parents are flushed first.
        for kind in range(3):
            session.add_all([row[kind] for row in rows])
            await session.flush()
        # The tenant's providers, which every 837P names (loops 2010AA and 2310B).
        session.add_all([Provider(tenant_id=TENANT, **{**fields, "address": HOME})
                         for fields in (BILLING_PROVIDER, RENDERING_PROVIDER)])

    started = time.monotonic()
    first, second = await asyncio.gather(run_replica(app, database_url, payer_database_url),
                                         run_replica(app, database_url, payer_database_url))
    elapsed = time.monotonic() - started
    print(f"two replicas processed {CLAIMS} claims in {elapsed:.1f}s, sending "
          f"{len(first.sent)} and {len(second.sent)} of them")

    ours = {f"replica-{n:04d}" for n in range(CLAIMS)}
    sends = first.sends_per_submission() + second.sends_per_submission()
    assert {sid: count for sid, count in sends.items() if sid in ours} == dict.fromkeys(ours, 1)
    # Both did part of the work: the queue was shared, not taken whole by one replica.
    assert set(first.sends_per_submission()) & ours and set(second.sends_per_submission()) & ours

    async with app.state.sessionmaker() as session:
        jobs = Counter((await session.scalars(
            select(PayerJob.status).where(PayerJob.tenant_id == TENANT))).all())
        assert jobs == {"sent": CLAIMS}
        claims = Counter((await session.scalars(
            select(Claim.status).where(Claim.tenant_id == TENANT))).all())
        assert sum(claims[s] for s in ADJUDICATED) == CLAIMS, claims
        postings = Counter((await session.scalars(
            select(RemittancePosting.claim_id).where(RemittancePosting.tenant_id == TENANT)
        )).all())
        assert len(postings) == CLAIMS and set(postings.values()) == {1}
