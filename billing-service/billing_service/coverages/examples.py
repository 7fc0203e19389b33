"""The documented examples of POST /v1/coverages (rcm_shared.openapi.Example), sent in this
order by tests/contract/test_examples.py, which checks each answer's status."""

from __future__ import annotations

from typing import Any

from rcm_shared.openapi import Example

_ADA = {"first_name": "Ada", "last_name": "Lovelace", "birth_date": "1980-02-14", "sex": "F"}
COVERAGE: dict[str, Any] = {
    "patient_id": "MRN-77", "payer_id": "MOCK-PPO", "member_id": "W123456789",
    "group_number": "G-100", "relationship": "self", "subscriber": _ADA,
    "effective_from": "2026-01-01", "effective_to": None, "priority": "primary",
}
# The id its answer shows: later examples name the coverage by it.
COVERAGE_ID = "64286c6a-9894-4ec0-b337-62cff9cbfedf"

CREATE_COVERAGE = (
    Example("created", "The patient's own plan, primary from January", 201, COVERAGE, {
        "id": COVERAGE_ID, **COVERAGE, "plan_code": None,
        "subscriber": {**_ADA, "address": None}, "version": 1,
        "created_at": "2026-12-05T13:24:57.505915Z", "updated_at": "2026-12-05T13:24:57.505920Z",
        "last_eligibility_check": None}),
    Example("ends_before_it_starts", "Dates in the wrong order", 422, {
        **COVERAGE, "patient_id": "MRN-78", "member_id": "W123456790",
        "effective_from": "2026-06-01", "effective_to": "2026-01-01"}, {
        "type": "https://rcm.dev/problems/validation", "title": "Request validation failed",
        "status": 422, "detail": "The request does not match the schema at: $.effective_to.",
        "instance": "/v1/coverages",
        "issues": [{"rule": "schema.value_error", "severity": "error", "path": "$.effective_to",
                    "message": "effective_to must not be before effective_from"}]}),
    Example("priority_taken", "A second primary coverage on the same dates", 409, {
        **COVERAGE, "payer_id": "MOCK-HMO", "member_id": "H12345678", "group_number": None}, {
        "type": "https://rcm.dev/problems/conflict", "title": "Coverage priority taken",
        "status": 409,
        "detail": f"Coverage {COVERAGE_ID} is already the patient's primary coverage for part "
                  "of these dates: end it (PATCH effective_to) or give this one another "
                  "priority.",
        "instance": "/v1/coverages",
        "issues": [{"rule": "coverage.priority_taken", "severity": "error", "path": "$.priority",
                    "message": f"Coverage {COVERAGE_ID} has priority primary on overlapping "
                               "dates."}]}),
)

_UNKNOWN = "3f1c2a9e-0000-4000-8000-000000000000"  # an id no coverage of the tenant has

# The coverage as recorded, as the examples after createCoverage's read it.
_READ: dict[str, Any] = {
    "id": COVERAGE_ID, "patient_id": "MRN-77", "payer_id": "MOCK-PPO", "plan_code": None,
    "member_id": "W123456789", "group_number": "G-100", "relationship": "self",
    "subscriber": {**_ADA, "address": None},
    "effective_from": "2026-01-01", "effective_to": None, "priority": "primary",
    "version": 1, "created_at": "2026-12-05T16:38:41.046770Z",
    "updated_at": "2026-12-05T16:38:41.046773Z", "last_eligibility_check": None,
}

LIST_COVERAGES = (
    Example("by_patient", "The patient's coverages", 200, None,
            {"items": [_READ], "next_cursor": None}, parameters={"patient_id": "MRN-77"}),
)

GET_COVERAGE = (
    Example("read", "The coverage as recorded", 200, None, _READ,
            parameters={"coverage_id": COVERAGE_ID}),
    Example("unknown", "An id the tenant has no coverage with", 404, None,
            {"type": "https://rcm.dev/problems/not-found", "title": "Not Found", "status": 404,
             "detail": "No coverage with that id.", "instance": f"/v1/coverages/{_UNKNOWN}"},
            parameters={"coverage_id": _UNKNOWN}),
)

UPDATE_COVERAGE = (
    Example("new_group", "The employer's new group number, at the version read", 200,
            {"group_number": "G-200"},
            {**_READ, "group_number": "G-200", "version": 2,
             "updated_at": "2026-12-05T16:38:41.086051Z"},
            parameters={"coverage_id": COVERAGE_ID, "If-Match": "1"}),
    Example("stale", "The same change again: the coverage is no longer at version 1", 412,
            {"group_number": "G-200"},
            {"type": "https://rcm.dev/problems/stale-version", "title": "Precondition Failed",
             "status": 412, "detail": "The resource is at version 2, not 1; fetch it and retry.",
             "instance": f"/v1/coverages/{COVERAGE_ID}",
             "current_version": 2},
            parameters={"coverage_id": COVERAGE_ID, "If-Match": "1"}),
)
