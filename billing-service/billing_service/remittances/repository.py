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


def _of_tenant(query: Select[T], tenant_id: str | None) -> Select[T]:
    # None: the payer worker, which serves every tenant.
    return query if tenant_id is None else query.where(Claim.tenant_id == tenant_id)


async def claim_by_control_number(
    session: AsyncSession, pcn: str, tenant_id: str | None = None, *, payer_id: str | None = None
) -> Claim | None:
    query = _of_tenant(select(Claim).where(Claim.patient_control_number == pcn), tenant_id)
    if payer_id is not None:
        query = query.where(Claim.payer_id == payer_id)
    return await session.scalar(
        query.with_for_update().execution_options(populate_existing=True)
    )


async def crossed_over_claim(
    session: AsyncSession, pcn: str, payer_id: str, tenant_id: str | None = None
) -> Claim | None:
    """The claim to `payer_id` that the claim with patient control number `pcn` was crossed
    over to: the next payer answers under the number of the claim its payer forwarded."""
    forwarded = _of_tenant(select(Claim.id).where(Claim.patient_control_number == pcn),
                           tenant_id).scalar_subquery()
    query = _of_tenant(
        select(Claim).where(Claim.prior_claim_id == forwarded, Claim.payer_id == payer_id),
        tenant_id,
    )
    return await session.scalar(
        query.order_by(Claim.created_at).limit(1).with_for_update()
        .execution_options(populate_existing=True)
    )


async def claims_by_payer_number(
    session: AsyncSession, pccn: str, payer_id: str, tenant_id: str | None = None
) -> list[Claim]:
    query = _of_tenant(
        select(Claim).where(Claim.payer_claim_control_number == pccn, Claim.payer_id == payer_id),
        tenant_id,
    )
    return list(await session.scalars(
        query.order_by(Claim.created_at).with_for_update()
        .execution_options(populate_existing=True)
    ))


async def posting_exists(session: AsyncSession, claim_id: str, trace_number: str) -> bool:
    found = await session.scalar(
        select(RemittancePosting.id).where(RemittancePosting.claim_id == claim_id,
                                           RemittancePosting.trace_number == trace_number)
    )
    return found is not None
