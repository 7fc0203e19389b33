"""The documented examples of POST /v1/remittances (rcm_shared.openapi.Example): answers only,
since its body is X12 text, not JSON (tests/contract/test_examples.py names it NOT_SENT)."""

from __future__ import annotations

from rcm_shared.openapi import Example

POST_REMITTANCE = (
    Example("unreadable", "A body that is not an 835", 422, response={
        "type": "https://rcm.dev/problems/x12", "title": "Not a readable 835", "status": 422,
        "detail": "segment 1: an X12 interchange starts with an ISA segment",
        "instance": "/v1/remittances",
        "issues": [{"rule": "x12.syntax", "severity": "error", "path": "segment 1",
                    "message": "an X12 interchange starts with an ISA segment"}]}),
)
