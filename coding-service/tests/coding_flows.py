"""Encounter steps over HTTP that several test packages take: create, code, finalize."""

from __future__ import annotations

from typing import Any

import httpx
from coding_factories import clean_codes, encounter_body


async def create_encounter(client: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
    response = await client.post("/v1/encounters", json=encounter_body(**overrides))
    assert response.status_code == 201, response.text
    return response.json()


async def coded_encounter(client: httpx.AsyncClient) -> dict[str, Any]:
    encounter = await create_encounter(client)
    response = await client.put(f"/v1/encounters/{encounter['id']}/codes", json=clean_codes(),
                                headers={"If-Match": str(encounter["version"])})
    assert response.status_code == 200, response.text
    return response.json()


async def finalized_encounter(client: httpx.AsyncClient) -> dict[str, Any]:
    encounter = await coded_encounter(client)
    response = await client.post(f"/v1/encounters/{encounter['id']}/finalize")
    assert response.status_code == 200, response.text
    return response.json()
