"""/v1/patients/{patient_id}/statement: what the patient owes and why."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from billing_service.dependencies import Adapter, Reader, Session, audit_trail
from billing_service.patients import service
from billing_service.patients.schemas import StatementOut
from rcm_shared.routing import TransactionalRoute

router = APIRouter(
    prefix="/v1/patients", tags=["patients"], route_class=TransactionalRoute,
    dependencies=[Depends(audit_trail.dependency("statement", "patient_id"))],
)


@router.get(
    "/{patient_id}/statement", response_model=StatementOut,
    summary="What the patient owes and why, claim by claim, in plain words",
)
async def patient_statement(
    patient_id: Annotated[str, Path(max_length=64)],
    principal: Reader,
    session: Session,
    adapter: Adapter,
) -> StatementOut:
    return await service.statement(session, adapter, principal.tenant_id, patient_id)
