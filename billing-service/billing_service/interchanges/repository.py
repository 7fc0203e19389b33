"""Every query over the 837P interchanges billing wrote, each scoped to a tenant."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.models.claim import PayerJob
from billing_service.models.x12 import X12ControlNumber, X12Interchange
from rcm_shared.db import dialect_insert


class InterchangeRepository:
    def __init__(self, session: AsyncSession, tenant_id: str) -> None:
        self.session = session
        self.tenant_id = tenant_id

    async def of_submission(self, submission_id: str) -> X12Interchange | None:
        return await self.session.scalar(
            select(X12Interchange).where(X12Interchange.tenant_id == self.tenant_id,
                                         X12Interchange.submission_id == submission_id)
        )

    async def of_submissions(self, submission_ids: Sequence[str]) -> dict[str, X12Interchange]:
        """The interchanges already written for these submissions, by submission id."""
        rows = await self.session.scalars(
            select(X12Interchange).where(X12Interchange.tenant_id == self.tenant_id,
                                         X12Interchange.submission_id.in_(submission_ids))
        )
        return {row.submission_id: row for row in rows if row.submission_id is not None}

    async def latest_of_claim(self, claim_id: str) -> X12Interchange | None:
        """The last interchange written for the claim alone (a submission or its export)."""
        return await self.session.scalar(
            select(X12Interchange)
            .where(X12Interchange.tenant_id == self.tenant_id,
                   X12Interchange.claim_id == claim_id)
            .order_by(X12Interchange.id.desc())
            .limit(1)
        )

    async def latest_job(self, claim_id: str) -> PayerJob | None:
        """The claim's last outbox job: what billing last queued for the payer about it."""
        return await self.session.scalar(
            select(PayerJob)
            .where(PayerJob.tenant_id == self.tenant_id, PayerJob.claim_id == claim_id)
            .order_by(PayerJob.id.desc())
            .limit(1)
        )

    async def next_control_number(self, sender_id: str) -> int:
        """The next control number of the tenant's interchanges from `sender_id`."""
        return (await self.next_control_numbers(sender_id, 1))[0]

    async def next_control_numbers(self, sender_id: str, count: int) -> range:
        """The next `count` control numbers of the tenant's interchanges from `sender_id`,
        drawn in one statement. The upsert locks the counter's row until the transaction
        ends: concurrent writers of the same tenant and sender queue on it, and none draws a
        number another drew."""
        insert = dialect_insert(self.session, X12ControlNumber).values(
            tenant_id=self.tenant_id, sender_id=sender_id, last_number=count)
        counter = insert.on_conflict_do_update(
            index_elements=[X12ControlNumber.tenant_id, X12ControlNumber.sender_id],
            set_={"last_number": X12ControlNumber.last_number + count},
        ).returning(X12ControlNumber.last_number)
        last: int = (await self.session.execute(counter)).scalar_one()
        return range(last - count + 1, last + 1)

    def add_submissions(self, sender_id: str, purpose: str,
                        written: Sequence[tuple[str, str, int, str]],
                        created_at: datetime) -> None:
        """Keep each submission's interchange of one claim, (claim id, submission id,
        control number, text), as written at `created_at`; the session's next flush inserts
        them together."""
        self.session.add_all([
            X12Interchange(tenant_id=self.tenant_id, sender_id=sender_id,
                           control_number=number, purpose=purpose, claim_ids=[claim_id],
                           submission_id=submission_id, content=content, claim_id=claim_id,
                           created_at=created_at)
            for claim_id, submission_id, number, content in written
        ])

    async def allocate(self, sender_id: str, purpose: str, claim_ids: list[str],
                       submission_id: str | None) -> X12Interchange:
        """A new interchange row under the next control number of its tenant and sender."""
        number = await self.next_control_number(sender_id)
        interchange = X12Interchange(tenant_id=self.tenant_id, sender_id=sender_id,
                                     control_number=number, purpose=purpose,
                                     claim_ids=claim_ids, submission_id=submission_id,
                                     content="",
                                     claim_id=claim_ids[0] if len(claim_ids) == 1 else None)
        self.session.add(interchange)
        await self.session.flush()
        return interchange
