"""The documented examples of POST /v1/webhooks (rcm_shared.openapi.Example): each request is
sent by tests/contract/test_examples.py, which checks the answer's status; a problem the
schema already rules out is shown by its answer alone (a request example must fit the
schema)."""

from __future__ import annotations

from typing import Any

from rcm_shared.openapi import Example

_URL = "https://billing.example.com/v1/webhooks/coding"
_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

_ID = "d347d2ab-e00b-4f52-b7cd-e79a5f05d48d"  # the subscription CREATE_WEBHOOK's answer shows
_SECOND = "0afeb82a-2123-4d9d-8f06-59f540f4d21f"  # the second one's, which DELETE_WEBHOOK ends
_UNKNOWN = "3f1c2a9e-0000-4000-8000-000000000000"

# The two subscriptions as read (a secret is shown only in the answer that subscribes).
_BILLING: dict[str, Any] = {
    "id": _ID, "url": _URL, "events": ["encounter.finalized"], "enabled": True,
    "consecutive_failures": 0, "disabled_at": None, "created_at": "2026-12-05T16:29:21.774259Z",
}
_AUDIT: dict[str, Any] = {
    **_BILLING, "id": _SECOND, "url": "https://audit.example.com/hooks/coding",
    "events": ["encounter.finalized", "encounter.reopened"],
    "created_at": "2026-12-05T16:29:21.786866Z",
}


def _not_found(webhook_id: str) -> dict[str, Any]:
    return {"type": "https://rcm.dev/problems/not-found", "title": "Not Found", "status": 404,
            "detail": "No webhook subscription with that id.",
            "instance": f"/v1/webhooks/{webhook_id}"}


CREATE_WEBHOOK = (
    Example("subscribed", "Billing subscribes to finalized encounters with its own secret",
            201, {"url": _URL, "events": ["encounter.finalized"], "secret": _SECRET},
            {**_BILLING, "created_at": "2026-12-05T13:21:55.525722Z", "secret": _SECRET}),
    Example("not_http", "The answer to a URL that is neither http nor https", 422, None, {
                "type": "https://rcm.dev/problems/validation",
                "title": "Request validation failed", "status": 422,
                "detail": "The request does not match the schema at: $.url.",
                "instance": "/v1/webhooks",
                "issues": [{"rule": "schema.url_scheme", "severity": "error", "path": "$.url",
                            "message": "URL scheme should be 'http' or 'https'"}]}),
    Example("reopened_too", "A second subscription, to reopened encounters as well; the "
            "service makes its secret", 201,
            {"url": _AUDIT["url"], "events": _AUDIT["events"]},
            {**_AUDIT, "secret": "whsec_znHzB8zwrRYm6xGBDe98BbSPVUV4pyqnzLSMEHU2hIg="}),
)

LIST_WEBHOOKS = (
    Example("subscriptions", "The tenant's subscriptions", 200, None,
            {"items": [_BILLING, _AUDIT], "next_cursor": None}),
)

GET_WEBHOOK = (
    Example("read", "One subscription (its secret is never shown again)", 200, None, _BILLING,
            parameters={"webhook_id": _ID}),
    Example("unknown", "An id the tenant has no subscription with", 404, None,
            _not_found(_UNKNOWN), parameters={"webhook_id": _UNKNOWN}),
)

DELETE_WEBHOOK = (
    Example("deleted", "The second subscription ended", 204,
            parameters={"webhook_id": _SECOND}),
    Example("already_deleted", "Deleted again", 404, None, _not_found(_SECOND),
            parameters={"webhook_id": _SECOND}),
)

LIST_DELIVERIES = (
    Example("deliveries", "The first subscription's deliveries: none, no event since it began",
            200, None,
            {"items": [], "next_cursor": None}, parameters={"webhook_id": _ID}),
)
