"""Every query over the 835 files received and the claims their payments are posted to.
Payments are matched by the patient control number (unique across tenants): an 835 uploaded
by a tenant to that tenant's claims only, one the payer adapter delivered to any tenant's."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.models.claim import Claim, RemittancePosting
from billing_service.models.x12 import RemittanceFile

T = TypeVar("T")


class RemittanceRepository:
    """`tenant_id`: the uploading tenant, whose claims alone are matched; None for the files
    the payer adapter delivers, which answer every tenant (and are kept by the inbox)."""

    def __init__(self, session: AsyncSession, tenant_id: str | None) -> None:
        self.session = session
        self.tenant_id = tenant_id

    @property
    def _scope(self) -> str:
        if self.tenant_id is None:  # pragma: no cover - the payer's files are the inbox's
            raise ValueError("only an upload is kept here, under its tenant")
        return f"tenant:{self.tenant_id}"

    async def file_by_hash(self, sha256: str) -> RemittanceFile | None:
        return await self.session.scalar(
            select(RemittanceFile).where(RemittanceFile.scope == self._scope,
                                         RemittanceFile.sha256 == sha256)
        )

    async def record_file(self, sha256: str, interchange_control_number: str, content: str,
                          results: list[dict[str, Any]]) -> RemittanceFile:
        """The file, once: when the same file was recorded meanwhile, that row."""
        row = RemittanceFile(scope=self._scope, sha256=sha256, content=content,
                             results=results,
                             interchange_control_number=interchange_control_number[:9])
        try:
            async with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError:
            existing = await self.file_by_hash(sha256)
            if existing is None:
                raise
            return existing
        return row

    def _of_tenant(self, query: Select[T]) -> Select[T]:
        return query if self.tenant_id is None else query.where(Claim.tenant_id == self.tenant_id)

    async def claim_by_control_number(self, pcn: str, *,
                                      payer_id: str | None = None) -> Claim | None:
        query = self._of_tenant(select(Claim).where(Claim.patient_control_number == pcn))
        if payer_id is not None:
            query = query.where(Claim.payer_id == payer_id)
        return await self.session.scalar(
            query.with_for_update().execution_options(populate_existing=True)
        )

    async def crossed_over_claim(self, pcn: str, payer_id: str) -> Claim | None:
        """The claim to `payer_id` that the claim with patient control number `pcn` was
        crossed over to: the next payer answers under the number of the claim its payer
        forwarded."""
        forwarded = self._of_tenant(
            select(Claim.id).where(Claim.patient_control_number == pcn)).scalar_subquery()
        query = self._of_tenant(select(Claim).where(Claim.prior_claim_id == forwarded,
                                                    Claim.payer_id == payer_id))
        return await self.session.scalar(
            query.order_by(Claim.created_at).limit(1).with_for_update()
            .execution_options(populate_existing=True)
        )

    async def claims_by_payer_number(self, pccn: str, payer_id: str) -> list[Claim]:
        query = self._of_tenant(select(Claim).where(Claim.payer_claim_control_number == pccn,
                                                    Claim.payer_id == payer_id))
        return list(await self.session.scalars(
            query.order_by(Claim.created_at).with_for_update()
            .execution_options(populate_existing=True)
        ))

    async def posting_exists(self, claim_id: str, trace_number: str) -> bool:
        found = await self.session.scalar(
            select(RemittancePosting.id).where(RemittancePosting.claim_id == claim_id,
                                               RemittancePosting.trace_number == trace_number)
        )
        return found is not None
