"""FHIR R4 reads for EHRs and payers' apps: a claim as a Claim, its adjudication as an
ExplanationOfBenefit, a coverage as a Coverage (application/fhir+json; problems as
OperationOutcome, with the JSON API's status codes, keys and scopes)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from billing_service.dependencies import FhirClaims, FhirCoverages, audit_trail
from billing_service.fhir.examples import (
    READ_EXPLANATION_OF_BENEFIT,
    READ_FHIR_CLAIM,
    READ_FHIR_COVERAGE,
)
from rcm_shared.audit import AuditRecord
from rcm_shared.fhir import (
    VERSION_HEADERS,
    FhirResponse,
    fhir_content,
    fhir_etag,
    metadata_router,
)
from rcm_shared.ids import ResourceId
from rcm_shared.openapi import examples
from rcm_shared.routing import api_router

router = api_router("/fhir/R4", "fhir")
metadata = metadata_router("billing-service", {
    "Claim": ["read"], "ExplanationOfBenefit": ["read"], "Coverage": ["read"]})

ClaimAudit = Annotated[AuditRecord, Depends(audit_trail.recorder("claim"))]
CoverageAudit = Annotated[AuditRecord, Depends(audit_trail.recorder("coverage"))]


def _versioned(resource: dict[str, object], version: int) -> FhirResponse:
    return FhirResponse(resource, headers={"ETag": fhir_etag(version)})


@router.get("/Claim/{claim_id}", response_class=FhirResponse,
            summary="A claim as a FHIR Claim",
            responses={200: {"content": fhir_content("Claim", "FHIR R4 Claim (professional)"),
                             "headers": VERSION_HEADERS}},
            openapi_extra=examples(*READ_FHIR_CLAIM))
async def read_fhir_claim(claim_id: ResourceId, fhir: FhirClaims,
                          audit: ClaimAudit) -> FhirResponse:
    """The claim as a FHIR R4 professional Claim: patient (contained), billing and rendering
    NPIs, ICD-10-CM diagnoses, lines (CPT/HCPCS with modifiers, units, charge, diagnosis
    sequences, place of service) and total; the claim's own status (ready, submitted, paid...)
    in an extension; its coverage as `Coverage/{id}`."""
    audit("read", claim_id)
    version, resource = await fhir.claim(claim_id)
    return _versioned(resource, version)


@router.get("/ExplanationOfBenefit/{claim_id}", response_class=FhirResponse,
            summary="A claim's adjudication as a FHIR ExplanationOfBenefit (CARIN Blue Button)",
            responses={200: {"content": fhir_content(
                "ExplanationOfBenefit", "FHIR R4 ExplanationOfBenefit, CARIN Blue Button "
                                        "professional shape")}},
            openapi_extra=examples(*READ_EXPLANATION_OF_BENEFIT))
async def read_explanation_of_benefit(claim_id: ResourceId, fhir: FhirClaims,
                                      audit: ClaimAudit) -> FhirResponse:
    """What the payer decided on the claim (its id is the claim's), added up over every
    remittance posted to it: per line and in total the amounts submitted, eligible (allowed),
    paid to the provider, and the patient's deductible, copay and coinsurance, each adjustment
    with its CARC as the reason and RARCs as notes. 404 until a remittance is posted."""
    audit("read", claim_id)
    return FhirResponse(await fhir.explanation_of_benefit(claim_id))


@router.get("/Coverage/{coverage_id}", response_class=FhirResponse,
            summary="A coverage as a FHIR Coverage",
            responses={200: {"content": fhir_content("Coverage", "FHIR R4 Coverage"),
                             "headers": VERSION_HEADERS}},
            openapi_extra=examples(*READ_FHIR_COVERAGE))
async def read_fhir_coverage(coverage_id: ResourceId, fhir: FhirCoverages,
                             audit: CoverageAudit) -> FhirResponse:
    """The coverage as a FHIR R4 Coverage: member id, payer, group and plan, the subscriber
    (the patient, or a contained RelatedPerson), the period and the order of payment
    (1 primary, 2 secondary, 3 tertiary)."""
    audit("read", coverage_id)
    version, resource = await fhir.coverage(coverage_id)
    return _versioned(resource, version)
