"""The loader reads the CMS layouts and replaces the previous data of its kind atomically."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coding_service.models.ncci import NcciLoad, NcciMueEdit, NcciPtpEdit
from coding_service.ncci.loader import NcciFileError, kind_of, load_mue, load_ptp

GOOD_PTP = [
    "93000\t93010\t*\t19960101\t*\t0\tMisuse of column two code with column one code",
    "97530\t97140\t\t20200101\t*\t1\tMutually exclusive procedures",
    "93653\t93623\t\t20130101\t20130101\t9\tMisuse of column two code with column one code",
]
GOOD_MUE = [
    '"17000","1","2 Date of Service Edit: Policy","Code Descriptor / CPT Instruction"',
    "95004,80,1 Line Edit,Clinical: Data",
    '95165,30,3 Date of Service Edit: Clinical,"Clinical: Data, Literature"',
]


async def _ptp_rows(engine) -> list[tuple]:
    async with engine.connect() as connection:
        result = await connection.execute(
            select(
                NcciPtpEdit.column1, NcciPtpEdit.column2, NcciPtpEdit.effective_date,
                NcciPtpEdit.deletion_date, NcciPtpEdit.modifier_indicator,
                NcciPtpEdit.rationale, NcciPtpEdit.quarter,
            ).order_by(NcciPtpEdit.column1)
        )
        return [tuple(row) for row in result]


async def _mue_rows(engine) -> list[tuple]:
    async with engine.connect() as connection:
        result = await connection.execute(
            select(
                NcciMueEdit.code, NcciMueEdit.mue_value, NcciMueEdit.adjudication_indicator,
                NcciMueEdit.rationale, NcciMueEdit.quarter,
            ).order_by(NcciMueEdit.code)
        )
        return [tuple(row) for row in result]


async def test_a_ptp_file_in_the_cms_layout_is_loaded(engine, ptp_file):
    result = await load_ptp(engine, ptp_file(*GOOD_PTP), quarter="2026Q2")
    assert (result.kind, result.quarter, result.row_count) == ("ptp", "2026Q2", 3)
    assert await _ptp_rows(engine) == [
        ("93000", "93010", date(1996, 1, 1), None, "0",
         "Misuse of column two code with column one code", "2026Q2"),
        ("93653", "93623", date(2013, 1, 1), date(2013, 1, 1), "9",
         "Misuse of column two code with column one code", "2026Q2"),
        ("97530", "97140", date(2020, 1, 1), None, "1", "Mutually exclusive procedures",
         "2026Q2"),
    ]


async def test_the_ptp_files_of_a_quarter_load_together(engine, ptp_file):
    first = ptp_file(GOOD_PTP[0], name="ccipra-v320r0-f1.txt")
    second = ptp_file(*GOOD_PTP[1:], name="ccipra-v320r0-f2.txt")
    result = await load_ptp(engine, first, second)
    assert result.row_count == 3
    assert result.quarter == "ccipra-v320r0-f1"
    assert result.sources == ("ccipra-v320r0-f1.txt", "ccipra-v320r0-f2.txt")
    assert len(await _ptp_rows(engine)) == 3


async def test_a_mue_file_in_the_cms_layout_is_loaded(engine, mue_file):
    result = await load_mue(engine, mue_file(*GOOD_MUE), quarter="2026Q2")
    assert (result.kind, result.row_count) == ("mue", 3)
    assert await _mue_rows(engine) == [
        ("17000", 1, 2, "Code Descriptor / CPT Instruction", "2026Q2"),
        ("95004", 80, 1, "Clinical: Data", "2026Q2"),
        ("95165", 30, 3, "Clinical: Data, Literature", "2026Q2"),
    ]


async def test_each_load_is_recorded(engine, ptp_file, mue_file):
    await load_ptp(engine, ptp_file(*GOOD_PTP), quarter="2026Q3")
    await load_mue(engine, mue_file(*GOOD_MUE), quarter="2026Q3")
    async with engine.connect() as connection:
        latest = (await connection.execute(
            select(NcciLoad.kind, NcciLoad.quarter, NcciLoad.row_count, NcciLoad.source)
            .order_by(NcciLoad.id.desc()).limit(2)
        )).all()
    assert [tuple(row) for row in latest] == [
        ("mue", "2026Q3", 3, "MCR_MUE_PractitionerServices_Eff_2026-04-01.csv"),
        ("ptp", "2026Q3", 3, "ccipra-v320r0-f1.txt"),
    ]


async def test_a_new_load_replaces_the_previous_one(engine, ptp_file, mue_file):
    await load_ptp(engine, ptp_file(*GOOD_PTP), quarter="2026Q2")
    await load_ptp(engine, ptp_file(GOOD_PTP[1]), quarter="2026Q3")
    assert [(r[0], r[6]) for r in await _ptp_rows(engine)] == [("97530", "2026Q3")]
    await load_mue(engine, mue_file(*GOOD_MUE), quarter="2026Q2")
    await load_mue(engine, mue_file("17000,2,3 Date of Service Edit: Clinical,Clinical: Data"))
    assert [r[:3] for r in await _mue_rows(engine)] == [("17000", 2, 3)]


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        ("97530\t97140\t\t2020010\t*\t1\tMutually exclusive procedures", "YYYYMMDD"),
        ("97530\t97140\t\t20201301\t*\t1\tMutually exclusive procedures", "YYYYMMDD"),
        ("97530\t97140\t\t20200101\t*\t2\tMutually exclusive procedures", "not 0, 1 or 9"),
        ("97530\t97140\t\t20200101\tnone\t1\tMutually exclusive procedures", "Deletion Date"),
        ("97530\t97140\t\t20200101\t20190101\t1\tMutually exclusive", "before the Effective"),
        ("97530 97140 20200101 * 1", "tab-separated"),
        ("9753\t97140\t\t20200101\t*\t1\tMutually exclusive procedures", "5-character"),
        ("97530\t97140\tX\t20200101\t*\t1\tMutually exclusive procedures", "prior to 1996"),
    ],
)
async def test_a_bad_ptp_line_rolls_the_whole_load_back(engine, ptp_file, bad_row, reason):
    await load_ptp(engine, ptp_file(*GOOD_PTP), quarter="kept")
    before = await _ptp_rows(engine)
    bad = ptp_file(GOOD_PTP[0], GOOD_PTP[1], bad_row, name="bad.txt")
    with pytest.raises(NcciFileError) as raised:
        await load_ptp(engine, bad, quarter="lost")
    assert raised.value.line_number == 7  # 4 heading lines, 2 good rows, then the bad one
    assert reason in raised.value.reason
    assert str(raised.value).startswith("bad.txt, line 7: ")
    assert await _ptp_rows(engine) == before


async def test_a_bad_second_file_rolls_back_the_first(engine, ptp_file):
    await load_ptp(engine, ptp_file(*GOOD_PTP), quarter="kept")
    good = ptp_file(GOOD_PTP[1], name="f1.txt")
    bad = ptp_file("97530\t97140\t\t20200101\t*\t7\tx", name="f2.txt")
    with pytest.raises(NcciFileError, match="f2.txt, line 5"):
        await load_ptp(engine, good, bad, quarter="lost")
    assert {row[6] for row in await _ptp_rows(engine)} == {"kept"}


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        ("95004,eighty,1 Line Edit,Clinical: Data", "whole number"),
        ("95004,-1,1 Line Edit,Clinical: Data", "whole number"),
        ("95004,80,4 Line Edit,Clinical: Data", "adjudication indicator"),
        ("95004,80,Line Edit,Clinical: Data", "adjudication indicator"),
        ("95004,80", "columns"),
        ("17000,1,2 Date of Service Edit: Policy,Code Descriptor", "first on line 4"),
    ],
)
async def test_a_bad_mue_line_rolls_the_whole_load_back(engine, mue_file, bad_row, reason):
    await load_mue(engine, mue_file(*GOOD_MUE), quarter="kept")
    before = await _mue_rows(engine)
    with pytest.raises(NcciFileError) as raised:
        await load_mue(engine, mue_file(GOOD_MUE[0], bad_row, name="bad.csv"))
    assert raised.value.line_number == 5  # 3 heading lines, 1 good row, then the bad one
    assert reason in raised.value.reason
    assert await _mue_rows(engine) == before


async def test_a_file_without_edits_is_refused_and_keeps_the_data(engine, ptp_file, mue_file):
    await load_ptp(engine, ptp_file(*GOOD_PTP), quarter="kept")
    await load_mue(engine, mue_file(*GOOD_MUE), quarter="kept")
    with pytest.raises(NcciFileError, match="no PTP edit found"):
        await load_ptp(engine, ptp_file())
    with pytest.raises(NcciFileError, match="no MUE value found"):
        await load_mue(engine, mue_file())
    # The MUE file handed to the PTP loader: its lines are not tab-separated.
    with pytest.raises(NcciFileError, match="tab-separated"):
        await load_ptp(engine, mue_file(*GOOD_MUE))
    assert {row[6] for row in await _ptp_rows(engine)} == {"kept"}
    assert {row[4] for row in await _mue_rows(engine)} == {"kept"}


async def test_a_load_inside_a_session_rolls_back_to_its_savepoint(engine, ptp_file):
    await load_ptp(engine, ptp_file(*GOOD_PTP), quarter="kept")
    async with AsyncSession(engine) as session:
        with pytest.raises(NcciFileError):
            await load_ptp(session, ptp_file("97530\t97140\t\tsoon\t*\t1\tx"), quarter="lost")
        # The session is still usable, and sees the data as it was.
        count = await session.scalar(select(func.count()).select_from(NcciPtpEdit))
        assert count == 3
        result = await load_ptp(session, ptp_file(GOOD_PTP[0]), quarter="in-session")
        await session.commit()
    assert result.row_count == 1
    assert [(r[0], r[6]) for r in await _ptp_rows(engine)] == [("93000", "in-session")]


def test_the_kind_of_a_file_is_told_by_its_first_edit_line(ptp_file, mue_file):
    assert kind_of(ptp_file(*GOOD_PTP)) == "ptp"
    assert kind_of(mue_file(*GOOD_MUE)) == "mue"
    with pytest.raises(NcciFileError, match="no edit found"):
        kind_of(mue_file())
