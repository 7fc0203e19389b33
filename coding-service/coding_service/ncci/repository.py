"""Queries on the NCCI reference tables (shared by all tenants, so not tenant-scoped)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coding_service.models.ncci import NcciAddonEdit, NcciLoad, NcciMueEdit, NcciPtpEdit
from coding_service.ncci.edits import (
    CodeSetEdits,
    DatedAddonEdit,
    DatedPtpEdit,
    MueEdit,
    NcciEdits,
    code_set,
)


class NcciRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def edits_for(self, procedure_codes: Iterable[str], date_of_service: date) -> NcciEdits:
        """The PTP pairs among the codes in effect on the date, and the codes' MUE values.

        An edit is in effect from its effective date up to, not including, its deletion date.
        """
        return (await self.edits_among(code_set(procedure_codes))).on(date_of_service)

    async def edits_among(self, codes: frozenset[str]) -> CodeSetEdits:
        """Every PTP edit between two of the codes, whatever its dates, the codes' MUE values and
        the add-on code edits of those that are add-on codes: at most three queries, two when there
        is a single code (it pairs with nothing)."""
        if not codes:
            return CodeSetEdits()
        listed = sorted(codes)
        ptp: tuple[DatedPtpEdit, ...] = ()
        if len(listed) > 1:
            pairs = await self.session.execute(
                select(
                    NcciPtpEdit.column1,
                    NcciPtpEdit.column2,
                    NcciPtpEdit.effective_date,
                    NcciPtpEdit.deletion_date,
                    NcciPtpEdit.modifier_indicator,
                    NcciPtpEdit.rationale,
                )
                .where(NcciPtpEdit.column1.in_(listed), NcciPtpEdit.column2.in_(listed))
                .order_by(NcciPtpEdit.column1, NcciPtpEdit.column2, NcciPtpEdit.effective_date)
            )
            ptp = tuple(DatedPtpEdit(*row) for row in pairs)
        values = await self.session.execute(
            select(
                NcciMueEdit.code,
                NcciMueEdit.mue_value,
                NcciMueEdit.adjudication_indicator,
                NcciMueEdit.rationale,
            ).where(NcciMueEdit.code.in_(listed))
        )
        mue = {row.code: MueEdit(*row) for row in values}
        addon = await self.session.execute(
            select(
                NcciAddonEdit.addon_code,
                NcciAddonEdit.primary_code,
                NcciAddonEdit.edit_type,
                NcciAddonEdit.effective_date,
                NcciAddonEdit.deletion_date,
            )
            .where(NcciAddonEdit.addon_code.in_(listed))
            .order_by(NcciAddonEdit.addon_code, NcciAddonEdit.primary_code)
        )
        return CodeSetEdits(ptp=ptp, mue=mue, addon=tuple(DatedAddonEdit(*row) for row in addon))

    async def latest_load(self) -> int | None:
        """The id of the newest load record: it changes whenever edits are loaded."""
        return await self.session.scalar(select(func.max(NcciLoad.id)))
