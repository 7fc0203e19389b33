"""The documented examples of a claim's appeals (rcm_shared.openapi.Example), sent after the
claim examples by tests/contract/test_examples.py, which checks each answer's status: the
submitted claim has nothing denied to appeal."""

from __future__ import annotations

from billing_service.claims.examples import CLAIM
from rcm_shared.openapi import Example

CREATE_APPEAL = (
    Example("nothing_denied", "An appeal of a claim the payer denied nothing on", 409,
            {"level": 1, "reason": "The visit is a separately identifiable service on the day "
                                   "of the procedure: the record documents it and the line "
                                   "carries modifier 25."},
            {"type": "https://rcm.dev/problems/conflict", "title": "Conflict", "status": 409,
             "detail": "The claim is 'submitted' with nothing denied: only a denied or "
                       "partially paid claim with a denial can be appealed.",
             "instance": "/v1/claims/b6dc6ece-fa32-4108-8eb2-aafdf81eda94/appeals", "field": "$",
             "rule": "appeal.not_allowed", "claim_status": "submitted"},
            parameters={"claim_id": CLAIM}),
)

LIST_APPEALS = (
    Example("none", "The claim's appeals: none", 200, None,
            {"items": [], "next_cursor": None}, parameters={"claim_id": CLAIM}),
)
