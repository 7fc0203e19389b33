"""FHIR R4 endpoints for EHRs: a Bundle in, an encounter out (application/fhir+json; problems
as OperationOutcome, with the JSON API's status codes, keys and scopes)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, status

from coding_service.dependencies import FhirReader, FhirWriter, Idempotent, audit_trail
from coding_service.fhir.examples import CREATE_FROM_BUNDLE, READ_ENCOUNTER
from rcm_shared.audit import AuditRecord
from rcm_shared.fhir import (
    FHIR_MEDIA_TYPE,
    VERSION_HEADERS,
    FhirResponse,
    fhir_content,
    fhir_etag,
    metadata_router,
)
from rcm_shared.ids import EncounterId
from rcm_shared.openapi import examples
from rcm_shared.routing import api_router

router = api_router("/fhir/R4", "fhir")
metadata = metadata_router("coding-service", {"Bundle": ["create"], "Encounter": ["read"]})

Audit = Annotated[AuditRecord, Depends(audit_trail.recorder("encounter"))]

_BUNDLE_BODY = {
    "required": True,
    "description": "A transaction or collection Bundle: one Patient (identifier = MRN), one "
                   "Encounter (identifier = the EHR's visit id, period.start, serviceProvider "
                   "and a PPRF participant with NPIs, a location whose Location.type has the "
                   "CMS place of service), its Conditions (ICD-10-CM, in Encounter.diagnosis "
                   "rank order) and ChargeItems (CPT/HCPCS, quantity, priceOverride, reason) "
                   "or Procedures",
    "content": {media: {"schema": {
        "type": "object", "required": ["resourceType", "type", "entry"],
        "properties": {"resourceType": {"type": "string", "enum": ["Bundle"]},
                       "type": {"type": "string", "enum": ["transaction", "collection"]},
                       "entry": {"type": "array", "items": {"type": "object"}}}}}
        for media in (FHIR_MEDIA_TYPE, "application/json")},
}


@router.post(
    "/Bundle", status_code=status.HTTP_201_CREATED, response_class=FhirResponse,
    summary="Create and code an encounter from a FHIR Bundle",
    openapi_extra={"requestBody": _BUNDLE_BODY, **examples(*CREATE_FROM_BUNDLE)},
    responses={
        201: {"description": "The encounter created and coded: a transaction-response Bundle",
              "content": fhir_content("Bundle", "A transaction-response Bundle"),
              "headers": VERSION_HEADERS},
        200: {"description": "The encounter with this identifier already existed: its codes "
                             "were replaced by the Bundle's when they differed",
              "headers": VERSION_HEADERS},
    })
async def create_encounter_from_bundle(request: Request, fhir: FhirWriter,
                                       idempotency: Idempotent, audit: Audit) -> FhirResponse:
    """Creates the Bundle's encounter and puts its codes through the same validation as `PUT
    /v1/encounters/{id}/codes`: the findings (the same rule ids) are the Encounter entry's
    outcome, and codes with errors are kept but cannot be finalized. A Bundle whose
    Encounter identifier is known answers 200 and changes nothing unless its codes differ;
    a finalized encounter answers 409. Answers a transaction-response Bundle."""
    encounter, created, answer = await fhir.import_bundle(await request.body())
    audit("create", encounter.id)
    return FhirResponse(
        answer, status_code=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        headers={"Location": f"/fhir/R4/Encounter/{encounter.id}",
                 "ETag": fhir_etag(encounter.version)})


@router.get(
    "/Encounter/{encounter_id}", response_class=FhirResponse,
    summary="An encounter as a FHIR Encounter, its patient and codes contained",
    responses={200: {"content": fhir_content(
        "Encounter", "FHIR R4 Encounter with contained Patient, Location, Conditions, "
                     "Procedures and ChargeItems"), "headers": VERSION_HEADERS}},
    openapi_extra=examples(*READ_ENCOUNTER))
async def read_fhir_encounter(encounter_id: EncounterId, fhir: FhirReader,
                              audit: Audit) -> FhirResponse:
    """The encounter as a FHIR R4 Encounter: its Patient, place of service (Location),
    diagnoses (Conditions, ranked), procedures and charges (Procedures and ChargeItems, with
    units, price, modifiers and the diagnoses they are for) contained; the coding status and
    coding version as extensions; meta.versionId is the JSON API's version."""
    audit("read", encounter_id)
    encounter, resource = await fhir.read(encounter_id)
    return FhirResponse(resource, headers={"ETag": fhir_etag(encounter.version)})
