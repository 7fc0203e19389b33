"""POST /v1/webhooks/coding: coding-service's signed deliveries build claims, each event once,
for the tenant the event names; anything unsigned, mis-signed or stale is refused."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import httpx
from billing_events import SECRET_A, SECRET_B, WEBHOOK, deliver, signed
from sqlalchemy import func, select
from standardwebhooks import Webhook

from billing_service.models import Claim, CodingEvent
from rcm_shared.jsonutil import dumps
from rcm_shared.webhooks import new_secret

CLINIC_B = {"Authorization": "Bearer demo-key-clinic-b"}


async def claims_of(app, encounter_id: str) -> list[Claim]:
    async with app.state.sessionmaker() as session:
        return list(await session.scalars(select(Claim).where(Claim.encounter_id == encounter_id)))


async def recorded(app, encounter_id: str) -> int:
    async with app.state.sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(CodingEvent)
                                    .where(CodingEvent.encounter_id == encounter_id)) or 0


def coding_reads(coding, encounter_id: str) -> int:
    return sum(encounter_id in r.url.path for r in coding.requests)


async def covered_encounter(billing, **encounter: Any) -> dict[str, Any]:
    """A finalized encounter in coding-service whose patient has a coverage in billing."""
    body = billing.coding.add(**encounter)
    await billing.coverage(body["patient"]["id"])
    return body


async def test_a_finalized_encounter_delivered_builds_its_claim(
    events_app, events_client, billing
) -> None:
    encounter = await covered_encounter(billing)
    response = await deliver(events_client, billing.coding.last_event())
    assert response.status_code == 200, response.text
    receipt = response.json()
    assert receipt["duplicate"] is False
    event = receipt["event"]
    assert (event["outcome"], event["source"], event["event_type"], event["coding_version"]) == (
        "created", "webhook", "encounter.finalized", 1)
    claim = await billing.get(f"/v1/claims/{event['claim_id']}")
    assert (claim["encounter_id"], claim["status"]) == (encounter["encounter_id"], "ready")
    [created] = (await billing.get(f"/v1/claims/{claim['id']}/events"))["items"]
    assert (created["actor"], created["action"]) == ("system", "create")
    listed = await billing.get("/v1/coding-events?outcome=created")
    assert event["id"] in [e["id"] for e in listed["items"]]


async def test_a_delivery_signed_by_the_standard_webhooks_library_is_accepted(
    events_app, events_client, billing
) -> None:
    await covered_encounter(billing)
    event = billing.coding.last_event()
    body, sent_at = dumps(event), int(time.time())
    signature = Webhook(SECRET_A).sign(event["id"], datetime.fromtimestamp(sent_at, UTC), body)
    response = await events_client.post(WEBHOOK, content=body, headers={
        "Content-Type": "application/json", "Authorization": "", "webhook-id": event["id"],
        "webhook-timestamp": str(sent_at),
        # A receiver takes any listed signature: one by a retired secret beside it is ignored.
        "webhook-signature": f"v1,{'A' * 43}= {signature}"})
    assert response.status_code == 200, response.text
    assert response.json()["event"]["outcome"] == "created"


async def test_the_same_webhook_delivered_three_times_makes_one_claim(
    events_app, events_client, billing
) -> None:
    encounter = await covered_encounter(billing)
    delivery = billing.coding.last_event()
    responses = [await deliver(events_client, delivery) for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert [r.json()["duplicate"] for r in responses] == [False, True, True]
    assert len({r.json()["event"]["id"] for r in responses}) == 1
    [claim] = await claims_of(events_app, encounter["encounter_id"])
    assert responses[0].json()["event"]["claim_id"] == claim.id
    assert await recorded(events_app, encounter["encounter_id"]) == 1
    # Only the first delivery read the encounter from coding-service.
    assert coding_reads(billing.coding, encounter["encounter_id"]) == 2


async def test_the_event_acts_for_the_tenant_it_names(events_app, events_client, billing
                                                      ) -> None:
    encounter = billing.coding.add(tenant="clinic-b")
    coverage = await billing.http.post("/v1/coverages", headers=CLINIC_B, json={
        "patient_id": encounter["patient"]["id"], "payer_id": "MOCK-PPO",
        "member_id": "W300000999", "relationship": "self",
        "subscriber": {"first_name": "Ana", "last_name": "Silva", "birth_date": "1980-02-01",
                       "sex": "F"},
        "effective_from": "2020-01-01"})
    assert coverage.status_code == 201, coverage.text
    response = await deliver(events_client, billing.coding.last_event("clinic-b"), SECRET_B)
    assert response.status_code == 200, response.text
    claim_id = response.json()["event"]["claim_id"]
    assert (await billing.http.get(f"/v1/claims/{claim_id}", headers=CLINIC_B)).status_code == 200
    assert (await billing.http.get(f"/v1/claims/{claim_id}")).status_code == 404
    mine = await billing.get("/v1/coding-events?limit=200")
    assert claim_id not in {e["claim_id"] for e in mine["items"]}


async def test_refused_deliveries_record_nothing(events_app, events_client, billing) -> None:
    encounter = await covered_encounter(billing)
    event = billing.coding.last_event()
    body, headers = signed(event, SECRET_A)
    tampered = body.replace(b'"coding_version":1', b'"coding_version":2')
    attempts = {
        # clinic-b's secret cannot speak for clinic-a.
        "other tenant's secret": signed(event, SECRET_B),
        "unknown secret": signed(event, new_secret()),
        "five minutes and more old": signed(event, SECRET_A, at=time.time() - 301),
        "no signature": (body, {"Content-Type": "application/json"}),
        "no timestamp": (body, {k: v for k, v in headers.items() if k != "webhook-timestamp"}),
        "another id": (body, {**headers, "webhook-id": "9999"}),
        "signature of another version": (body, {
            **headers, "webhook-signature": headers["webhook-signature"].replace("v1,", "v2,")}),
        "body changed after signing": (tampered, headers),
        "tenant not configured": signed({**event, "tenant_id": "clinic-z"}, SECRET_A),
    }
    for name, (content, with_headers) in attempts.items():
        response = await events_client.post(WEBHOOK, content=content,
                                            headers={**with_headers, "Authorization": ""})
        assert response.status_code == 401, name
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["detail"] == "The webhook-signature does not verify."
    assert await recorded(events_app, encounter["encounter_id"]) == 0
    assert await claims_of(events_app, encounter["encounter_id"]) == []
    assert coding_reads(billing.coding, encounter["encounter_id"]) == 0


async def test_a_delivery_that_is_not_an_event_is_refused(events_client) -> None:
    for content in (b"not json", b"[]", b'{"tenant_id": "clinic-a"}'):
        response = await events_client.post(WEBHOOK, content=content, headers={
            "Content-Type": "application/json", "Authorization": ""})
        assert response.status_code in (400, 422), response.text
        assert response.headers["content-type"] == "application/problem+json"


async def test_without_coverage_the_event_is_skipped_with_its_reason(
    events_app, events_client, billing
) -> None:
    encounter = billing.coding.add()
    response = await deliver(events_client, billing.coding.last_event())
    assert response.status_code == 200, response.text
    event = response.json()["event"]
    assert (event["outcome"], event["claim_id"]) == ("skipped", None)
    assert "no coverage in force" in event["reason"]
    skipped = await billing.get("/v1/coding-events?outcome=skipped&limit=200")
    assert event["id"] in [e["id"] for e in skipped["items"]]
    assert await claims_of(events_app, encounter["encounter_id"]) == []
    # Delivered again, it stays skipped: a biller records the coverage and builds the claim.
    again = await deliver(events_client, billing.coding.last_event())
    assert again.json()["duplicate"] is True
    await billing.coverage(encounter["patient"]["id"])
    await billing.claim_for(encounter)


async def test_a_reopened_event_is_ignored(events_client, billing) -> None:
    encounter = await covered_encounter(billing)
    billing.coding.recode(encounter, lines=[{"procedure_code": "99214", "modifiers": [],
                                             "units": 1, "charge": "200.00",
                                             "diagnosis_pointers": [1]}])
    reopened = next(e for e in reversed(billing.coding.feeds["clinic-a"])
                    if e["type"] == "encounter.reopened")
    response = await deliver(events_client, reopened)
    assert response.json()["event"]["outcome"] == "ignored"


async def test_a_later_coding_version_rebuilds_a_claim_never_sent(
    events_app, events_client, billing
) -> None:
    encounter = await covered_encounter(billing)
    first = await deliver(events_client, billing.coding.last_event())
    claim_id = first.json()["event"]["claim_id"]
    billing.coding.recode(encounter, lines=[{"procedure_code": "99214", "modifiers": [],
                                             "units": 1, "charge": "200.00",
                                             "diagnosis_pointers": [1]}])
    second = await deliver(events_client, billing.coding.last_event())
    event = second.json()["event"]
    assert (event["outcome"], event["coding_version"]) == ("created", 2)
    claims = {c.id: c for c in await claims_of(events_app, encounter["encounter_id"])}
    assert (claims[claim_id].status, claims[event["claim_id"]].status) == ("canceled", "ready")


async def test_a_later_coding_version_of_a_paid_claim_is_left_to_a_correction(
    events_app, events_client, billing
) -> None:
    encounter = await covered_encounter(billing)
    first = await deliver(events_client, billing.coding.last_event())
    claim_id = first.json()["event"]["claim_id"]
    await billing.submitted_and_processed(claim_id)
    billing.coding.recode(encounter, lines=[{"procedure_code": "99214", "modifiers": [],
                                             "units": 1, "charge": "200.00",
                                             "diagnosis_pointers": [1]}])
    second = await deliver(events_client, billing.coding.last_event())
    event = second.json()["event"]
    assert (event["outcome"], event["coding_version"]) == ("skipped", 2)
    assert f"/v1/claims/{claim_id}/corrections" in event["reason"]
    assert [c.id for c in await claims_of(events_app, encounter["encounter_id"])] == [claim_id]


async def test_coding_service_down_answers_503_and_the_retried_delivery_builds_the_claim(
    events_app, events_client, billing
) -> None:
    encounter = await covered_encounter(billing)
    delivery = billing.coding.last_event()
    billing.coding.failures[:] = [httpx.ConnectError("refused")] * 3
    down = await deliver(events_client, delivery)
    assert down.status_code == 503, down.text
    assert int(down.headers["retry-after"]) > 0
    assert await recorded(events_app, encounter["encounter_id"]) == 0
    retried = await deliver(events_client, delivery)
    assert (retried.status_code, retried.json()["event"]["outcome"]) == (200, "created")
    assert len(await claims_of(events_app, encounter["encounter_id"])) == 1


async def test_a_claim_built_by_a_biller_first_is_found_not_built_again(
    events_app, events_client, billing
) -> None:
    encounter = await covered_encounter(billing)
    claim = await billing.claim_for(encounter)
    response = await deliver(events_client, billing.coding.last_event())
    event = response.json()["event"]
    assert (event["outcome"], event["claim_id"]) == ("existing", claim["id"])
    assert len(await claims_of(events_app, encounter["encounter_id"])) == 1


async def test_the_events_list_pages_newest_first(events_client, billing) -> None:
    for _ in range(3):
        billing.coding.add()
        await deliver(events_client, billing.coding.last_event())
    first = await billing.get("/v1/coding-events?limit=2")
    rest = await billing.get(f"/v1/coding-events?limit=2&cursor={first['next_cursor']}")
    ids = [e["id"] for e in first["items"] + rest["items"]]
    assert len(ids) == 4 and ids == sorted(ids, reverse=True)
    refused = await billing.http.get("/v1/coding-events", params={"outcome": "lost"})
    assert refused.status_code == 422
