"""Every query over the 835 files received."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.models.x12 import RemittanceFile


async def by_hash(session: AsyncSession, scope: str, sha256: str) -> RemittanceFile | None:
    return await session.scalar(
        select(RemittanceFile).where(RemittanceFile.scope == scope,
                                     RemittanceFile.sha256 == sha256)
    )


async def record(
    session: AsyncSession,
    scope: str,
    sha256: str,
    interchange_control_number: str,
    content: str,
    results: list[dict[str, Any]],
) -> RemittanceFile:
    """The file, once: when the same file was recorded meanwhile, that row."""
    row = RemittanceFile(scope=scope, sha256=sha256, content=content, results=results,
                         interchange_control_number=interchange_control_number[:9])
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        existing = await by_hash(session, scope, sha256)
        if existing is None:
            raise
        return existing
    return row
