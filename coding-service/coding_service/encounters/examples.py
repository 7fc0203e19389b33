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
