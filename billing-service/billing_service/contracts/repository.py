"""Every query over the tenant's payer contracts and the postings compared with them, each
scoped to one tenant."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.contracts.rates import Rate
from billing_service.contracts.underpayment import Rates
from billing_service.models.claim import RemittancePosting
from billing_service.models.contract import ANY_MODIFIER, PayerContractRate


class ContractRepository:
    def __init__(self, session: AsyncSession, tenant_id: str) -> None:
        self.session = session
        self.tenant_id = tenant_id

    async def rows(self, payer_id: str) -> list[PayerContractRate]:
        """The contract's rows by code, the code's own row before its modifiers'."""
        return list(await self.session.scalars(
            select(PayerContractRate)
            .where(PayerContractRate.tenant_id == self.tenant_id,
                   PayerContractRate.payer_id == payer_id)
            .order_by(PayerContractRate.procedure_code, PayerContractRate.modifier)))

    async def rates(self, payer_id: str) -> Rates:
        return {(row.procedure_code, row.modifier or None): row.allowed
                for row in await self.rows(payer_id)}

    async def replace(self, payer_id: str, rates: Sequence[Rate], *, loaded_by: str,
                      loaded_at: datetime) -> None:
        """The contract with `payer_id` becomes `rates`, whatever it was."""
        await self.remove(payer_id)
        self.session.add_all(PayerContractRate(
            tenant_id=self.tenant_id, payer_id=payer_id, procedure_code=rate.procedure_code,
            modifier=rate.modifier or ANY_MODIFIER, allowed=rate.allowed, loaded_by=loaded_by,
            loaded_at=loaded_at) for rate in rates)
        await self.session.flush()

    async def remove(self, payer_id: str) -> int:
        """Deletes the contract; how many rates it had."""
        result = await self.session.execute(
            delete(PayerContractRate)
            .where(PayerContractRate.tenant_id == self.tenant_id,
                   PayerContractRate.payer_id == payer_id)
            .execution_options(synchronize_session=False))
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def payment_reversed(self, claim_id: str,
                               payer_claim_control_number: str) -> RemittancePosting | None:
        """The latest payment posted to the claim under that payer claim number: what a
        reversal of it takes back."""
        return await self.session.scalar(
            select(RemittancePosting)
            .where(RemittancePosting.tenant_id == self.tenant_id,
                   RemittancePosting.claim_id == claim_id,
                   RemittancePosting.payer_claim_control_number == payer_claim_control_number,
                   RemittancePosting.status != "reversed")
            .order_by(RemittancePosting.id.desc()).limit(1))
