"""Scopes on every billing endpoint: a read-only key cannot write, only admin keys reach the
admin endpoints, and the webhook answers to its signature alone.

The routes and the scope each needs are read from the app itself, so a new endpoint is
covered (or flagged) without anyone remembering this file.
"""

from __future__ import annotations

import pytest
from billing_routes import SIGNED_ROUTES, STATELESS_POSTS, UNKNOWN_ID, filled, path_params
from fastapi import FastAPI

from rcm_shared.testing.routes import operations, required_scopes

KEYS = {
    "full": ("demo-key-clinic-a", {"billing:read", "billing:write", "admin"}),
    "readonly": ("demo-key-clinic-a-readonly", {"billing:read"}),
    "biller": ("demo-key-clinic-a-biller", {"billing:read", "billing:write"}),
    # coding-service's key for coders: nothing in billing.
    "coder": ("demo-key-clinic-a-coder", set()),
}
ADMIN_ONLY = {("POST", "/v1/admin/process"), ("GET", "/v1/audit")}


def _url(path: str) -> str:
    return filled(path, dict.fromkeys(path_params(path), UNKNOWN_ID) | {"payer_id": "NOPE"})


def test_every_route_needs_exactly_one_scope_and_writes_need_more_than_read(app: FastAPI
                                                                           ) -> None:
    seen = set()
    for method, route in operations(app):
        scopes = required_scopes(route)
        if route.path in SIGNED_ROUTES:
            assert scopes == set(), f"{method} {route.path} is signed, not keyed"
            continue
        assert len(scopes) == 1, f"{method} {route.path} needs one scope, has {scopes}"
        if method != "GET" and route.path not in STATELESS_POSTS:
            assert scopes <= {"billing:write", "admin"}, f"{method} {route.path}: {scopes}"
        if scopes == {"admin"}:
            seen.add((method, route.path))
    assert seen == ADMIN_ONLY


@pytest.mark.parametrize("key_name", list(KEYS))
async def test_a_key_is_refused_exactly_where_it_lacks_the_scope(app, client,
                                                                 key_name: str) -> None:
    key, held = KEYS[key_name]
    headers = {"Authorization": f"Bearer {key}"}
    refused, allowed = [], []
    for method, route in operations(app):
        if route.path in SIGNED_ROUTES:
            continue
        [needed] = required_scopes(route)
        # Unknown ids and empty bodies: a key with the scope gets past the check and finds
        # nothing or fails validation, so no request here changes anything (but the admin
        # process run, which only sends clinic-a's queue as the worker would).
        response = await client.request(method, _url(route.path), headers=headers,
                                        json={} if method in ("POST", "PATCH") else None)
        if needed in held or "admin" in held:
            assert response.status_code != 403, f"{method} {route.path}: {response.text}"
            allowed.append((method, route.path))
        else:
            assert response.status_code == 403, f"{method} {route.path}: {response.status_code}"
            assert response.headers["content-type"] == "application/problem+json"
            refused.append((method, route.path))
    if key_name == "readonly":
        writes = {(m, r.path) for m, r in operations(app)
                  if m != "GET" and r.path not in STATELESS_POSTS}
        assert writes <= set(refused)
        assert {("POST", "/v1/claims"), ("POST", "/v1/claims/{claim_id}/submit"),
                ("PATCH", "/v1/coverages/{coverage_id}"), ("POST", "/v1/remittances")} <= writes
        assert set(refused) >= ADMIN_ONLY
        assert ("POST", "/v1/claims/x12-batch") in allowed
    if key_name == "biller":
        assert set(refused) == ADMIN_ONLY
    if key_name == "coder":
        assert allowed == []
    if key_name == "full":
        assert refused == []


async def test_a_request_without_a_key_or_with_an_unknown_one_is_401(app, client) -> None:
    for method, route in operations(app):
        if route.path in SIGNED_ROUTES:
            continue
        for headers in ({"Authorization": ""}, {"Authorization": "Bearer nope"}):
            response = await client.request(method, _url(route.path), headers=headers)
            assert response.status_code == 401, f"{method} {route.path}"
            assert response.headers["www-authenticate"] == "Bearer"


async def test_an_api_key_does_not_stand_in_for_the_webhook_signature(client) -> None:
    # clinic-a's key has every scope; the webhook still wants coding-service's signature.
    response = await client.post("/v1/webhooks/coding", json={
        "id": "1", "tenant_id": "clinic-a", "cursor": "c", "type": "encounter.finalized",
        "encounter_id": "enc-0001", "coding_version": 1, "occurred_at": "2026-01-01T10:00:00Z"})
    assert response.status_code == 401
    assert response.json()["detail"] == "The webhook-signature does not verify."
