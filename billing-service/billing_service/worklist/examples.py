"""The documented example of GET /v1/worklist (rcm_shared.openapi.Example), sent after the
claim and patient examples by tests/contract/test_examples.py, which checks its status."""

from __future__ import annotations

from rcm_shared.openapi import Example

WORKLIST = (
    Example("today", "Nothing to act on yet: the submitted claim awaits the payer, aged by its "
            "date of service", 200, None,
            {"items": [], "next_cursor": None, "unanswered_after_days": 30,
             "aging": {"as_of": "2026-12-05",
                       "basis": "days since the date of service; balance = billed minus posted "
                                "payments and adjustments",
                       "buckets": [{"label": "0-30", "count": 0, "amount": "0.00"},
                                   {"label": "31-60", "count": 0, "amount": "0.00"},
                                   {"label": "61-90", "count": 0, "amount": "0.00"},
                                   {"label": "90+", "count": 1, "amount": "180.00"}],
                       "total_count": 1, "total_amount": "180.00"},
             "denials": [{"category": "eligibility", "claims": 0, "denials": 0},
                         {"category": "authorization", "claims": 0, "denials": 0},
                         {"category": "coding", "claims": 0, "denials": 0},
                         {"category": "medical_necessity", "claims": 0, "denials": 0},
                         {"category": "timely_filing", "claims": 0, "denials": 0},
                         {"category": "duplicate", "claims": 0, "denials": 0},
                         {"category": "bundling", "claims": 0, "denials": 0},
                         {"category": "other", "claims": 0, "denials": 0}],
             "credits": [], "underpayments": {"payers": [], "total": "0.00"}}),
)
