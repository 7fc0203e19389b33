"""The documented examples of the claim operations (rcm_shared.openapi.Example), sent in this
order by tests/contract/test_examples.py, which checks each answer's status: the claim of
coding-service's example encounter (coded E11.9 and I10, 99214-25 for $180.00) for the
coverage of createCoverage's example, built, read, submitted; a second visit's claim built
and canceled; the 409s of actions its status refuses."""

from __future__ import annotations

from typing import Any

from billing_service.coverages.examples import COVERAGE_ID
from rcm_shared.openapi import Example

# The encounters coding-service finalized (its own examples' first).
ENCOUNTER = "84b9daa6-ab21-4a13-81fe-a9d7b47b27ff"
SECOND_ENCOUNTER = "9a7c4e21-3b5d-4f60-8c2e-1d4b6a8f0e57"
# The claims their answers show: later examples name them so.
CLAIM = "b6dc6ece-fa32-4108-8eb2-aafdf81eda94"
SECOND_CLAIM = "b6a74fe7-a2be-45c9-9b3b-04eb646b2204"
_UNKNOWN = "3f1c2a9e-0000-4000-8000-000000000000"

# The first claim as built from ENCOUNTER: ready to submit, nothing sent or paid yet. The
# examples after it show what each action changes.
_BUILT: dict[str, Any] = {
    "id": CLAIM, "patient_control_number": "8AC5F426B10B4C61B372", "status": "ready",
    "allowed_actions": ["submit", "change_coverage", "cancel"], "frequency_code": "1",
    "encounter_id": ENCOUNTER, "coding_version": 1, "coverage_id": COVERAGE_ID,
    "payer_id": "MOCK-PPO", "payer_sequence": "primary", "split": None, "prior_claim_id": None,
    "patient": {"id": "MRN-77", "first_name": "Ada", "last_name": "Lovelace",
                "birth_date": "1980-02-14", "sex": "F",
                "address": {"line1": "12 St James Square", "line2": None,
                            "city": "Springfield", "state": "IL", "postal_code": "62704"}},
    "date_of_service": "2026-05-04", "place_of_service": "11",
    "billing_provider_npi": "1234567893", "rendering_provider_npi": "1234567893",
    "referring_provider": None, "service_facility": None, "prior_authorization": None,
    "diagnoses": ["E11.9", "I10"],
    "lines": [{"line_number": 1, "procedure_code": "99214", "modifiers": ["25"], "units": 1,
               "charge": "180.00", "diagnosis_pointers": [1, 2],
               "date_of_service": "2026-05-04", "date_of_service_to": None, "ndc": None}],
    "total_charge": "180.00", "paid_amount": "0.00", "adjustment_amount": "0.00",
    "patient_responsibility": "0.00", "balance": "180.00",
    "payer_claim_control_number": None, "original_payer_claim_number": None,
    "replaces_claim_id": None, "replaced_by_claim_id": None, "submission_count": 0,
    "first_submitted_at": None, "last_submitted_at": None, "scrub_issues": [],
    "payer_errors": [], "denials": [], "timely_filing_days_left": -35, "version": 1,
    "created_at": "2026-12-05T16:38:41.214520Z", "updated_at": "2026-12-05T16:38:41.214523Z",
}
# The second visit's claim as built: a 99213 for the hypertension alone, four weeks later.
_SECOND_BUILT: dict[str, Any] = {
    **_BUILT, "id": SECOND_CLAIM, "patient_control_number": "1158E4D369294ED7A9F9",
    "encounter_id": SECOND_ENCOUNTER, "date_of_service": "2026-06-01", "diagnoses": ["I10"],
    "lines": [{**_BUILT["lines"][0], "procedure_code": "99213", "modifiers": [],
               "charge": "120.00", "diagnosis_pointers": [1], "date_of_service": "2026-06-01"}],
    "total_charge": "120.00", "balance": "120.00", "timely_filing_days_left": -7,
    "created_at": "2026-12-05T16:38:41.239859Z", "updated_at": "2026-12-05T16:38:41.239861Z",
}


def _refused_while_submitted(action: str, done: str, endpoint: str) -> dict[str, Any]:
    """The 409 of an action on the first claim once submitted, before the payer acknowledges it."""
    return {"type": "https://rcm.dev/problems/conflict", "title": "Conflict", "status": 409,
            "detail": f"Cannot {action} this claim: a claim in status 'submitted' cannot be "
                      f"{done}. From 'submitted': wait for the payer's acknowledgment "
                      "(accepted or rejected).",
            "instance": f"/v1/claims/{CLAIM}/{endpoint}",
            "claim_status": "submitted", "action": action, "allowed_actions": ["acknowledge"]}


CREATE_CLAIM = (
    Example("built", "The claim of a finalized visit, for the coverage in force that day", 201,
            {"encounter_id": ENCOUNTER}, _BUILT),
    Example("second_visit", "Another visit's claim, for a named coverage", 201,
            {"encounter_id": SECOND_ENCOUNTER, "coverage_id": COVERAGE_ID}, _SECOND_BUILT),
    Example("unknown_encounter", "An encounter coding-service does not have", 404,
            {"encounter_id": _UNKNOWN},
            {"type": "https://rcm.dev/problems/not-found", "title": "Not Found", "status": 404,
             "detail": "No encounter with that id.", "instance": "/v1/claims"}),
)

LIST_CLAIMS = (
    Example("by_encounter", "The claims of one encounter", 200, None,
            {"items": [_BUILT], "next_cursor": None}, parameters={"encounter_id": ENCOUNTER}),
)

GET_CLAIM = (
    Example("read", "The claim as built: ready to submit", 200, None, _BUILT,
            parameters={"claim_id": CLAIM}),
    Example("unknown", "An id the tenant has no claim with", 404, None,
            {"type": "https://rcm.dev/problems/not-found", "title": "Not Found", "status": 404,
             "detail": "No claim with that id.",
             "instance": "/v1/claims/3f1c2a9e-0000-4000-8000-000000000000"},
            parameters={"claim_id": _UNKNOWN}),
)

CHANGE_CLAIM_COVERAGE = (
    Example("rescrubbed", "The second claim pointed at the coverage again, at the version "
            "read: scrubbed again", 200, {"coverage_id": COVERAGE_ID},
            {**_SECOND_BUILT, "version": 2, "updated_at": "2026-12-05T16:38:41.272200Z"},
            parameters={"claim_id": SECOND_CLAIM, "If-Match": "1"}),
)

SUBMIT_CLAIM = (
    Example("submitted", "The ready claim queued for the payer as an 837P", 200, None,
            {**_BUILT, "status": "submitted", "allowed_actions": [], "submission_count": 1,
             "first_submitted_at": "2026-12-05T16:38:41.285180Z",
             "last_submitted_at": "2026-12-05T16:38:41.285180Z", "version": 2,
             "updated_at": "2026-12-05T16:38:41.284038Z"},
            parameters={"claim_id": CLAIM, "If-Match": "1"}),
    Example("already_submitted", "Submitted again", 409, None,
            _refused_while_submitted("submit", "submitted", "submit"),
            parameters={"claim_id": CLAIM}),
)

RESUBMIT_CLAIM = (
    Example("not_rejected", "A claim no payer rejected", 409, None,
            _refused_while_submitted("resubmit", "resubmitted", "resubmit"),
            parameters={"claim_id": CLAIM}),
)

VOID_CLAIM = (
    Example("not_accepted", "A claim no payer accepted yet: cancel it instead", 409, None,
            {"type": "https://rcm.dev/problems/conflict", "title": "Conflict", "status": 409,
             "detail": "Cannot void this claim: a claim in status 'ready' cannot be voided. "
                       "From 'ready': submit it (POST "
                       "/v1/claims/b6a74fe7-a2be-45c9-9b3b-04eb646b2204/submit); or point it at "
                       "another coverage (PATCH /v1/claims/b6a74fe7-a2be-45c9-9b3b-04eb646b2204 "
                       "{\"coverage_id\"}); or cancel it (POST "
                       "/v1/claims/b6a74fe7-a2be-45c9-9b3b-04eb646b2204/cancel).",
             "instance": "/v1/claims/b6a74fe7-a2be-45c9-9b3b-04eb646b2204/void",
             "claim_status": "ready", "action": "void",
             "allowed_actions": ["submit", "change_coverage", "cancel"]},
            parameters={"claim_id": SECOND_CLAIM}),
)

CANCEL_CLAIM = (
    Example("canceled", "The second claim canceled before it went to the payer", 200, None,
            {**_SECOND_BUILT, "status": "canceled", "allowed_actions": [], "balance": "0.00",
             "timely_filing_days_left": None, "version": 3,
             "updated_at": "2026-12-05T16:38:41.307627Z"}, parameters={"claim_id": SECOND_CLAIM}),
    Example("sent", "A claim the payer holds: void or correct it instead", 409, None,
            _refused_while_submitted("cancel", "canceled", "cancel"),
            parameters={"claim_id": CLAIM}),
)

CORRECT_CLAIM = (
    Example("not_adjudicated", "A claim the payer has not adjudicated", 409,
            {"encounter_coding_version": 1},
            _refused_while_submitted("correct", "corrected", "corrections"),
            parameters={"claim_id": CLAIM}),
)

CLAIM_EVENTS = (
    Example("history", "Each transition, oldest first", 200, None,
            {"items": [{"id": 1, "at": "2026-12-05T16:38:41.218726Z", "actor": "key:90db94607739",
                        "action": "create", "from": None, "to": "ready",
                        "reason": "Built from coding version 1 of the encounter", "carc": [],
                        "rarc": [], "data": {"scrub_errors": 0}},
                       {"id": 4, "at": "2026-12-05T16:38:41.286145Z", "actor": "key:90db94607739",
                        "action": "submit", "from": "ready", "to": "submitted", "reason": None,
                        "carc": [], "rarc": [],
                        "data": {"submission_id": "6b446a486e81477499626fedaeb37856"}}],
             "next_cursor": None},
            parameters={"claim_id": CLAIM}),
)

CLAIM_REMITTANCE = (
    Example("awaiting", "A submitted claim the payer has not paid yet", 200, None,
            {"claim_id": "b6dc6ece-fa32-4108-8eb2-aafdf81eda94", "status": "submitted",
             "remittances": [],
             "totals": {"billed": "180.00", "allowed": "0.00", "paid": "0.00",
                        "patient_responsibility": "0.00", "adjustments": "0.00",
                        "balance": "180.00", "underpaid": "0.00"},
             "payers": [{"claim_id": "b6dc6ece-fa32-4108-8eb2-aafdf81eda94", "payer_id": "MOCK-PPO",
                         "payer_sequence": "primary", "status": "submitted", "paid": "0.00",
                         "patient_responsibility": "0.00"}],
             "patient_owes": "0.00"},
            parameters={"claim_id": CLAIM}),
)
