"""The documented examples of POST /v1/webhooks (rcm_shared.openapi.Example): each request is
sent by tests/contract/test_examples.py, which checks the answer's status; a problem the
schema already rules out is shown by its answer alone (a request example must fit the
schema)."""

from __future__ import annotations

from rcm_shared.openapi import Example

_URL = "https://billing.example.com/v1/webhooks/coding"
_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

CREATE_WEBHOOK = (
    Example("subscribed", "Billing subscribes to finalized encounters with its own secret",
            201, {"url": _URL, "events": ["encounter.finalized"], "secret": _SECRET}, {
                "id": "d347d2ab-e00b-4f52-b7cd-e79a5f05d48d", "url": _URL,
                "events": ["encounter.finalized"], "enabled": True,
                "consecutive_failures": 0, "disabled_at": None,
                "created_at": "2026-12-05T13:21:55.525722Z", "secret": _SECRET}),
    Example("not_http", "The answer to a URL that is neither http nor https", 422, None, {
                "type": "https://rcm.dev/problems/validation",
                "title": "Request validation failed", "status": 422,
                "detail": "The request does not match the schema at: $.url.",
                "instance": "/v1/webhooks",
                "issues": [{"rule": "schema.url_scheme", "severity": "error", "path": "$.url",
                            "message": "URL scheme should be 'http' or 'https'"}]}),
)
