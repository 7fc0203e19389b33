"""Every query over the 837P interchanges billing wrote."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.models.x12 import X12Interchange


async def of_submission(
    session: AsyncSession, tenant_id: str, submission_id: str
) -> X12Interchange | None:
    return await session.scalar(
        select(X12Interchange).where(X12Interchange.tenant_id == tenant_id,
                                     X12Interchange.submission_id == submission_id)
    )


async def allocate(
    session: AsyncSession,
    tenant_id: str,
    purpose: str,
    claim_ids: list[str],
    submission_id: str | None,
) -> X12Interchange:
    """A new interchange row: the database assigns its control number."""
    interchange = X12Interchange(tenant_id=tenant_id, purpose=purpose, claim_ids=claim_ids,
                                 submission_id=submission_id, content="")
    session.add(interchange)
    await session.flush()
    return interchange
