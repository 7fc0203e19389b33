"""The payer directory, as the payer adapter reports it."""

from __future__ import annotations

from billing_service.payers.adapter import PayerAdapter, PayerInfo
from rcm_shared.problems import not_found


async def list_payers(adapter: PayerAdapter) -> list[PayerInfo]:
    return sorted(await adapter.payers(), key=lambda payer: payer.payer_id)


async def get_payer(adapter: PayerAdapter, payer_id: str) -> PayerInfo:
    for payer in await adapter.payers():
        if payer.payer_id == payer_id:
            return payer
    raise not_found("payer")
