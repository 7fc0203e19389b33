"""The mock payer inside billing's process (PAYER_ADAPTER=inprocess, the default of `make
run`): billing's PayerAdapter over a MockPayer on the mock payer's own database, the same
payer `mockpayer serve` puts behind HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from billing_service.payers.adapter import (
    AppealDecision,
    AppealRequest,
    EstimateRequest,
    PayerInfo,
    Remittance,
    ResponseFile,
    SubmissionReceipt,
)
from mockpayer.config import MockPayerConfig
from mockpayer.payer import MockPayer
from rcm_shared.db import create_engine, session_factory

# In process there is one caller, billing itself: its mailbox at the payer.
IN_PROCESS_ACCOUNT = "billing"


class MockPayerAdapter:
    def __init__(self, payer: MockPayer, account: str = IN_PROCESS_ACCOUNT) -> None:
        self._payer = payer
        self._account = account

    async def payers(self) -> list[PayerInfo]:
        return await self._payer.payers()

    async def submit(self, interchange: str) -> SubmissionReceipt:
        return await self._payer.submit(self._account, interchange)

    async def fetch_responses(self) -> list[ResponseFile]:
        return await self._payer.files(self._account)

    async def acknowledge(self, file_ids: Sequence[str]) -> None:
        await self._payer.acknowledge(self._account, file_ids)

    async def check_eligibility(self, inquiry: str) -> str:
        return await self._payer.check_eligibility(self._account, inquiry)

    async def claim_status(self, inquiry: str) -> str:
        return await self._payer.claim_status(self._account, inquiry)

    async def estimate(self, request: EstimateRequest) -> Remittance:
        return await self._payer.estimate(request)

    async def appeal(self, request: AppealRequest) -> str:
        return await self._payer.appeal(self._account, request)

    async def appeal_decision(self, reference: str) -> AppealDecision | None:
        return await self._payer.appeal_decision(self._account, reference)


@asynccontextmanager
async def in_process_payer(
    database_url: str, config: MockPayerConfig
) -> AsyncIterator[MockPayerAdapter]:
    """The adapter over the mock payer's database (migrated by `billing-service migrate`),
    its connections closed on the way out."""
    engine = create_engine(database_url)
    try:
        yield MockPayerAdapter(MockPayer(session_factory(engine), config))
    finally:
        await engine.dispose()
