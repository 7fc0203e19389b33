"""/v1/payers: the payers claims can be sent to, with their plans' cost sharing."""

from __future__ import annotations

from fastapi import APIRouter

from billing_service.dependencies import Payers, Reader
from billing_service.payers.examples import GET_PAYER, LIST_PAYERS
from billing_service.payers.schemas import PayerId, PayerList, PayerOut
from rcm_shared.openapi import examples

router = APIRouter(prefix="/v1/payers", tags=["payers"])


@router.get("", response_model=PayerList, summary="List payers and their plans",
            openapi_extra=examples(*LIST_PAYERS))
async def list_payers(principal: Reader, payers: Payers) -> PayerList:
    """The payers claims can be sent to, each with its plans (copay, coinsurance, deductible) and
    what it needs on a claim."""
    return PayerList(items=[PayerOut.of(payer) for payer in await payers.list()])


@router.get("/{payer_id}", response_model=PayerOut, summary="One payer and its plans",
            openapi_extra=examples(*GET_PAYER))
async def get_payer(
    principal: Reader,
    payers: Payers,
    payer_id: PayerId,
) -> PayerOut:
    """One payer with its plans. 404 for a payer id that is not configured."""
    return PayerOut.of(await payers.get(payer_id))
