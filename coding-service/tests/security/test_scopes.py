"""Scopes on every endpoint: read-only keys cannot write, only admin keys reach admin routes.

The routes and the scope each one needs are read from the app itself, so a new endpoint is
covered (or flagged) without anyone remembering this file.
"""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI

from rcm_shared.testing.routes import operations, required_scopes

KEYS = {
    "full": ("demo-key-clinic-a", {"coding:read", "coding:write", "admin"}),
    "readonly": ("demo-key-clinic-a-readonly", {"coding:read"}),
    "coder": ("demo-key-clinic-a-coder", {"coding:read", "coding:write"}),
    # Billing's keys reach coding-service too (billing reads finalized encounters with them).
    "biller": ("demo-key-clinic-a-biller", {"coding:read"}),
}
# POSTs that change nothing: answering them only needs the right to read.
READ_ONLY_POSTS = {"/v1/validate", "/v1/validate/batch"}
UNKNOWN_ID = "00000000-0000-0000-0000-000000000000"


def test_every_route_needs_exactly_one_scope_and_writes_need_more_than_read(app: FastAPI
                                                                           ) -> None:
    seen = 0
    for method, route in operations(app):
        scopes = required_scopes(route)
        assert len(scopes) == 1, f"{method} {route.path} needs one scope, has {scopes}"
        if method != "GET" and route.path not in READ_ONLY_POSTS:
            assert scopes <= {"coding:write", "admin"}, f"{method} {route.path}: {scopes}"
        seen += 1
    assert seen >= 20


def _url(path: str) -> str:
    """The route with well-formed values for its path parameters."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "number":
            return "1"
        if name == "code":
            return "E11.9" if "icd10cm" in path else "99213"
        return UNKNOWN_ID

    return re.sub(r"\{(\w+)\}", value, path)


@pytest.mark.parametrize("key_name", list(KEYS))
async def test_a_key_is_refused_exactly_where_it_lacks_the_scope(app, client,
                                                                 key_name: str) -> None:
    key, held = KEYS[key_name]
    headers = {"Authorization": f"Bearer {key}"}
    refused, allowed = [], []
    for method, route in operations(app):
        [needed] = required_scopes(route)
        # An empty JSON body: a key with the scope gets past the check and fails validation
        # (or finds nothing), so no request here changes anything.
        response = await client.request(method, _url(route.path), headers=headers,
                                        json={} if method in ("POST", "PUT") else None)
        if needed in held or "admin" in held:
            assert response.status_code != 403, f"{method} {route.path}: {response.text}"
            allowed.append(route.path)
        else:
            assert response.status_code == 403, f"{method} {route.path}: {response.status_code}"
            assert response.headers["content-type"] == "application/problem+json"
            refused.append((method, route.path))
    if key_name == "readonly":
        assert ("POST", "/v1/encounters") in refused and ("GET", "/v1/audit") in refused
        assert ("PUT", "/v1/encounters/{encounter_id}/codes") in refused
        assert ("DELETE", "/v1/webhooks/{webhook_id}") in refused
    if key_name == "coder":
        assert {path for _, path in refused} == {
            "/v1/audit", "/v1/webhooks", "/v1/webhooks/{webhook_id}",
            "/v1/webhooks/{webhook_id}/deliveries"}
    if key_name == "full":
        assert refused == []


async def test_a_request_without_a_key_or_with_an_unknown_one_is_401(app, client) -> None:
    for method, route in operations(app):
        for headers in ({"Authorization": ""}, {"Authorization": "Bearer nope"}):
            response = await client.request(method, _url(route.path), headers=headers)
            assert response.status_code == 401, f"{method} {route.path}"
            assert response.headers["www-authenticate"] == "Bearer"
