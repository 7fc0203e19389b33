"""The documented examples of GET /v1/events (rcm_shared.openapi.Example), sent by
tests/contract/test_examples.py after the encounter examples, which checks the answer's
status."""

from __future__ import annotations

from rcm_shared.openapi import Example

EVENTS = (
    Example("from_the_start", "The feed read from its start", 200, None,
            {"items": [{"cursor": "WzNd.5OwJGaxnMYu0", "type": "encounter.finalized",
                        "encounter_id": "84b9daa6-ab21-4a13-81fe-a9d7b47b27ff", "coding_version": 1,
                        "occurred_at": "2026-12-05T16:29:21.642833Z"},
                       {"cursor": "WzRd.FnmMNPf9wlSr", "type": "encounter.reopened",
                        "encounter_id": "84b9daa6-ab21-4a13-81fe-a9d7b47b27ff", "coding_version": 2,
                        "occurred_at": "2026-12-05T16:29:21.673872Z"}],
             "next_cursor": "WzRd.FnmMNPf9wlSr"}),
)
