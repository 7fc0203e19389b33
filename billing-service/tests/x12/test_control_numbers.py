"""Interchange control numbers (ISA13 = GS06 = BHT03) are counted per tenant and sender: one
tenant's numbers say nothing of another's volume, and within a tenant and sender no number
is ever drawn twice, however many writers draw at once."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from billing_service.interchanges.repository import InterchangeRepository
from billing_service.x12.syntax import read_interchange

KEYS = {"clinic-a": {"Authorization": "Bearer demo-key-clinic-a"},
        "clinic-b": {"Authorization": "Bearer demo-key-clinic-b"}}


async def batch_number(billing: Any, client: Any, tenant: str) -> int:
    """The control number of a new one-claim batch export of `tenant`'s."""
    headers = KEYS[tenant]
    body = billing.coding.add(tenant=tenant)
    coverage = await client.post("/v1/coverages", headers=headers, json={
        "patient_id": body["patient"]["id"], "payer_id": "MOCK-PPO",
        "member_id": f"W{uuid.uuid4().int % 10**9:09d}", "group_number": "G-100",
        "relationship": "self", "effective_from": "2020-01-01",
        "subscriber": {"first_name": "Ana", "last_name": "Silva",
                       "birth_date": "1980-02-01", "sex": "F"}})
    assert coverage.status_code == 201, coverage.text
    claim = await client.post("/v1/claims", headers=headers,
                              json={"encounter_id": body["encounter_id"]})
    assert claim.status_code == 201, claim.text
    response = await client.post("/v1/claims/x12-batch", headers=headers,
                                 json={"claim_ids": [claim.json()["id"]]})
    assert response.status_code == 200, response.text
    return int(read_interchange(response.text).control_number)


async def test_each_tenant_counts_its_own_interchanges(billing, client) -> None:
    turns = ["clinic-a", "clinic-b", "clinic-a", "clinic-b", "clinic-b", "clinic-a"]
    numbers = [(tenant, await batch_number(billing, client, tenant)) for tenant in turns]
    a = [number for tenant, number in numbers if tenant == "clinic-a"]
    b = [number for tenant, number in numbers if tenant == "clinic-b"]
    # Another tenant's interchanges in between leave no gap in either tenant's sequence.
    assert a == list(range(a[0], a[0] + 3))
    assert b == list(range(b[0], b[0] + 3))


async def test_a_new_tenant_and_each_sender_start_their_own_sequence(app) -> None:
    tenant = f"tenant-{uuid.uuid4().hex[:8]}"
    async with app.state.sessionmaker() as session, session.begin():
        drawn = [await InterchangeRepository(session, tenant).next_control_number(sender)
                 for sender in ("SENDER1", "SENDER1", "SENDER2", "SENDER1")]
    assert drawn == [1, 2, 1, 3]


async def test_concurrent_writers_never_draw_the_same_number(app) -> None:
    tenant = f"tenant-{uuid.uuid4().hex[:8]}"

    async def draw() -> int:
        async with app.state.sessionmaker() as session, session.begin():
            return await InterchangeRepository(session, tenant).next_control_number("RCMBILLING")

    drawn = await asyncio.gather(*(draw() for _ in range(20)))
    assert sorted(drawn) == list(range(1, 21))
