"""Concurrent PATCHes of one coverage with the same If-Match: the row is locked while it is
checked and changed, so exactly one wins and every other answers 412, no change lost."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest


@pytest.mark.parametrize("writers", [20])
async def test_one_of_many_concurrent_patches_wins_the_others_are_stale(
    billing: Any, writers: int
) -> None:
    coverage = await billing.coverage(billing.coding.add()["patient"]["id"])
    url = f"/v1/coverages/{coverage['id']}"

    async def patch(n: int) -> Any:
        return await billing.http.patch(url, json={"group_number": f"G-{n}"},
                                        headers={"If-Match": "1"})

    responses = await asyncio.gather(*(patch(n) for n in range(writers)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [412] * (writers - 1)
    [winner] = [r.json() for r in responses if r.status_code == 200]
    for stale in (r for r in responses if r.status_code == 412):
        assert stale.json()["current_version"] == 2
    stored = await billing.get(url)
    assert (stored["version"], stored["group_number"]) == (2, winner["group_number"])


@pytest.mark.parametrize("writers", [10])
async def test_concurrent_primaries_of_one_patient_make_one_coverage(
    billing: Any, writers: int
) -> None:
    patient = billing.coding.add()["patient"]["id"]
    body = {"patient_id": patient, "payer_id": "MOCK-PPO", "member_id": "W123456789",
            "relationship": "self",
            "subscriber": {"first_name": "Ana", "last_name": "Silva",
                           "birth_date": "1980-02-01", "sex": "F"},
            "effective_from": "2026-01-01"}
    responses = await asyncio.gather(
        *(billing.http.post("/v1/coverages", json=body) for _ in range(writers)))
    assert sorted(r.status_code for r in responses) == [201] + [409] * (writers - 1)
    listed = await billing.http.get("/v1/coverages", params={"patient_id": patient})
    assert len(listed.json()["items"]) == 1
