"""The documented examples of coding-service's events as billing receives them
(rcm_shared.openapi.Example), sent by tests/contract/test_examples.py, which checks each
answer's status. A delivery's signature covers its timestamp, which must be recent: the one
shown is refused, as any delivery whose signature does not verify."""

from __future__ import annotations

from rcm_shared.openapi import Example

# coding-service's encounter example finalized, as its feed and webhooks carry it.
_EVENT = {"id": "3", "tenant_id": "clinic-a", "cursor": "WzNd.pZ0mRk5sYJ1d",
          "type": "encounter.finalized", "encounter_id": "84b9daa6-ab21-4a13-81fe-a9d7b47b27ff",
          "coding_version": 1, "occurred_at": "2026-12-05T13:51:44.719534Z"}

CODING_WEBHOOK = (
    Example("unsigned", "A delivery without coding-service's signature", 401, _EVENT,
            {"type": "https://rcm.dev/problems/bad-webhook-signature", "title": "Unauthorized",
             "status": 401, "detail": "The webhook-signature does not verify.",
             "instance": "/v1/webhooks/coding"}),
)

LIST_CODING_EVENTS = (
    Example("none_yet", "No event received: the claims here were built by POST /v1/claims",
            200, None,
            {"items": [], "next_cursor": None}),
)
