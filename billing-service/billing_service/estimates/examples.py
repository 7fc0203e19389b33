"""The documented examples of POST /v1/estimates (rcm_shared.openapi.Example), sent after the
coverage examples by tests/contract/test_examples.py, which checks each answer's status."""

from __future__ import annotations

from typing import Any

from billing_service.coverages.examples import COVERAGE_ID
from rcm_shared.openapi import Example

_OWES = {"deductible": "167.70", "copay": "0.00", "coinsurance": "0.00", "total": "167.70"}
_VISIT: dict[str, Any] = {
    "coverage_id": COVERAGE_ID, "date_of_service": "2026-05-04",
    "lines": [{"procedure_code": "99214", "modifiers": ["25"], "units": 1, "charge": "180.00"}],
}

CREATE_ESTIMATE = (
    Example("office_visit", "An office visit early in the plan year: all to the deductible",
            200, _VISIT, {
                "coverage_id": COVERAGE_ID, "payer_id": "MOCK-PPO",
                "date_of_service": "2026-05-04",
                "lines": [{"procedure_code": "99214", "allowed": "167.70",
                           "payer_pays": "0.00", "patient_owes": _OWES,
                           "explanation": "Your plan allows $167.70 for service 99214: you pay "
                                          "$167.70 ($167.70 toward your deductible) and your "
                                          "plan pays nothing."}],
                "totals": {"allowed": "167.70", "payer_pays": "0.00", "patient_owes": _OWES},
                "explanation": "For this service your plan allows $167.70; it pays $0.00 and "
                               "you pay $167.70 ($167.70 deductible). This is an estimate from "
                               "your plan's terms and what you have paid this plan year: other "
                               "claims processed before this one can change it."}),
    Example("nothing_to_price", "Neither lines nor a finalized encounter", 422,
            {"coverage_id": COVERAGE_ID, "date_of_service": "2026-05-04"}, {
                "type": "https://rcm.dev/problems/validation",
                "title": "Request validation failed", "status": 422,
                "detail": "The request does not match the schema at: $.",
                "instance": "/v1/estimates",
                "issues": [{"rule": "schema.value_error", "severity": "error", "path": "$",
                            "message": "give either lines (with date_of_service) or "
                                       "encounter_id"}]}),
)
