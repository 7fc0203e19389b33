"""NcciEditCache: the same edits as the tables give, read once per code set, forgotten after a
load."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from coding_service.ncci.cache import NcciEditCache
from coding_service.ncci.loader import load_mue, load_ptp
from coding_service.ncci.repository import NcciRepository
from coding_service.validation.engine import MueEdit, PtpEdit
from rcm_shared.db import create_engine, session_factory
from rcm_shared.testing import migrate, throwaway_database

SERVICE_DIR = Path(__file__).resolve().parents[2]

ON = date(2026, 5, 4)
# Sets of the shipped sample: 93000/93010 (indicator 0), 97530/97140 (1), 97161/97530 deleted
# on its effective date, 17000 and 20610 with MUE values, 99213 with no edit at all.
CODE_SETS = [
    ["93000", "93010", "17000"],
    ["97161", "97530", "97140"],
    ["20610", "20611", "99213"],
    ["99213"],
    [],
]


@pytest.fixture(scope="module")
def cache_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Migrated with the shipped sample; the last test loads into it."""
    with throwaway_database("coding_ncci_cache", tmp_path_factory.mktemp("cache")) as url:
        migrate(SERVICE_DIR / "alembic.ini", url)
        yield url


@pytest.fixture(scope="module")
async def cache_engine(cache_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(cache_url)
    yield engine
    await engine.dispose()


@contextmanager
def selects(engine: AsyncEngine) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def test_the_cache_answers_what_the_tables_answer(cache_engine):
    cache = NcciEditCache(session_factory(cache_engine))
    for on in (date(2019, 12, 31), date(2020, 1, 1), ON):
        for codes in CODE_SETS:
            async with AsyncSession(cache_engine) as session:
                expected = await NcciRepository(session).edits_for(codes, on)
            assert await cache.edits_for(codes, on) == expected, (codes, on)
            assert await cache.edits_for(codes, on) == expected, (codes, on)


async def test_a_code_set_is_read_once_whatever_the_order_case_or_date(cache_engine):
    cache = NcciEditCache(session_factory(cache_engine))
    with selects(cache_engine) as seen:
        first = await cache.edits_for(["93000", "93010"], ON)
        read = len(seen)
        assert read == 4  # the newest load, the PTP pairs, the MUE values, the add-on edits
        again = await cache.edits_for([" 93010", "93000"], ON)
        lower = await cache.edits_for(["93010", "93000"], date(2025, 1, 2))
        assert len(seen) == read
    assert first == again == lower
    assert first.ptp == (PtpEdit("93000", "93010", "0",
                                 "Misuse of column two code with column one code"),)


async def test_a_batch_reads_all_its_new_sets_in_one_lookup(cache_engine):
    cache = NcciEditCache(session_factory(cache_engine))
    encounters = [(codes, ON) for codes in CODE_SETS] * 3
    with selects(cache_engine) as seen:
        found = await cache.edits_for_many(encounters)
        assert len(seen) == 4
    async with AsyncSession(cache_engine) as session:
        edits = NcciRepository(session)
        assert found == [await edits.edits_for(codes, on) for codes, on in encounters]
    assert found[0].mue == {"17000": MueEdit("17000", 1, 2,
                                             "Code Descriptor / CPT Instruction")}


async def test_the_oldest_sets_are_forgotten_past_the_limit(cache_engine):
    cache = NcciEditCache(session_factory(cache_engine), max_code_sets=2)
    with selects(cache_engine) as seen:
        for codes in (["93000", "93010"], ["97530", "97140"], ["17000", "20610"]):
            await cache.edits_for(codes, ON)
        read = len(seen)
        await cache.edits_for(["17000", "20610"], ON)
        assert len(seen) == read
        await cache.edits_for(["93000", "93010"], ON)
        assert len(seen) == read + 3  # PTP pairs, MUE values, add-on edits


async def test_requests_at_the_same_time_all_get_their_edits(cache_engine):
    cache = NcciEditCache(session_factory(cache_engine), freshness_seconds=0)
    sets = [CODE_SETS[i % 3] for i in range(30)]
    found = await asyncio.gather(*(cache.edits_for(codes, ON) for codes in sets))
    async with AsyncSession(cache_engine) as session:
        assert found == [await NcciRepository(session).edits_for(codes, ON) for codes in sets]


async def test_misses_are_read_through_the_callers_session(cache_engine):
    cache = NcciEditCache(session_factory(cache_engine))
    async with AsyncSession(cache_engine) as session, session.begin():
        edits = await cache.edits_for(["93000", "93010"], ON, session)
        assert session.in_transaction()
    assert [e.column2 for e in edits.ptp] == ["93010"]


async def test_a_load_is_seen_once_the_freshness_time_has_passed(cache_engine, ptp_file,
                                                                  mue_file):
    patient = NcciEditCache(session_factory(cache_engine), freshness_seconds=3600)
    prompt = NcciEditCache(session_factory(cache_engine), freshness_seconds=0)
    codes = ["11042", "97597"]
    before = await patient.edits_for(codes, ON)
    assert await prompt.edits_for(codes, ON) == before
    assert [e.column1 for e in before.ptp] == ["11042"]

    await load_ptp(cache_engine, ptp_file(
        "97597\t11042\t\t20250101\t*\t0\tMutually exclusive procedures"), quarter="2026Q3")
    await load_mue(cache_engine, mue_file("11042,3,1 Line Edit,Anatomic Consideration"),
                   quarter="2026Q3")

    assert await patient.edits_for(codes, ON) == before
    after = await prompt.edits_for(codes, ON)
    assert after.ptp == (PtpEdit("97597", "11042", "0", "Mutually exclusive procedures"),)
    assert after.mue == {"11042": MueEdit("11042", 3, 1, "Anatomic Consideration")}
