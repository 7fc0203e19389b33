"""Queries on the NCCI reference tables (shared by all tenants, so not tenant-scoped)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from coding_service.models.ncci import NcciMueEdit, NcciPtpEdit
from coding_service.validation.model import MueEdit, NcciEdits, PtpEdit


async def edits_for(
    session: AsyncSession, procedure_codes: Iterable[str], date_of_service: date
) -> NcciEdits:
    """The PTP pairs among the codes in effect on the date, and the codes' MUE values.

    An edit is in effect from its effective date up to, not including, its deletion date.
    """
    codes = sorted({code.strip().upper() for code in procedure_codes if code.strip()})
    if not codes:
        return NcciEdits()

    ptp: tuple[PtpEdit, ...] = ()
    if len(codes) > 1:
        pairs = await session.execute(
            select(
                NcciPtpEdit.column1,
                NcciPtpEdit.column2,
                NcciPtpEdit.modifier_indicator,
                NcciPtpEdit.rationale,
            )
            .where(
                NcciPtpEdit.column1.in_(codes),
                NcciPtpEdit.column2.in_(codes),
                NcciPtpEdit.effective_date <= date_of_service,
                or_(
                    NcciPtpEdit.deletion_date.is_(None),
                    NcciPtpEdit.deletion_date > date_of_service,
                ),
            )
            .order_by(NcciPtpEdit.column1, NcciPtpEdit.column2, NcciPtpEdit.effective_date)
        )
        ptp = tuple(PtpEdit(*row) for row in pairs)

    values = await session.execute(
        select(
            NcciMueEdit.code,
            NcciMueEdit.mue_value,
            NcciMueEdit.adjudication_indicator,
            NcciMueEdit.rationale,
        ).where(NcciMueEdit.code.in_(codes))
    )
    mue = {row.code: MueEdit(*row) for row in values}
    return NcciEdits(ptp=ptp, mue=mue)
