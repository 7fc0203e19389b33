"""Webhook subscriptions over HTTP: create (secret shown once), read, list, delete."""

from __future__ import annotations

import base64
from typing import Any

import pytest

CODER = {"Authorization": "Bearer demo-key-clinic-a-coder"}


def subscription(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"url": "https://ehr.example.test/hooks/coding",
                            "events": ["encounter.finalized", "encounter.reopened"]}
    body.update(overrides)
    return body


async def test_create_generates_a_secret_shown_only_once(client) -> None:
    created = await client.post("/v1/webhooks", json=subscription())
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["secret"].startswith("whsec_") and len(body["secret"]) >= 40
    assert body["enabled"] is True and body["consecutive_failures"] == 0
    assert created.headers["location"] == f"/v1/webhooks/{body['id']}"
    fetched = await client.get(f"/v1/webhooks/{body['id']}")
    assert fetched.status_code == 200 and "secret" not in fetched.json()
    assert fetched.json()["url"] == "https://ehr.example.test/hooks/coding"
    listed = (await client.get("/v1/webhooks")).json()["items"]
    assert [w["id"] for w in listed] == [body["id"]]
    assert all("secret" not in w for w in listed)


async def test_a_given_secret_is_kept_and_event_types_are_folded(client) -> None:
    given = "whsec_" + base64.b64encode(b"an integrator's own 32-byte key!").decode()
    created = await client.post("/v1/webhooks", json=subscription(
        secret=given, events=["encounter.reopened", "encounter.finalized"]))
    assert created.json()["secret"] == given
    assert created.json()["events"] == ["encounter.finalized", "encounter.reopened"]
    twice = await client.post("/v1/webhooks", json=subscription(
        events=["encounter.reopened", "encounter.reopened"]))
    assert twice.json()["events"] == ["encounter.reopened"]


async def test_list_pages(client) -> None:
    made = [(await client.post("/v1/webhooks", json=subscription(
        url=f"https://ehr.example.test/hooks/{n}"))).json()["id"] for n in range(3)]
    page = (await client.get("/v1/webhooks", params={"limit": 2})).json()
    rest = (await client.get("/v1/webhooks", params={"limit": 2,
                                                      "cursor": page["next_cursor"]})).json()
    assert [w["id"] for w in page["items"] + rest["items"]] == made
    assert rest["next_cursor"] is None


async def test_delete_removes_the_subscription(client) -> None:
    webhook_id = (await client.post("/v1/webhooks", json=subscription())).json()["id"]
    deleted = await client.delete(f"/v1/webhooks/{webhook_id}")
    assert deleted.status_code == 204 and deleted.content == b""
    assert (await client.get(f"/v1/webhooks/{webhook_id}")).status_code == 404
    assert (await client.get(f"/v1/webhooks/{webhook_id}/deliveries")).status_code == 404
    assert (await client.delete(f"/v1/webhooks/{webhook_id}")).status_code == 404


@pytest.mark.parametrize(
    "overrides, path",
    [
        ({"url": "ftp://ehr.example.test/hooks"}, "$.url"),
        ({"url": "file:///etc/passwd"}, "$.url"),
        ({"url": "not a url"}, "$.url"),
        ({"url": "https://" + "a" * 2050 + ".test/"}, "$.url"),
        ({"events": []}, "$.events"),
        ({"events": ["encounter.created"]}, "$.events[0]"),
        ({"secret": "short"}, "$.secret"),
        ({"secret": "whsec_c2hvcnQga2V5"}, "$.secret"),
        ({"secret": "my-own-secret-of-some-length-but-not-base64"}, "$.secret"),
        ({"secret": "whsec_bm90IHN0YW5kYXJkIGJhc2U2NCBvZiBhIGtleQ-_"}, "$.secret"),
        ({"callback": "https://x.test"}, "$.callback"),
    ],
)
async def test_bad_subscriptions_answer_422_naming_the_field(client, overrides, path) -> None:
    response = await client.post("/v1/webhooks", json=subscription(**overrides))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert path in {i["path"] for i in response.json()["issues"]}


async def test_webhooks_need_the_admin_scope(client) -> None:
    assert (await client.post("/v1/webhooks", json=subscription(),
                              headers=CODER)).status_code == 403
    assert (await client.get("/v1/webhooks", headers=CODER)).status_code == 403
