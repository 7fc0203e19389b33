"""edits_for: the PTP pairs in effect on the date among the codes, and the codes' MUE values."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from coding_service.ncci.loader import load_mue, load_ptp
from coding_service.ncci.repository import NcciRepository
from coding_service.validation.engine import MueEdit, NcciEdits, PtpEdit

PTP = [
    # In force from 2020 until its deletion on 2024-01-01.
    "97530\t97140\t\t20200101\t20240101\t1\tMutually exclusive procedures",
    # In force from 2025 on.
    "20611\t20610\t\t20250101\t*\t1\tMutually exclusive procedures",
    "93000\t93010\t*\t19960101\t*\t0\tMisuse of column two code with column one code",
    "11042\t97597\t\t20090101\t*\t1\tMutually exclusive procedures",
]
MUE = [
    "17000,1,2 Date of Service Edit: Policy,Code Descriptor / CPT Instruction",
    "20610,2,1 Line Edit,Anatomic Consideration",
]


@pytest.fixture(scope="module")
async def loaded(engine, tmp_path_factory):
    folder = tmp_path_factory.mktemp("edits")
    ptp = folder / "ptp.txt"
    ptp.write_text("Column 1\tColumn 2\n" + "\n".join(PTP) + "\n")
    mue = folder / "mue.csv"
    mue.write_text("HCPCS/CPT Code,MUE\n" + "\n".join(MUE) + "\n")
    await load_ptp(engine, ptp, quarter="test")
    await load_mue(engine, mue, quarter="test")
    return engine


async def _edits(engine, codes, on: date) -> NcciEdits:
    async with AsyncSession(engine) as session:
        return await NcciRepository(session).edits_for(codes, on)


def _pairs(edits: NcciEdits) -> set[tuple[str, str]]:
    return {(e.column1, e.column2) for e in edits.ptp}


@pytest.mark.parametrize(
    ("on", "in_effect"),
    [
        (date(2019, 12, 31), False),  # before the effective date
        (date(2020, 1, 1), True),  # the effective date itself
        (date(2023, 12, 31), True),  # the last day before the deletion
        (date(2024, 1, 1), False),  # the deletion date
    ],
)
async def test_a_deleted_edit_applies_only_between_its_dates(loaded, on, in_effect):
    edits = await _edits(loaded, ["97530", "97140"], on)
    assert _pairs(edits) == ({("97530", "97140")} if in_effect else set())


@pytest.mark.parametrize(("on", "in_effect"), [(date(2024, 12, 31), False),
                                               (date(2025, 1, 1), True),
                                               (date(2026, 5, 4), True)])
async def test_an_open_ended_edit_applies_from_its_effective_date(loaded, on, in_effect):
    edits = await _edits(loaded, ["20610", "20611"], on)
    assert _pairs(edits) == ({("20611", "20610")} if in_effect else set())


async def test_only_pairs_with_both_codes_on_the_encounter_come_back(loaded):
    edits = await _edits(loaded, ["93000", "97597", "99213"], date(2026, 5, 4))
    assert edits.ptp == ()
    edits = await _edits(loaded, ["93000", "93010", "11042", "97597"], date(2026, 5, 4))
    assert sorted(edits.ptp, key=lambda e: e.column1) == [
        PtpEdit("11042", "97597", "1", "Mutually exclusive procedures"),
        PtpEdit("93000", "93010", "0", "Misuse of column two code with column one code"),
    ]


async def test_mue_values_come_back_for_the_codes_that_have_one(loaded):
    edits = await _edits(loaded, [" 17000", "20610 ", "99213"], date(2026, 5, 4))
    assert dict(edits.mue) == {
        "17000": MueEdit("17000", 1, 2, "Code Descriptor / CPT Instruction"),
        "20610": MueEdit("20610", 2, 1, "Anatomic Consideration"),
    }


async def test_codes_are_matched_in_any_case(loaded):
    edits = await _edits(loaded, ["g0438", "93000", "93010"], date(2026, 5, 4))
    assert _pairs(edits) == {("93000", "93010")}


async def test_edits_take_at_most_three_queries(loaded):
    statements: list[str] = []

    def count(*args) -> None:
        statements.append(args[2])

    event.listen(loaded.sync_engine, "before_cursor_execute", count)
    try:
        await _edits(loaded, ["93000", "93010", "17000", "20610"], date(2026, 5, 4))
        selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
        assert len(selects) == 3
        statements.clear()
        await _edits(loaded, ["17000"], date(2026, 5, 4))
        assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 2
    finally:
        event.remove(loaded.sync_engine, "before_cursor_execute", count)


async def test_no_codes_means_no_edits(loaded):
    assert await _edits(loaded, [], date(2026, 5, 4)) == NcciEdits()
