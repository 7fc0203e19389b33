"""Bad input answers a 4xx application/problem+json naming the field, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from coding_factories import CLINIC_B, clean_codes, encounter_body

from rcm_shared.pagination import encode_cursor

pytestmark = pytest.mark.asyncio


def paths_of(response) -> set[str]:
    assert response.headers["content-type"] == "application/problem+json", response.text
    return {i["path"] for i in response.json()["issues"]}


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"date_of_service": "2026-13-40"}, "$.date_of_service"),
        ({"place_of_service": 11}, "$.place_of_service"),
        ({"rendering_provider_npi": "12345"}, "$.rendering_provider_npi"),
        ({"patient": {"id": "x", "first_name": "A", "last_name": "B",
                      "birth_date": "1980-01-01", "sex": "X"}}, "$.patient.sex"),
        ({"unexpected": True}, "$.unexpected"),
        ({"external_id": ""}, "$.external_id"),
    ],
)
async def test_bad_encounter_fields(client, change: dict[str, Any], path: str) -> None:
    response = await client.post("/v1/encounters", json=encounter_body(**change))
    assert response.status_code == 422
    assert path in paths_of(response)


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda c: c["service_lines"][0].update(units="1"), "$.service_lines[0].units"),
        (lambda c: c["service_lines"][0].update(charge=180.0), "$.service_lines[0].charge"),
        (lambda c: c["service_lines"][0].update(charge="1.234"), "$.service_lines[0].charge"),
        (lambda c: c["diagnoses"].__setitem__(0, {"code": "E11.9;DROP"}), "$.diagnoses[0].code"),
        (lambda c: c.update(diagnoses=[{"code": "I10"}] * 41), "$.diagnoses"),
        (lambda c: c.update(service_lines=c["service_lines"] * 51), "$.service_lines"),
        (lambda c: c["service_lines"][0].update(diagnosis_pointers=["1"]),
         "$.service_lines[0].diagnosis_pointers[0]"),
        # Stored as given, these answered 500 (JSON cannot carry them back out).
        (lambda c: c["service_lines"][0].update(diagnosis_pointers=[2**64]),
         "$.service_lines[0].diagnosis_pointers[0]"),
        (lambda c: c["service_lines"][0].update(diagnosis_pointers=[1, -(2**63) - 1]),
         "$.service_lines[0].diagnosis_pointers[1]"),
        (lambda c: c["service_lines"][0].update(units=2**64), "$.service_lines[0].units"),
        (lambda c: c["service_lines"][0].update(color="red"), "$.service_lines[0].color"),
    ],
)
async def test_bad_codes(client, mutate, path: str) -> None:
    encounter = (await client.post("/v1/encounters", json=encounter_body())).json()
    codes = clean_codes()
    mutate(codes)
    response = await client.put(f"/v1/encounters/{encounter['id']}/codes", json=codes,
                                headers={"If-Match": "1"})
    assert response.status_code == 422
    assert path in paths_of(response)
    unchanged = (await client.get(f"/v1/encounters/{encounter['id']}")).json()
    assert unchanged["version"] == 1 and unchanged["diagnoses"] == []


async def test_not_json_and_wrong_shapes(client) -> None:
    response = await client.post("/v1/encounters", content=b"{not json",
                                 headers={"content-type": "application/json"})
    assert response.status_code == 422
    listed = await client.post("/v1/encounters", json=[1, 2])
    assert listed.status_code == 422
    bad_if_match = await client.put("/v1/encounters/x/codes", json=clean_codes(),
                                    headers={"If-Match": "abc"})
    assert bad_if_match.status_code == 400


async def test_authentication_and_tenant_isolation(client) -> None:
    encounter = (await client.post("/v1/encounters", json=encounter_body())).json()
    anonymous = await client.get(f"/v1/encounters/{encounter['id']}",
                                 headers={"Authorization": ""})
    assert anonymous.status_code == 401
    wrong_key = await client.get(f"/v1/encounters/{encounter['id']}",
                                 headers={"Authorization": "Bearer nope"})
    assert wrong_key.status_code == 401
    other = await client.get(f"/v1/encounters/{encounter['id']}", headers=CLINIC_B)
    assert other.status_code == 404
    codes = await client.put(f"/v1/encounters/{encounter['id']}/codes", json=clean_codes(),
                             headers={**CLINIC_B, "If-Match": "1"})
    assert codes.status_code == 404
    listed = await client.get("/v1/encounters",
                              params={"patient_id": encounter["patient"]["id"]}, headers=CLINIC_B)
    assert listed.json()["items"] == []


@pytest.mark.parametrize(
    "cursor",
    [encode_cursor("2026-01-01T00:00:00", "x"), encode_cursor(1e30, "x"), encode_cursor(1, 2)],
)
async def test_forged_list_cursors_are_400(client, cursor: str) -> None:
    response = await client.get("/v1/encounters", params={"cursor": cursor})
    assert response.status_code == 400


@pytest.mark.parametrize("cursor", [encode_cursor(2**63), encode_cursor(-1), encode_cursor(1e30)])
async def test_forged_feed_and_event_cursors_are_400(client, cursor: str) -> None:
    encounter = (await client.post("/v1/encounters", json=encounter_body())).json()
    assert (await client.get("/v1/events", params={"after": cursor})).status_code == 400
    events = await client.get(f"/v1/encounters/{encounter['id']}/events",
                              params={"cursor": cursor})
    assert events.status_code == 400


async def test_times_without_an_offset_are_refused(client) -> None:
    naive = await client.get("/v1/encounters", params={"updated_after": "2026-01-01T00:00:00"})
    assert naive.status_code == 422
    assert "query:updated_after" in paths_of(naive)
    aware = await client.get("/v1/encounters", params={"updated_after": "2026-01-01T00:00:00Z"})
    assert aware.status_code == 200


@pytest.mark.parametrize(
    "header", ["²".encode("latin-1"), "1²".encode("latin-1"), "٣".encode(), b"99999999999999999999"]
)
async def test_if_match_takes_ascii_version_numbers_only(client, header: bytes) -> None:
    encounter = (await client.post("/v1/encounters", json=encounter_body())).json()
    response = await client.put(f"/v1/encounters/{encounter['id']}/codes", json=clean_codes(),
                                headers={"If-Match": header})
    assert response.status_code == 400


@pytest.mark.parametrize("text", ["Ada\x00", "Ada\x1b[31m", "A\x7f"])
async def test_control_characters_in_text_are_refused(client, text: str) -> None:
    body = encounter_body()
    body["patient"]["first_name"] = text
    response = await client.post("/v1/encounters", json=body)
    assert response.status_code == 422
    assert "$.patient.first_name" in paths_of(response)
    encounter = (await client.post("/v1/encounters", json=encounter_body())).json()
    query = await client.post(f"/v1/encounters/{encounter['id']}/queries",
                              json={"question": f"Which {text} knee?"})
    assert query.status_code == 422
    multiline = await client.post(f"/v1/encounters/{encounter['id']}/queries",
                                  json={"question": "Which knee?\nLeft or right?"})
    assert multiline.status_code == 201


async def test_unicode_digits_are_not_an_npi_or_a_place_of_service(client) -> None:
    body = encounter_body(rendering_provider_npi="١٢٣٤٥٦٧٨٩٣", place_of_service="١١")
    response = await client.post("/v1/encounters", json=body)
    assert response.status_code == 422
    assert {"$.rendering_provider_npi", "$.place_of_service"} <= paths_of(response)
