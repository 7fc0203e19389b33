"""The documented example of GET /v1/patients/{patient_id}/statement
(rcm_shared.openapi.Example), sent after the claim examples by tests/contract/test_examples.py,
which checks its status."""

from __future__ import annotations

from rcm_shared.openapi import Example

STATEMENT = (
    Example("awaiting_insurance", "The patient of the claim examples: the visit awaits the "
            "payer", 200, None,
            {"patient_id": "MRN-77", "generated_at": "2026-12-05T16:38:41.414345Z",
             "claims": [{"claim_id": "b6dc6ece-fa32-4108-8eb2-aafdf81eda94",
                         "date_of_service": "2026-05-04", "payer_id": "MOCK-PPO",
                         "payer_sequence": "primary", "status": "submitted",
                         "status_text": "Your insurer has this visit and is reviewing it.",
                         "billed": "180.00", "allowed": "0.00", "insurance_paid": "0.00",
                         "plan_discount": "0.00", "you_owe": "0.00", "still_owed": "0.00",
                         "explanation": []}],
             "totals": {"billed": "180.00", "insurance_paid": "0.00", "plan_discount": "0.00",
                        "you_owe": "0.00", "payments": "0.00", "refunds": "0.00",
                        "write_offs": "0.00", "still_owed": "0.00", "awaiting_insurance": "180.00",
                        "balance": "180.00"},
             "aging": [{"bucket": "0-30", "amount": "0.00"}, {"bucket": "31-60", "amount": "0.00"},
                       {"bucket": "61-90", "amount": "0.00"}, {"bucket": "90+", "amount": "0.00"}],
             "summary": "You owe $0.00 for 1 visit."}, parameters={"patient_id": "MRN-77"}),
    Example("unknown", "A patient the tenant has no claim or payment for", 404, None,
            {"type": "https://rcm.dev/problems/not-found", "title": "Not Found", "status": 404,
             "detail": "No patient with claims or payments with that id.",
             "instance": "/v1/patients/MRN-404/statement"},
            parameters={"patient_id": "MRN-404"}),
)
