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

_ID = "84b9daa6-ab21-4a13-81fe-a9d7b47b27ff"  # the encounter CREATE_ENCOUNTER's answer shows
# The visit as the service answers it, in an encounter and in each of its coding versions.
_VISIT: dict[str, Any] = {
    "patient": {"id": "MRN-77", "first_name": "Ada", "last_name": "Lovelace",
                "birth_date": "1980-02-14", "sex": "F",
                "address": {"line1": "12 St James Square", "line2": None,
                            "city": "Springfield", "state": "IL", "postal_code": "62704"}},
    "date_of_service": "2026-05-04", "place_of_service": "11",
    "rendering_provider_npi": "1234567893", "billing_provider_npi": "1234567893",
    "referring_provider": None, "service_facility": None, "prior_authorization": None,
}
# The encounter as created, not coded yet (as GET_ENCOUNTER reads it).
_READ: dict[str, Any] = {
    "id": _ID, "external_id": "ehr-visit-1001", "status": "open", "version": 1,
    "coding_version": 1, **_VISIT,
    "diagnoses": [], "service_lines": [], "issues": [], "queries": [],
    "created_at": "2026-12-05T16:29:21.531180Z", "updated_at": "2026-12-05T16:29:21.531180Z",
}

CREATE_ENCOUNTER = (
    Example("created", "A visit recorded by the EHR", 201, ENCOUNTER, {
        # The request's patient, its address given the line2 it left out.
        **_READ, "patient": {**ENCOUNTER["patient"],
                             "address": {**ENCOUNTER["patient"]["address"], "line2": None}},
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

_CODES: dict[str, Any] = {
    "diagnoses": [{"code": "E11.9"}, {"code": "I10"}],
    "service_lines": [{"procedure_code": "99214", "modifiers": ["25"], "units": 1,
                       "charge": "180.00", "diagnosis_pointers": [1, 2]}],
}
# _CODES as the service answers them: each line with its optional fields.
_CODED: dict[str, Any] = {
    "diagnoses": _CODES["diagnoses"],
    "service_lines": [{**line, "date_of_service": None, "date_of_service_to": None, "ndc": None}
                      for line in _CODES["service_lines"]],
}


def _coded(version: int, status: str, updated_at: str) -> dict[str, Any]:
    created = CREATE_ENCOUNTER[0].response
    return {**created, "status": status, "version": version, **_CODED, "updated_at": updated_at}


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

_QUERY = "5f474890-2991-4ae1-9ed1-5a85d300d637"  # the query OPEN_QUERY's answer shows
_UNKNOWN = "3f1c2a9e-0000-4000-8000-000000000000"  # an id no encounter of the tenant has


def _not_found(instance: str) -> dict[str, Any]:
    return {"type": "https://rcm.dev/problems/not-found", "title": "Not Found", "status": 404,
            "detail": "No encounter with that id.", "instance": instance}


LIST_ENCOUNTERS = (
    Example("by_patient", "The patient's encounters, newest first", 200, None,
            {"items": [{"id": _ID, "external_id": "ehr-visit-1001", "status": "open",
                        "version": 1, "coding_version": 1, "patient_id": "MRN-77",
                        "date_of_service": "2026-05-04",
                        "updated_at": "2026-12-05T16:29:21.531180Z"}],
             "next_cursor": None},
            parameters={"patient_id": "MRN-77"}),
)

GET_ENCOUNTER = (
    Example("read", "The encounter as created", 200, None, _READ,
            parameters={"encounter_id": _ID}),
    Example("unknown", "An id the tenant has no encounter with", 404, None,
            _not_found(f"/v1/encounters/{_UNKNOWN}"), parameters={"encounter_id": _UNKNOWN}),
)

# The encounter opened again after coding version 1 was finalized, with its codes kept.
_REOPENED: dict[str, Any] = {**_READ, "version": 4, "coding_version": 2, **_CODED,
                             "updated_at": "2026-12-05T16:29:21.673872Z"}

REOPEN = (
    Example("reopened", "A finalized encounter opened again to correct it", 200,
            {"reason": "The provider added a second procedure"}, _REOPENED,
            parameters={"encounter_id": _ID, "If-Match": "3"}),
    Example("not_finalized", "Reopened again: it is open already", 409, None,
            {"type": "https://rcm.dev/problems/conflict", "title": "Conflict", "status": 409,
             "detail": "Cannot reopen an encounter whose status is 'open'.",
             "instance": f"/v1/encounters/{_ID}/reopen",
             "current_status": "open", "allowed_actions": ["put_codes", "query", "finalize"]},
            parameters={"encounter_id": _ID}),
)

_ASKED = {"id": _QUERY, "question": "Was the hypertension treated at this visit?", "answer": None,
          "status": "open", "asked_by": "key:90db94607739", "answered_by": None,
          "asked_at": "2026-12-05T16:29:21.690099Z", "answered_at": None}

OPEN_QUERY = (
    Example("asked", "A question to the provider: the encounter waits for the answer", 201,
            {"question": _ASKED["question"]},
            {**_REOPENED, "status": "needs_clarification", "version": 5, "queries": [_ASKED],
             "updated_at": "2026-12-05T16:29:21.696266Z"},
            parameters={"encounter_id": _ID, "If-Match": "4"}),
)

ANSWER_QUERY = (
    Example("answered", "The provider's answer: the encounter is open again", 200,
            {"answer": "Yes: lisinopril dose adjusted."},
            {**_REOPENED, "version": 6,
             "queries": [{**_ASKED, "answer": "Yes: lisinopril dose adjusted.",
                          "status": "answered", "answered_by": "key:90db94607739",
                          "answered_at": "2026-12-05T16:29:21.706495Z"}],
             "updated_at": "2026-12-05T16:29:21.712900Z"},
            parameters={"encounter_id": _ID, "query_id": _QUERY, "If-Match": "5"}),
    Example("already_answered", "The same query answered again", 409,
            {"answer": "Yes."},
            {"type": "https://rcm.dev/problems/conflict", "title": "Conflict", "status": 409,
             "detail": "This provider query is already answered.",
             "instance": f"/v1/encounters/{_ID}/queries/{_QUERY}/answer",
             "current_status": "answered"},
            parameters={"encounter_id": _ID, "query_id": _QUERY}),
)

ENCOUNTER_EVENTS = (
    Example("history", "Each change, oldest first", 200, None,
            {"items": [{"id": 1, "type": "encounter.created", "actor": "key:90db94607739",
                        "occurred_at": "2026-12-05T16:29:21.531180Z",
                        "data": {"external_id": "ehr-visit-1001"}},
                       {"id": 2, "type": "encounter.codes_updated", "actor": "key:90db94607739",
                        "occurred_at": "2026-12-05T16:29:21.616546Z",
                        "data": {"coding_version": 1, **_CODED}},
                       {"id": 3, "type": "encounter.finalized", "actor": "key:90db94607739",
                        "occurred_at": "2026-12-05T16:29:21.642833Z",
                        "data": {"coding_version": 1}},
                       {"id": 4, "type": "encounter.reopened", "actor": "key:90db94607739",
                        "occurred_at": "2026-12-05T16:29:21.673872Z",
                        "data": {"coding_version": 2, "previous_coding_version": 1,
                                 "reason": "The provider added a second procedure"}},
                       {"id": 5, "type": "encounter.query_opened", "actor": "key:90db94607739",
                        "occurred_at": "2026-12-05T16:29:21.696266Z",
                        "data": {"query_id": _QUERY}},
                       {"id": 6, "type": "encounter.query_answered", "actor": "key:90db94607739",
                        "occurred_at": "2026-12-05T16:29:21.712900Z",
                        "data": {"query_id": _QUERY}}],
             "next_cursor": None},
            parameters={"encounter_id": _ID}),
)

# Coding version 1 as finalized (billing builds the claim from it).
_FIRST_VERSION: dict[str, Any] = {
    "encounter_id": _ID, "external_id": "ehr-visit-1001", "coding_version": 1,
    "finalized_at": "2026-12-05T16:29:21.642833Z", "finalized_by": "key:90db94607739",
    **_VISIT, **_CODED,
}

CODING_VERSIONS = (
    Example("versions", "The coding versions finalized so far", 200, None,
            {"items": [_FIRST_VERSION], "next_cursor": None}, parameters={"encounter_id": _ID}),
)

CODING_VERSION = (
    Example("first", "Coding version 1, as billing reads it to build the claim", 200, None,
            _FIRST_VERSION, parameters={"encounter_id": _ID, "number": 1}),
    Example("not_finalized_yet", "A version not finalized (yet)", 404, None,
            {"type": "https://rcm.dev/problems/not-found", "title": "Not Found", "status": 404,
             "detail": "No finalized coding version with that id.",
             "instance": f"/v1/encounters/{_ID}/coding-versions/2"},
            parameters={"encounter_id": _ID, "number": 2}),
)
