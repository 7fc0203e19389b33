"""The documented examples of the encounter operations (rcm_shared.openapi.Example): each
request is sent by tests/contract/test_examples.py, which checks the answer's status; a problem
the schema already rules out is shown by its answer alone (a request example must fit the
schema)."""

from __future__ import annotations

from typing import Any

from rcm_shared.openapi import Example

ENCOUNTER: dict[str, Any] = {
    "external_id": "ehr-visit-1001",
    "patient": {"id": "MRN-77", "first_name": "Ada", "last_name": "Lovelace",
                "birth_date": "1980-02-14", "sex": "F",
                "address": {"line1": "12 St James Square", "city": "Springfield",
                            "state": "IL", "postal_code": "62704"}},
    "date_of_service": "2026-05-04", "place_of_service": "11",
    "rendering_provider_npi": "1234567893", "billing_provider_npi": "1234567893",
}

CREATE_ENCOUNTER = (
    Example("created", "A visit recorded by the EHR", 201, ENCOUNTER, {
        "id": "84b9daa6-ab21-4a13-81fe-a9d7b47b27ff", "external_id": "ehr-visit-1001",
        "status": "open", "version": 1, "coding_version": 1,
        "patient": {**ENCOUNTER["patient"],
                    "address": {**ENCOUNTER["patient"]["address"], "line2": None}},
        "date_of_service": "2026-05-04", "place_of_service": "11",
        "rendering_provider_npi": "1234567893", "billing_provider_npi": "1234567893",
        "referring_provider": None, "service_facility": None, "prior_authorization": None,
        "diagnoses": [], "service_lines": [], "issues": [], "queries": [],
        "created_at": "2026-12-05T13:21:55.494785Z", "updated_at": "2026-12-05T13:21:55.494785Z",
    }),
    Example("bad_place_of_service", "The answer to a place of service that is not two "
            "digits", 422, None, {
                "type": "https://rcm.dev/problems/validation",
                "title": "Request validation failed", "status": 422,
                "detail": "The request does not match the schema at: $.place_of_service.",
                "instance": "/v1/encounters",
                "issues": [{"rule": "schema.string_pattern_mismatch", "severity": "error",
                            "path": "$.place_of_service",
                            "message": "String should match pattern '^[0-9]{2}$'"}]}),
)

_ID = "84b9daa6-ab21-4a13-81fe-a9d7b47b27ff"  # the encounter CREATE_ENCOUNTER's answer shows
_CODES: dict[str, Any] = {
    "diagnoses": [{"code": "E11.9"}, {"code": "I10"}],
    "service_lines": [{"procedure_code": "99214", "modifiers": ["25"], "units": 1,
                       "charge": "180.00", "diagnosis_pointers": [1, 2]}],
}


def _coded(version: int, status: str, updated_at: str) -> dict[str, Any]:
    created = CREATE_ENCOUNTER[0].response
    return {**created, "status": status, "version": version,
            "diagnoses": _CODES["diagnoses"],
            "service_lines": [{**line, "date_of_service": None, "date_of_service_to": None,
                               "ndc": None} for line in _CODES["service_lines"]],
            "updated_at": updated_at}


PUT_CODES = (
    Example("coded", "A type 2 diabetes and hypertension visit coded, at the version read",
            200, _CODES, _coded(2, "open", "2026-12-05T13:51:44.704760Z"),
            parameters={"encounter_id": _ID, "If-Match": "1"}),
    Example("stale", "The same change again: the encounter is no longer at version 1", 412,
            _CODES, {
                "type": "https://rcm.dev/problems/stale-version",
                "title": "Precondition Failed", "status": 412,
                "detail": "The resource is at version 2, not 1; fetch it and retry.",
                "instance": f"/v1/encounters/{_ID}/codes", "current_version": 2},
            parameters={"encounter_id": _ID, "If-Match": "1"}),
)

FINALIZE = (
    Example("finalized", "The coded encounter frozen as coding version 1", 200, None,
            _coded(3, "finalized", "2026-12-05T13:51:44.719534Z"),
            parameters={"encounter_id": _ID}),
    Example("already_finalized", "Finalized again", 409, None, {
        "type": "https://rcm.dev/problems/conflict", "title": "Conflict", "status": 409,
        "detail": "Cannot finalize an encounter whose status is 'finalized'.",
        "instance": f"/v1/encounters/{_ID}/finalize", "current_status": "finalized",
        "allowed_actions": ["reopen"]}, parameters={"encounter_id": _ID}),
)
