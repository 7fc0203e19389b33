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
