"""How the audit trail names what a request did, from its method and route."""

import pytest

from rcm_shared.audit import action_of


@pytest.mark.parametrize(
    "method, route, has_id, action",
    [
        ("GET", "/v1/encounters/{encounter_id}", True, "read"),
        ("GET", "/v1/encounters/{encounter_id}/events", True, "read"),
        ("GET", "/v1/encounters", False, "list"),
        ("POST", "/v1/encounters", False, "create"),
        ("PUT", "/v1/encounters/{encounter_id}/codes", True, "update"),
        ("PATCH", "/v1/coverages/{coverage_id}", True, "update"),
        ("DELETE", "/v1/webhooks/{webhook_id}", True, "delete"),
        ("POST", "/v1/encounters/{encounter_id}/finalize", True, "finalize"),
        ("POST", "/v1/encounters/{encounter_id}/reopen", True, "reopen"),
        ("POST", "/v1/claims/{claim_id}/void", True, "void"),
        ("POST", "/v1/encounters/{encounter_id}/queries/{query_id}/answer", True, "answer"),
    ],
)
def test_action_of(method: str, route: str, has_id: bool, action: str) -> None:
    assert action_of(method, route, has_id) == action
