"""GET /v1/claims/{id}/x12 is a read: asked again it answers the same text and writes
nothing; once the claim was sent, it is the very interchange the payer received. Only a
claim whose 837P changed is written again, under a control number never used before."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from billing_service.models.x12 import X12Interchange
from billing_service.x12.syntax import read_interchange
from billing_service.x12.validation import pyx12_findings

READ_ONLY = {"Authorization": "Bearer demo-key-clinic-a-readonly"}


async def interchanges(app: Any, claim_id: str | None = None) -> list[X12Interchange]:
    async with app.state.sessionmaker() as session:
        query = select(X12Interchange).order_by(X12Interchange.control_number)
        if claim_id is not None:
            query = query.where(X12Interchange.claim_id == claim_id)
        return list(await session.scalars(query))


async def interchange_count(app: Any) -> int:
    async with app.state.sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(X12Interchange)) or 0


async def export(client: Any, claim_id: str, headers: dict[str, str] | None = None) -> str:
    response = await client.get(f"/v1/claims/{claim_id}/x12", headers=headers)
    assert response.status_code == 200, response.text
    return response.text


async def test_reading_again_answers_the_same_text_and_writes_nothing(
    app, billing, client
) -> None:
    claim = await billing.covered_claim()
    first = await export(client, claim["id"])
    assert pyx12_findings(first) == []
    before = await interchange_count(app)
    assert [await export(client, claim["id"]) for _ in range(2)] == [first, first]
    assert await export(client, claim["id"], READ_ONLY) == first
    assert await interchange_count(app) == before
    [kept] = await interchanges(app, claim["id"])
    assert (kept.purpose, kept.content, kept.control_number) == (
        "export", first, int(read_interchange(first).control_number))


async def test_a_sent_claim_reads_as_the_interchange_the_payer_received(
    app, billing, client, payer
) -> None:
    claim = await billing.covered_claim()
    await billing.act(claim["id"], "submit")
    await payer.process()
    [sent] = [text for text in payer.recorder.sent if claim["patient_control_number"] in text]
    before = await interchange_count(app)
    assert await export(client, claim["id"]) == sent
    assert await export(client, claim["id"]) == sent
    assert await interchange_count(app) == before


async def test_a_changed_claim_is_written_once_under_a_new_control_number(
    app, billing, client
) -> None:
    encounter = billing.coding.add()
    coverage = await billing.coverage(encounter["patient"]["id"])
    claim = await billing.claim_for(encounter)
    first = await export(client, claim["id"])
    patched = await client.patch(f"/v1/coverages/{coverage['id']}",
                                 json={"group_number": "G-200"}, headers={"If-Match": "1"})
    assert patched.status_code == 200, patched.text

    changed = await export(client, claim["id"])
    assert changed != first and "G-200" in changed
    numbers = [int(read_interchange(text).control_number) for text in (first, changed)]
    assert numbers[1] > numbers[0]
    assert await export(client, claim["id"]) == changed
    assert [row.control_number for row in await interchanges(app, claim["id"])] == numbers
