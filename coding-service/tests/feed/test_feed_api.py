"""GET /v1/events pages with `cursor` like every list; `after` stays its former name."""

from __future__ import annotations

import base64
from typing import Any

import httpx
from coding_flows import finalized_encounter

from rcm_shared.pagination import cursor_id, decode_cursor


async def feed(client: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    """A feed page; a cursor of None (an empty feed's) is left out, as a client would."""
    response = await client.get("/v1/events",
                                params={k: v for k, v in params.items() if v is not None})
    assert response.status_code == 200, response.text
    return response.json()


async def tail(client: httpx.AsyncClient) -> str | None:
    """The cursor past every event published so far (read with `after`, which every version
    of the feed takes)."""
    cursor = None
    while True:
        page = await feed(client, limit=200, after=cursor)
        if not page["items"]:
            return cursor
        cursor = page["next_cursor"]


async def two_new_events(client: httpx.AsyncClient) -> tuple[str | None, list[str]]:
    start = await tail(client)
    made = [(await finalized_encounter(client))["id"] for _ in range(2)]
    return start, made


async def test_the_feed_reads_on_from_cursor(client) -> None:
    start, made = await two_new_events(client)
    first = await feed(client, cursor=start, limit=1)
    assert [e["encounter_id"] for e in first["items"]] == made[:1]
    assert first["next_cursor"] == first["items"][0]["cursor"]
    second = await feed(client, cursor=first["next_cursor"], limit=1)
    assert [e["encounter_id"] for e in second["items"]] == made[1:]
    idle = await feed(client, cursor=second["next_cursor"])
    assert idle == {"items": [], "next_cursor": second["next_cursor"]}


async def test_after_is_still_accepted_as_the_cursor(client) -> None:
    start, _ = await two_new_events(client)
    assert await feed(client, after=start) == await feed(client, cursor=start)
    assert await feed(client, after=start, cursor=start) == await feed(client, cursor=start)


async def test_two_different_cursors_are_400(client) -> None:
    start, _ = await two_new_events(client)
    first = await feed(client, cursor=start, limit=1)
    second = await feed(client, cursor=first["next_cursor"], limit=1)
    response = await client.get("/v1/events", params={"cursor": second["next_cursor"],
                                                      "after": first["next_cursor"]})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["issues"][0]["path"] == "query:after"


async def test_a_cursor_kept_from_before_checksums_still_reads(client) -> None:
    start, made = await two_new_events(client)
    page = await feed(client, cursor=start, limit=1)
    [position] = decode_cursor(page["next_cursor"], cursor_id)
    kept = base64.urlsafe_b64encode(f"[{position}]".encode()).decode().rstrip("=")
    assert [e["encounter_id"] for e in (await feed(client, cursor=kept))["items"]] == made[1:]


async def test_an_edited_cursor_is_400(client) -> None:
    start, _ = await two_new_events(client)
    page = await feed(client, cursor=start, limit=1)
    checksum = page["next_cursor"].split(".")[1]
    position = decode_cursor(page["next_cursor"], cursor_id)[0]
    edited = base64.urlsafe_b64encode(f"[{position - 1}]".encode()).decode().rstrip("=")
    response = await client.get("/v1/events", params={"cursor": f"{edited}.{checksum}"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
