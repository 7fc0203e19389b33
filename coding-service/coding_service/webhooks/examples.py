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
    Example("reopened_too", "A second subscription, to reopened encounters as well; the "
            "service makes its secret", 201,
            {"url": "https://audit.example.com/hooks/coding",
             "events": ["encounter.finalized", "encounter.reopened"]},
            {"id": "0afeb82a-2123-4d9d-8f06-59f540f4d21f",
             "url": "https://audit.example.com/hooks/coding",
             "events": ["encounter.finalized", "encounter.reopened"], "enabled": True,
             "consecutive_failures": 0, "disabled_at": None,
             "created_at": "2026-12-05T16:29:21.786866Z",
             "secret": "whsec_znHzB8zwrRYm6xGBDe98BbSPVUV4pyqnzLSMEHU2hIg="}),
)

_ID = "d347d2ab-e00b-4f52-b7cd-e79a5f05d48d"  # the subscription CREATE_WEBHOOK's answer shows
_SECOND = "0afeb82a-2123-4d9d-8f06-59f540f4d21f"  # the second one's, which DELETE_WEBHOOK ends
_UNKNOWN = "3f1c2a9e-0000-4000-8000-000000000000"

LIST_WEBHOOKS = (
    Example("subscriptions", "The tenant's subscriptions", 200, None,
            {"items": [{"id": "d347d2ab-e00b-4f52-b7cd-e79a5f05d48d",
                        "url": "https://billing.example.com/v1/webhooks/coding",
                        "events": ["encounter.finalized"], "enabled": True,
                        "consecutive_failures": 0, "disabled_at": None,
                        "created_at": "2026-12-05T16:29:21.774259Z"},
                       {"id": "0afeb82a-2123-4d9d-8f06-59f540f4d21f",
                        "url": "https://audit.example.com/hooks/coding",
                        "events": ["encounter.finalized", "encounter.reopened"], "enabled": True,
                        "consecutive_failures": 0, "disabled_at": None,
                        "created_at": "2026-12-05T16:29:21.786866Z"}],
             "next_cursor": None}),
)

GET_WEBHOOK = (
    Example("read", "One subscription (its secret is never shown again)", 200, None,
            {"id": "d347d2ab-e00b-4f52-b7cd-e79a5f05d48d",
             "url": "https://billing.example.com/v1/webhooks/coding",
             "events": ["encounter.finalized"], "enabled": True, "consecutive_failures": 0,
             "disabled_at": None, "created_at": "2026-12-05T16:29:21.774259Z"},
            parameters={"webhook_id": _ID}),
    Example("unknown", "An id the tenant has no subscription with", 404, None,
            {"type": "https://rcm.dev/problems/not-found", "title": "Not Found", "status": 404,
             "detail": "No webhook subscription with that id.",
             "instance": "/v1/webhooks/3f1c2a9e-0000-4000-8000-000000000000"},
            parameters={"webhook_id": _UNKNOWN}),
)

DELETE_WEBHOOK = (
    Example("deleted", "The second subscription ended", 204,
            parameters={"webhook_id": _SECOND}),
    Example("already_deleted", "Deleted again", 404, None,
            {"type": "https://rcm.dev/problems/not-found", "title": "Not Found", "status": 404,
             "detail": "No webhook subscription with that id.",
             "instance": "/v1/webhooks/0afeb82a-2123-4d9d-8f06-59f540f4d21f"},
            parameters={"webhook_id": _SECOND}),
)

LIST_DELIVERIES = (
    Example("deliveries", "The first subscription's deliveries: none, no event since it began",
            200, None,
            {"items": [], "next_cursor": None}, parameters={"webhook_id": _ID}),
)
