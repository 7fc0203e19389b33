"""The documented example of POST /v1/admin/process (rcm_shared.openapi.Example): an answer
only, since what it does depends on every submission queued before it and on the day (a
payer's timely filing); tests/contract/test_examples.py names it NOT_SENT."""

from __future__ import annotations

from rcm_shared.openapi import Example

PROCESS = (
    Example("idle", "One round, nothing queued and no payer answer to apply", 200,
            response={"rounds": 1, "sent": 0, "retrying": 0, "responses_applied": 0,
                      "pending_jobs": 0}),
)
