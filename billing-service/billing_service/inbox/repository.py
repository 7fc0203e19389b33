"""Every query over the payer files kept. The files are not a tenant's: the payer answers
every tenant through one mailbox, and applying a file touches whichever claims it names."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.models.claim import PayerJob
from billing_service.models.x12 import PayerFile

# A kept file's status: to apply, applied, or failed (never applied: last_error says why).
RECEIVED = "received"
APPLIED = "applied"
FAILED = "failed"


class PayerFileRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def keep(self, sha256: str, content: str) -> None:
        """The file, once: a file delivered again (the same hash) is already kept."""
        if await self.session.scalar(
                select(PayerFile.id).where(PayerFile.sha256 == sha256)) is not None:
            return
        try:
            async with self.session.begin_nested():
                self.session.add(PayerFile(sha256=sha256, content=content, status=RECEIVED,
                                           attempts=0, results=[]))
        except IntegrityError:
            # Kept meanwhile by another replica that was handed the same file.
            return

    async def due(self, now: datetime, limit: int) -> list[int]:
        """Ids of the files to apply now, oldest first."""
        return list(await self.session.scalars(
            select(PayerFile.id)
            .where(PayerFile.status == RECEIVED, PayerFile.next_attempt_at <= now)
            .order_by(PayerFile.id)
            .limit(limit)
        ))

    async def lock_due(self, file_id: int, now: datetime) -> PayerFile | None:
        """The file, locked, if it is still to apply now; None when it was applied meanwhile
        or another replica holds it (SKIP LOCKED on PostgreSQL; SQLite's writers queue)."""
        return await self.session.scalar(
            select(PayerFile)
            .where(PayerFile.id == file_id, PayerFile.status == RECEIVED,
                   PayerFile.next_attempt_at <= now)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )

    async def lock(self, file_id: int) -> PayerFile | None:
        return await self.session.get(PayerFile, file_id, with_for_update=True,
                                      populate_existing=True)

    async def not_applied(self) -> list[PayerFile]:
        """Files failed, or waiting to be applied again, oldest first."""
        return list(await self.session.scalars(
            select(PayerFile).where(PayerFile.status != APPLIED).order_by(PayerFile.id)
        ))

    async def jobs_by_submission(self, submission_ids: Sequence[str]) -> dict[str, PayerJob]:
        return {job.submission_id: job for job in await self.session.scalars(
            select(PayerJob).where(PayerJob.submission_id.in_(set(submission_ids))))}

    async def job_by_submission(self, submission_id: str) -> PayerJob | None:
        return await self.session.scalar(
            select(PayerJob).where(PayerJob.submission_id == submission_id))
