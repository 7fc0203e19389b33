"""The payer directory, as the payer adapter reports it, and the problems answered when a
payer does not answer or answers what cannot be read."""

from __future__ import annotations

from billing_service.payers.adapter import PayerAdapter, PayerInfo, PlanInfo
from rcm_shared.problems import ProblemError, not_found

# How long a caller told the payer is unavailable waits before asking again.
PAYER_RETRY_AFTER_SECONDS = 5


def payer_unavailable(exc: Exception) -> ProblemError:
    return ProblemError(503, "Payer unavailable", f"The payer did not answer: {exc}",
                        type_="payer-unavailable",
                        headers={"Retry-After": str(PAYER_RETRY_AFTER_SECONDS)})


def payer_answer_unreadable(exc: Exception, kind: str) -> ProblemError:
    return ProblemError(502, "Unreadable payer answer",
                        f"The payer's {kind} could not be read: {exc}", type_="payer-answer")


def plan_of(payer: PayerInfo, plan_code: str | None) -> PlanInfo | None:
    """A coverage's plan; without a plan code, the payer's default (its first) plan."""
    if plan_code is None:
        return payer.plans[0] if payer.plans else None
    return next((plan for plan in payer.plans if plan.code == plan_code), None)


class PayerService:
    def __init__(self, adapter: PayerAdapter) -> None:
        self.adapter = adapter

    async def list(self) -> list[PayerInfo]:
        return sorted(await self.adapter.payers(), key=lambda payer: payer.payer_id)

    async def find(self, payer_id: str) -> PayerInfo | None:
        return next((p for p in await self.adapter.payers() if p.payer_id == payer_id), None)

    async def get(self, payer_id: str) -> PayerInfo:
        payer = await self.find(payer_id)
        if payer is None:
            raise not_found("payer")
        return payer

    async def names(self) -> dict[str, str]:
        """NM103 of each payer loop (2010BB) of an 837P."""
        return {payer.payer_id: payer.name for payer in await self.adapter.payers()}

    async def plan(self, payer_id: str, plan_code: str | None) -> PlanInfo | None:
        """The plan a coverage names; None when the payer or the plan is unknown."""
        payer = await self.find(payer_id)
        return plan_of(payer, plan_code) if payer is not None else None
