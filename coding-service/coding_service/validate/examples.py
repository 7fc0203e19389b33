"""The documented examples of POST /v1/validate (rcm_shared.openapi.Example): each request is
sent by tests/contract/test_examples.py, which checks the answer's status; a problem the
schema already rules out is shown by its answer alone (a request example must fit the
schema)."""

from __future__ import annotations

from typing import Any

from rcm_shared.openapi import Example

_VISIT: dict[str, Any] = {
    "patient": {"id": "MRN-77", "first_name": "Ada", "last_name": "Lovelace",
                "birth_date": "1980-02-14", "sex": "F"},
    "date_of_service": "2026-05-04", "place_of_service": "11",
    "rendering_provider_npi": "1234567893", "billing_provider_npi": "1234567893",
}

VALIDATE = (
    Example("valid", "Codes that pass every edit", 200, {
        **_VISIT,
        "diagnoses": [{"code": "E11.9"}, {"code": "I10"}],
        "service_lines": [{"procedure_code": "99214", "modifiers": ["25"], "units": 1,
                           "charge": "180.00", "diagnosis_pointers": [1, 2]}],
    }, {"valid": True, "icd10cm_edition": "2026-04", "issues": []}),
    Example("category_and_no_line", "A category where a billable code is needed, and no "
            "service line: answered with the issues, nothing stored", 200, {
                **_VISIT, "diagnoses": [{"code": "E11"}], "service_lines": []}, {
                "valid": False, "icd10cm_edition": "2026-04", "issues": [
                    {"rule": "icd10cm.header_code", "severity": "error",
                     "path": "$.diagnoses[0].code",
                     "message": "E11 (Type 2 diabetes mellitus) is a category, not a billable "
                                "code; use the code for the documented detail: E11.00, E11.01, "
                                "E11.10, E11.11, E11.21 or another code under E11."},
                    {"rule": "service_lines.empty", "severity": "error",
                     "path": "$.service_lines",
                     "message": "The encounter has no service line: add the procedures or "
                                "visits performed."}]}),
    Example("bad_charge", "The answer to a charge given as a JSON number with cents (money is "
            "a string)", 422, None, {
                "type": "https://rcm.dev/problems/validation",
                "title": "Request validation failed", "status": 422,
                "detail": "The request does not match the schema at: "
                          "$.service_lines[0].charge.",
                "instance": "/v1/validate",
                "issues": [{"rule": "schema.value_error", "severity": "error",
                            "path": "$.service_lines[0].charge",
                            "message": 'money must be a decimal string such as "125.00", '
                                       "not a float"}]}),
)

VALIDATE_BATCH = (
    Example("two_visits", "Two visits checked in one request, each answered by its id", 200, {
        "items": [{**VALIDATE[0].request, "id": "visit-1"},
                  {**VALIDATE[1].request, "id": "visit-2"}]},
            {"items": [{"index": 0, "id": "visit-1", "valid": True, "icd10cm_edition": "2026-04",
                        "issues": []},
                       {"index": 1, "id": "visit-2", "valid": False, "icd10cm_edition": "2026-04",
                        "issues": [{"rule": "icd10cm.header_code", "severity": "error",
                                    "path": "$.diagnoses[0].code",
                                    "message": "E11 (Type 2 diabetes mellitus) is a category, "
                                               "not a billable code; use the code for the "
                                               "documented detail: E11.00, E11.01, E11.10, "
                                               "E11.11, E11.21 or another code under E11."},
                                   {"rule": "service_lines.empty", "severity": "error",
                                    "path": "$.service_lines",
                                    "message": "The encounter has no service line: add the "
                                               "procedures or visits performed."}]}],
             "valid_count": 1, "invalid_count": 1}),
)
