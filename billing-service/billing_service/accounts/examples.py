"""The documented examples of a patient's account (rcm_shared.openapi.Example), sent after the
statement's by tests/contract/test_examples.py, which checks each answer's status: a payment
at the visit while the claims await the payer, kept unapplied; a refund and a write-off
refused, the patient owing nothing yet and the account holding no credit."""

from __future__ import annotations

from typing import Any

from rcm_shared.openapi import Example

RECORD_PAYMENT = (
    Example("at_the_visit", "Paid by card at the visit, before the payer answered: kept unapplied",
            201, {"amount": "40.00", "method": "card", "reference": "auth 0931",
                  "received_on": "2026-05-04"},
            {"id": "ee68ebeb-859c-4512-9226-1861a2f90d4a", "patient_id": "MRN-77",
             "kind": "patient_payment", "amount": "40.00", "method": "card",
             "reference": "auth 0931", "received_on": "2026-05-04", "reason": None,
             "applied_to": [], "unapplied": "40.00", "posted_at": "2026-12-05T16:38:41.434726Z"},
            parameters={"patient_id": "MRN-77"}),
)


def _amount_refused(endpoint: str, rule: str, message: str) -> dict[str, Any]:
    """The 422 of a transaction whose amount the account cannot take."""
    return {"type": "https://rcm.dev/problems/validation", "title": "Invalid patient transaction",
            "status": 422, "detail": message, "instance": f"/v1/patients/MRN-77/{endpoint}",
            "issues": [{"rule": rule, "severity": "error", "path": "amount", "message": message}]}


RECORD_REFUND = (
    Example("no_credit", "A refund while the account holds no credit: its visits await the "
            "payer", 422, {"amount": "15.00", "method": "check", "reference": "10452"},
            _amount_refused("refunds", "refund.credit",
                            "a refund may return at most the account's credit of 0.00"),
            parameters={"patient_id": "MRN-77"}),
)

RECORD_ADJUSTMENT = (
    Example("nothing_owed", "A write-off while the patient owes nothing", 422,
            {"amount": "10.00", "reason": "small_balance"},
            _amount_refused("adjustments", "adjustment.owed",
                            "a write-off may take at most what the patient owes: 0.00"),
            parameters={"patient_id": "MRN-77"}),
)

PATIENT_LEDGER = (
    Example("ledger", "The account's entries with the running balance", 200, None,
            {"items": [{"id": "charge-b6dc6ece-fa32-4108-8eb2-aafdf81eda94",
                        "posted_at": "2026-12-05T16:38:41.214520Z", "kind": "charge",
                        "claim_id": "b6dc6ece-fa32-4108-8eb2-aafdf81eda94", "amount": "180.00",
                        "balance": "180.00"},
                       {"id": "charge-b6a74fe7-a2be-45c9-9b3b-04eb646b2204",
                        "posted_at": "2026-12-05T16:38:41.434726Z", "kind": "patient_payment",
                        "claim_id": None, "amount": "-40.00", "balance": "140.00"}],
             "next_cursor": None, "balance": "140.00"},
            parameters={"patient_id": "MRN-77"}),
)
