"""/v1/patients/{patient_id}/statement: what the patient owes and why."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from billing_service.dependencies import Patients, audit_trail
from billing_service.patients.examples import STATEMENT
from billing_service.patients.schemas import StatementOut
from rcm_shared.audit import AuditRecord
from rcm_shared.ids import PatientId
from rcm_shared.openapi import examples
from rcm_shared.routing import api_router

router = api_router("/v1/patients", "patients")
Audit = Annotated[AuditRecord, Depends(audit_trail.recorder("statement"))]


@router.get(
    "/{patient_id}/statement", response_model=StatementOut,
    summary="What the patient owes and why, claim by claim, in plain words",
    openapi_extra=examples(*STATEMENT),
)
async def patient_statement(patient_id: PatientId, patients: Patients,
                            audit: Audit) -> StatementOut:
    """What the patient owes, claim by claim: charges, what insurance paid, and the patient's part
    in plain words (deductible, copay, coinsurance, not covered), with the total due."""
    audit("read", patient_id)
    return await patients.statement(patient_id)
