"""Fixtures for the mock payer: its rules from the shipped data files, claims built to
order, and adapters over a throwaway database of their own migrated by the mock payer's own
chain, driven through X12 (each claim sent as its 837P, the 277CA and 835 files read back)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from payer_files import ClaimsInX12, billing_party, rendering_party
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from billing_service.payers.adapter import ClaimForPayer, ClaimLineForPayer, Person
from mockpayer.adapter import IN_PROCESS_ACCOUNT, MockPayerAdapter
from mockpayer.cli import migrate
from mockpayer.config import MockPayerConfig
from mockpayer.engine import PayerRules
from mockpayer.loader import load_payer_rules
from mockpayer.models import (
    MockPayerAccumulator,
    MockPayerClaim,
    MockPayerInterchange,
    MockPayerPayeeBalance,
    MockPayerResponse,
    MockPayerSubmission,
)
from mockpayer.payer import MockPayer
from rcm_shared.db import create_engine, session_factory
from rcm_shared.testing import throwaway_database

# The payer's business day in every test: receipt date and paid date.
TODAY = date(2026, 11, 27)
VISIT = date(2026, 11, 2)
VALID_NPI = "1234567893"
PATIENT = Person(first_name="Ann", last_name="Lee", birth_date=date(1980, 4, 2), sex="F")

# (procedure code, charge) or (procedure code, charge, modifiers) or (..., units)
LineSpec = tuple[Any, ...]
ClaimMaker = Callable[..., ClaimForPayer]
AdapterMaker = Callable[..., ClaimsInX12]


def build_claim(
    *lines: LineSpec,
    payer_id: str = "MOCK-PPO",
    member_id: str = "W123456789",
    date_of_service: date = VISIT,
    frequency_code: str = "1",
    original: str | None = None,
    diagnoses: tuple[str, ...] = ("J06.9",),
    pointers: tuple[int, ...] = (1,),
    total: Decimal | None = None,
    billing_npi: str = VALID_NPI,
    rendering_npi: str = VALID_NPI,
    plan_code: str | None = None,
    submission_id: str | None = None,
    patient_control_number: str | None = None,
) -> ClaimForPayer:
    service_lines = tuple(
        ClaimLineForPayer(
            line_number=number,
            procedure_code=spec[0],
            modifiers=tuple(spec[2]) if len(spec) > 2 else (),
            units=spec[3] if len(spec) > 3 else 1,
            charge=Decimal(spec[1]),
            diagnosis_pointers=pointers,
            date_of_service=date_of_service,
        )
        for number, spec in enumerate(lines, start=1)
    )
    submission = submission_id or uuid.uuid4().hex
    return ClaimForPayer(
        submission_id=submission,
        patient_control_number=patient_control_number or submission[:20].upper(),
        frequency_code=frequency_code,  # type: ignore[arg-type]
        original_payer_claim_number=original,
        payer_id=payer_id,
        plan_code=plan_code,
        member_id=member_id,
        group_number="G-100",
        relationship="self",
        subscriber=PATIENT,
        patient=PATIENT,
        patient_id="MRN-77",
        billing_provider_npi=billing_npi,
        rendering_provider_npi=rendering_npi,
        billing_provider=billing_party(billing_npi),
        rendering_provider=rendering_party(rendering_npi),
        place_of_service="11",
        date_of_service=date_of_service,
        diagnoses=diagnoses,
        lines=service_lines,
        total_charge=(
            total
            if total is not None
            else sum((line.charge for line in service_lines), Decimal("0.00"))
        ),
    )


@pytest.fixture(scope="session")
def rules() -> dict[str, PayerRules]:
    return load_payer_rules()


@pytest.fixture(scope="session")
def make_claim() -> ClaimMaker:
    return build_claim


@pytest.fixture(scope="session")
def mock_payer_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with throwaway_database("mockpayer_test", tmp_path_factory.mktemp("mockpayer")) as url:
        migrate(url)
        yield url


@pytest.fixture(scope="session")
async def mock_payer_engine(mock_payer_database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(mock_payer_database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
async def sessionmaker(
    mock_payer_engine: AsyncEngine,
) -> async_sessionmaker[AsyncSession]:
    """A session factory over empty mock payer tables: each test starts a new payer."""
    factory = session_factory(mock_payer_engine)
    async with factory() as session, session.begin():
        for model in (MockPayerResponse, MockPayerClaim, MockPayerAccumulator,
                      MockPayerPayeeBalance, MockPayerInterchange):
            await session.execute(delete(model))
        await session.execute(delete(MockPayerSubmission))
    return factory


@pytest.fixture
def make_adapter(sessionmaker: async_sessionmaker[AsyncSession]) -> AdapterMaker:
    def make(data_dir: Path | None = None, account: str = IN_PROCESS_ACCOUNT,
             **config: Any) -> ClaimsInX12:
        return ClaimsInX12(MockPayerAdapter(MockPayer(
            sessionmaker, MockPayerConfig(data_dir=data_dir, **config), today=lambda: TODAY
        ), account))

    return make
