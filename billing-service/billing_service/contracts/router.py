"""/v1/payers/{payer_id}/contract: the clinic's contracted allowed amounts with a payer."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Response, status

from billing_service.contracts.examples import DELETE_CONTRACT, GET_CONTRACT, PUT_CONTRACT
from billing_service.contracts.rates import MAX_RATES
from billing_service.contracts.schemas import ContractOut
from billing_service.contracts.service import CSV, JSON, MAX_BYTES
from billing_service.dependencies import (
    ContractReader,
    ContractWriter,
    Idempotent,
    audit_trail,
)
from billing_service.openapi import problem
from rcm_shared.audit import AuditRecord
from rcm_shared.ids import ResourceId
from rcm_shared.openapi import examples
from rcm_shared.routing import api_router

router = api_router("/v1/payers", "payer contracts")
Audit = Annotated[AuditRecord, Depends(audit_trail.recorder("payer_contract"))]
CSV_EXAMPLE = "procedure_code,modifier,allowed\n99213,,130.00\n99214,,185.00\n99214,25,175.00\n"


@router.put(
    "/{payer_id}/contract", response_model=ContractOut,
    summary="Load the contracted allowed amounts with a payer (JSON or CSV)",
    description="Replaces the tenant's contract with the payer by the rates sent: as "
    "application/json `{\"rates\": [{\"procedure_code\", \"modifier\", \"allowed\"}]}` or as "
    "text/csv under the header `procedure_code,modifier,allowed`, one row per code and "
    "modifier. `allowed` is the amount per unit, more than 0.00 with at most two decimal "
    "places; an empty modifier is the code's own rate, which prices the code under any "
    "modifier the contract does not list, or none; a modifier's row wins over it. From then "
    "on each remittance posted for the payer compares every line it allowed with the "
    "contract: allowed below the rate times the line's units makes the line underpaid by the "
    "difference (the claim's remittance shows it, the worklist lists the claim). Postings "
    "made before keep what was found then. Every row is checked before anything is kept: "
    "422 names each row refused (its JSON path, or its CSV line) and the rule it breaks "
    f"(code format, modifier format, amount, a code and modifier given twice, at most "
    f"{MAX_RATES} rows); 413 beyond {MAX_BYTES} bytes; 404 for a payer GET /v1/payers does "
    "not list.",
    openapi_extra={"requestBody": {"required": True, "content": {
        JSON: {"schema": {"$ref": "#/components/schemas/ContractIn"}},
        CSV: {"schema": {"type": "string", "description": "procedure_code,modifier,allowed "
                                                          "then one row per rate"},
              "example": CSV_EXAMPLE},
    }}, **examples(*PUT_CONTRACT)},
    responses={415: problem("The body is not sent as application/json or text/csv")},
)
async def put_contract(payer_id: ResourceId, request: Request, contracts: ContractWriter,
                       idempotency: Idempotent, audit: Audit) -> ContractOut:
    # Any id is taken here: the body is checked before the payer is looked for, as other
    # routes check a body before the resource it names.
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    rows = await contracts.replace(payer_id, media_type, await request.body())
    audit("replace", payer_id)
    return ContractOut.of(payer_id, rows)


@router.get("/{payer_id}/contract", response_model=ContractOut,
            summary="The contracted allowed amounts with a payer",
            openapi_extra=examples(*GET_CONTRACT))
async def get_contract(payer_id: ResourceId, contracts: ContractReader,
                       audit: Audit) -> ContractOut:
    """The tenant's contract with the payer as last loaded, each rate by code. 404 when none
    is loaded (or the payer is unknown)."""
    audit("read", payer_id)
    return ContractOut.of(payer_id, await contracts.get(payer_id))


@router.delete("/{payer_id}/contract", status_code=status.HTTP_204_NO_CONTENT,
               summary="Remove the contract with a payer",
               openapi_extra=examples(*DELETE_CONTRACT))
async def delete_contract(payer_id: ResourceId, contracts: ContractWriter,
                          audit: Audit) -> Response:
    """The payer's remittances are no longer compared with a contract from now on; what
    earlier postings found stays. 404 when none is loaded."""
    await contracts.remove(payer_id)
    audit("delete", payer_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
