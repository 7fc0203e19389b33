"""The migration ships the sample edits, so a fresh install checks NCCI edits at once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coding_service.models.ncci import NcciLoad
from coding_service.ncci.loader import SAMPLE_MUE, SAMPLE_PTP, read_mue_rows, read_ptp_rows
from coding_service.ncci.repository import NcciRepository
from coding_service.validation.engine import MueEdit, PtpEdit


def test_the_sample_files_are_in_the_cms_layouts():
    ptp = list(read_ptp_rows(SAMPLE_PTP))
    mue = list(read_mue_rows(SAMPLE_MUE))
    assert len(ptp) == 8 and len(mue) == 11
    assert {row["modifier_indicator"] for row in ptp} == {"0", "1", "9"}
    assert {row["adjudication_indicator"] for row in mue} == {1, 2, 3}


async def test_the_migration_loads_the_sample(pristine_engine):
    async with AsyncSession(pristine_engine) as session:
        edits = await NcciRepository(session).edits_for(["93000", "93010", "17000"],
                                                        date(2026, 5, 4))
        loads = (await session.execute(
            select(NcciLoad.kind, NcciLoad.quarter, NcciLoad.row_count).order_by(NcciLoad.kind)
        )).all()
    assert edits.ptp == (
        PtpEdit("93000", "93010", "0", "Misuse of column two code with column one code"),
    )
    assert edits.mue["17000"] == MueEdit("17000", 1, 2, "Code Descriptor / CPT Instruction")
    assert [tuple(row) for row in loads] == [
        ("aoc", "sample", 27), ("mue", "sample", 11), ("ptp", "sample", 8)
    ]


async def test_a_sample_edit_deleted_on_its_effective_date_never_applies(pristine_engine):
    # 97161/97530 is in the sample with effective and deletion dates both 2020-01-01.
    async with AsyncSession(pristine_engine) as session:
        edits = await NcciRepository(session).edits_for(["97161", "97530", "97140"],
                                                        date(2020, 1, 1))
    assert edits.ptp == (PtpEdit("97530", "97140", "1", "Mutually exclusive procedures"),)
