"""Encounter endpoints: thin, the rules live in encounters.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import Depends, Query, Response, status

from coding_service.dependencies import EncounterReader, EncounterWriter, Idempotent, audit_trail
from coding_service.encounters import schemas
from coding_service.encounters.examples import (
    ANSWER_QUERY,
    CODING_VERSION,
    CODING_VERSIONS,
    CREATE_ENCOUNTER,
    ENCOUNTER_EVENTS,
    FINALIZE,
    GET_ENCOUNTER,
    LIST_ENCOUNTERS,
    OPEN_QUERY,
    PUT_CODES,
    REOPEN,
)
from coding_service.encounters.service import EncounterService
from coding_service.encounters.state_machine import EncounterStatus
from coding_service.models import Encounter, ProviderQuery
from rcm_shared.audit import AuditRecord
from rcm_shared.dates import IsoDateTime
from rcm_shared.http import IfMatch, IfMatchRequired, etag
from rcm_shared.ids import CodingVersion, EncounterId, PatientId, ResourceId
from rcm_shared.openapi import examples
from rcm_shared.pagination import (
    DEFAULT_LIMIT,
    CursorParam,
    LimitParam,
    Page,
)
from rcm_shared.routing import api_router

router = api_router("/v1/encounters", "encounters")

Audit = Annotated[AuditRecord, Depends(audit_trail.recorder("encounter"))]


async def _respond(
    service: EncounterService, encounter: Encounter, response: Response, *, new: bool = False
) -> schemas.EncounterOut:
    # A new encounter has no provider queries yet: nothing to read.
    return _answer(encounter, [] if new else await service.queries(encounter), response)


def _answer(encounter: Encounter, queries: Sequence[ProviderQuery],
            response: Response) -> schemas.EncounterOut:
    response.headers["ETag"] = etag(encounter.version)
    return schemas.encounter_out(encounter, queries)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=schemas.EncounterOut,
             summary="Create an encounter (re-POST of an external_id returns the existing one)",
             responses={200: {"model": schemas.EncounterOut,
                              "description": "The encounter already created with this "
                                             "external_id"}},
             openapi_extra=examples(*CREATE_ENCOUNTER))
async def create_encounter(body: schemas.EncounterCreate, response: Response,
                           encounters: EncounterWriter,
                           idempotency: Idempotent, audit: Audit) -> schemas.EncounterOut:
    """Records a visit as the EHR sends it: patient, date and place of service, providers. Answers
    201 with the new encounter, its ETag and Location; the same `external_id` posted again
    answers 200 with the encounter already made, so an EHR can retry safely."""
    encounter, created = await encounters.create(body)
    audit("create", encounter.id)
    if not created:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/v1/encounters/{encounter.id}"
    return await _respond(encounters, encounter, response, new=created)


@router.get("", response_model=Page[schemas.EncounterSummary], summary="List encounters",
            openapi_extra=examples(*LIST_ENCOUNTERS))
async def list_encounters(
    encounters: EncounterReader,
    audit: Audit,
    status_: Annotated[EncounterStatus | None, Query(
        alias="status", description="Only encounters in this status")] = None,
    patient_id: Annotated[PatientId | None, Query()] = None,
    updated_after: Annotated[IsoDateTime | None, Query(
        description="Only encounters changed after this time (with its UTC offset)")] = None,
    limit: LimitParam = DEFAULT_LIMIT,
    cursor: CursorParam = None,
) -> Page[schemas.EncounterSummary]:
    """The caller's tenant's encounters, most recently updated first, filtered by status, patient or
    update time; paged with `limit` and `cursor`."""
    audit("list")
    listed = await encounters.list(status=status_, patient_id=patient_id,
                                   updated_after=updated_after, cursor=cursor, limit=limit)
    return listed.page(lambda row: schemas.EncounterSummary.model_validate(row,
                                                                           from_attributes=True))


@router.get("/{encounter_id}", response_model=schemas.EncounterOut,
            summary="An encounter with its current codes and coding_version",
            openapi_extra=examples(*GET_ENCOUNTER))
async def get_encounter(encounter_id: EncounterId, response: Response,
                        encounters: EncounterReader, audit: Audit) -> schemas.EncounterOut:
    """The encounter with its current codes, the issues validation finds in them, its open queries
    and `coding_version`; its ETag is the version to send back as If-Match."""
    audit("read", encounter_id)
    return await _respond(encounters, await encounters.get(encounter_id), response)


@router.put("/{encounter_id}/codes", response_model=schemas.EncounterOut,
            summary="Replace the encounter's codes (If-Match required); answers with issues",
            openapi_extra=examples(*PUT_CODES))
async def put_codes(encounter_id: EncounterId, body: schemas.Codes, if_match: IfMatchRequired,
                    response: Response, encounters: EncounterWriter, idempotency: Idempotent,
                    audit: Audit) -> schemas.EncounterOut:
    """Replaces the diagnoses and service lines of an open encounter as one change and answers the
    encounter with the issues validation finds: codes with errors are kept (so a coder can save
    work in progress) but cannot be finalized. If-Match with the encounter's version is required
    (428 without it, 412 when it moved on)."""
    audit("update", encounter_id)
    encounter, queries = await encounters.put_codes(encounter_id, if_match, body,
                                                    audit.take_rows())
    return _answer(encounter, queries, response)


@router.post("/{encounter_id}/finalize", response_model=schemas.EncounterOut,
             summary="Freeze the codes as a new coding version (422 with issues on errors)",
             openapi_extra=examples(*FINALIZE))
async def finalize(encounter_id: EncounterId, if_match: IfMatch, response: Response,
                   encounters: EncounterWriter,
                   idempotency: Idempotent, audit: Audit) -> schemas.EncounterOut:
    """Freezes the current codes as the encounter's next coding version and publishes
    `encounter.finalized` (feed and webhooks). Refused with 422 and the issues when validation
    finds errors, and with 409 when the encounter is not open or has an open query."""
    audit("finalize", encounter_id)
    encounter, queries = await encounters.finalize(encounter_id, if_match, audit.take_rows())
    return _answer(encounter, queries, response)


@router.post("/{encounter_id}/reopen", response_model=schemas.EncounterOut,
             summary="Reopen a finalized encounter, starting the next coding version",
             openapi_extra=examples(*REOPEN))
async def reopen(encounter_id: EncounterId, if_match: IfMatch, response: Response,
                 encounters: EncounterWriter,
                 idempotency: Idempotent, audit: Audit,
                 body: schemas.ReopenRequest | None = None) -> schemas.EncounterOut:
    """Opens a finalized encounter for changes again (a correction), with an optional reason; the
    next finalization makes the next coding version. Publishes `encounter.reopened`. 409 unless
    the encounter is finalized."""
    audit("reopen", encounter_id)
    reason = body.reason if body else None
    encounter = await encounters.reopen(encounter_id, if_match, reason)
    return await _respond(encounters, encounter, response)


@router.post("/{encounter_id}/queries", status_code=status.HTTP_201_CREATED,
             response_model=schemas.EncounterOut,
             summary="Send a query to the provider: the encounter needs clarification",
             openapi_extra=examples(*OPEN_QUERY))
async def open_query(encounter_id: EncounterId, body: schemas.QueryCreate, if_match: IfMatch,
                     response: Response, encounters: EncounterWriter, idempotency: Idempotent,
                     audit: Audit) -> schemas.EncounterOut:
    """Puts the encounter on hold with a question to the provider (status `query`) until it is
    answered. Answers 201 with the encounter; Location names the query."""
    audit("query", encounter_id)
    encounter, query = await encounters.open_query(encounter_id, if_match, body.question)
    response.headers["Location"] = f"/v1/encounters/{encounter.id}/queries/{query.id}"
    return await _respond(encounters, encounter, response)


@router.post("/{encounter_id}/queries/{query_id}/answer", response_model=schemas.EncounterOut,
             summary="Record the provider's answer; open again when no query is left open",
             openapi_extra=examples(*ANSWER_QUERY))
async def answer_query(encounter_id: EncounterId, query_id: ResourceId,
                       body: schemas.QueryAnswer, if_match: IfMatch, response: Response,
                       encounters: EncounterWriter,
                       idempotency: Idempotent, audit: Audit) -> schemas.EncounterOut:
    """Records the provider's answer to one open query; the encounter is open again when no query is
    left open. 409 when the query is already answered."""
    audit("answer", encounter_id)
    encounter = await encounters.answer_query(encounter_id, query_id, if_match, body.answer)
    return await _respond(encounters, encounter, response)


@router.get("/{encounter_id}/events", response_model=Page[schemas.EncounterEventOut],
            summary="Every change to the encounter: who, when, what",
            openapi_extra=examples(*ENCOUNTER_EVENTS))
async def encounter_events(encounter_id: EncounterId, encounters: EncounterReader, audit: Audit,
                           limit: LimitParam = DEFAULT_LIMIT,
                           cursor: CursorParam = None) -> Page[schemas.EncounterEventOut]:
    """The encounter's history, oldest first: each change with the key that made it, when and what
    (created, codes replaced, finalized, reopened, queried, answered)."""
    audit("read", encounter_id)
    listed = await encounters.events(encounter_id, cursor, limit)
    return listed.page(lambda row: schemas.EncounterEventOut.model_validate(row,
                                                                            from_attributes=True))


@router.get("/{encounter_id}/coding-versions", response_model=Page[schemas.CodingVersionOut],
            summary="Every finalized coding version of the encounter, oldest first",
            openapi_extra=examples(*CODING_VERSIONS))
async def coding_versions(encounter_id: EncounterId, encounters: EncounterReader, audit: Audit,
                          limit: LimitParam = DEFAULT_LIMIT,
                          cursor: CursorParam = None) -> Page[schemas.CodingVersionOut]:
    """Each coding version the encounter was finalized with, oldest first: the frozen codes and when
    they were frozen. billing-service builds claims from these."""
    audit("read", encounter_id)
    encounter, listed = await encounters.coding_versions(encounter_id, cursor, limit)
    return listed.page(lambda snapshot: schemas.coding_version_out(encounter, snapshot))


@router.get("/{encounter_id}/coding-versions/{number}", response_model=schemas.CodingVersionOut,
            summary="One frozen coding version with the encounter facts a claim needs",
            openapi_extra=examples(*CODING_VERSION))
async def coding_version(encounter_id: EncounterId, number: CodingVersion,
                         encounters: EncounterReader, audit: Audit) -> schemas.CodingVersionOut:
    """One frozen coding version with the encounter facts a claim needs (patient, providers, place
    and dates of service), exactly as finalized. 404 when the encounter has no such version."""
    audit("read", encounter_id)
    encounter, snapshot = await encounters.coding_version(encounter_id, number)
    return schemas.coding_version_out(encounter, snapshot)
