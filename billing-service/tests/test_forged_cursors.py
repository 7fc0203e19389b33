"""A cursor is passed back unchanged; a forged one answers 400, never a 500."""

from __future__ import annotations

import pytest

from rcm_shared.pagination import encode_cursor

FORGED = [encode_cursor("2026-01-01T00:00:00", "x"), encode_cursor(1e30, "x"),
          encode_cursor(2**63, "x"), "not-a-cursor"]


@pytest.mark.parametrize("cursor", FORGED)
@pytest.mark.parametrize("path", ["/v1/claims", "/v1/coverages", "/v1/worklist"])
async def test_forged_list_cursors_are_400(client, path: str, cursor: str) -> None:
    response = await client.get(path, params={"cursor": cursor})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("cursor", [encode_cursor(2**63), encode_cursor(-1), encode_cursor(1e30)])
async def test_forged_event_cursors_are_400(client, cursor: str) -> None:
    response = await client.get("/v1/coding-events", params={"cursor": cursor})
    assert response.status_code == 400
