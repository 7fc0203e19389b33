"""The code-set endpoints over HTTP (the app with its lifespan, the demo key of clinic-a)."""

from __future__ import annotations

import httpx
import pytest

PROBLEM = "application/problem+json"


async def test_code_sets_lists_editions_counts_and_sources(client):
    response = await client.get("/v1/code-sets")
    assert response.status_code == 200
    items = response.json()["items"]
    older, icd = [item for item in items if item["name"] == "icd10cm"]
    assert (older["version"], older["effective_from"], older["effective_to"]) == (
        "2025-04", "2025-04-01", "2025-09-30"
    )
    assert (older["codes"], older["billable_codes"]) == (97_584, 74_260)
    assert older["source"] == "simple-icd-10-cm 1.4.0: icd10cm-tabular-April-2025.xml.gz"
    assert (icd["version"], icd["effective_from"], icd["effective_to"]) == (
        "2026-04", "2026-04-01", "2026-09-30"
    )
    assert (icd["codes"], icd["billable_codes"]) == (98_186, 74_719)
    assert "simple-icd-10-cm" in icd["source"]
    by_name = {item["name"]: item for item in items}
    assert by_name["places_of_service"]["codes"] == 52
    for name in ("procedures", "modifiers", "demographic_edits"):
        assert by_name[name]["codes"] > 0 and by_name[name]["source"]


async def test_a_billable_code_is_described(client):
    response = await client.get("/v1/codes/icd10cm/e119")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "E11.9"
    assert body["title"] == "Type 2 diabetes mellitus without complications"
    assert (body["billable"], body["chapter"], body["block"]) == (True, 4, "E08-E13")
    assert body["manifestation"] is False
    assert body["edition"] == "2026-04"
    assert body["billable_children"] == [] and body["billable_children_total"] == 0
    assert body["seventh_characters"] is None
    type_1 = next(n for n in body["excludes1"] if n["references"] == ["E10"])
    assert (type_1["source"], type_1["note"]) == ("E11", "type 1 diabetes mellitus (E10.-)")


async def test_a_header_code_answers_with_its_billable_children(client):
    body = (await client.get("/v1/codes/icd10cm/S72.001")).json()
    assert body["billable"] is False
    assert [c["code"] for c in body["billable_children"][:2]] == ["S72.001A", "S72.001B"]
    assert body["billable_children_total"] == 16
    assert body["seventh_characters"]["base"] == "S72"
    assert body["seventh_characters"]["allowed"]["A"] == "initial encounter for closed fracture"

    category = (await client.get("/v1/codes/icd10cm/S72")).json()
    assert len(category["billable_children"]) == 50
    assert category["billable_children_total"] > 50


async def test_a_manifestation_code_says_so(client):
    body = (await client.get("/v1/codes/icd10cm/G63")).json()
    assert body["manifestation"] is True


async def test_the_date_of_service_tells_whether_the_code_was_valid(client):
    before = (await client.get("/v1/codes/icd10cm/E11.A",
                               params={"date_of_service": "2025-06-01"})).json()
    assert (before["valid_from"], before["valid_on_date_of_service"]) == ("2025-10-01", False)
    after = (await client.get("/v1/codes/icd10cm/E11.A",
                              params={"date_of_service": "2026-05-04"})).json()
    assert after["valid_on_date_of_service"] is True
    undated = (await client.get("/v1/codes/icd10cm/E11.A")).json()
    assert undated["valid_on_date_of_service"] is None


async def test_a_code_of_another_edition_is_described_from_it_as_not_valid_on_the_date(client):
    # E11.A is new in FY2026: on an April 2025 date it comes from the April 2026 edition.
    added = (await client.get("/v1/codes/icd10cm/E11.A",
                              params={"date_of_service": "2025-06-02"})).json()
    assert (added["edition"], added["valid_on_date_of_service"]) == ("2026-04", False)
    # S30.1XXA was deleted by FY2026: today, and on an April 2026 date, it comes from April
    # 2025; on an April 2025 date it is simply valid.
    for params in ({}, {"date_of_service": "2026-05-04"}):
        response = await client.get("/v1/codes/icd10cm/S30.1XXA", params=params)
        assert response.status_code == 200
        body = response.json()
        assert (body["edition"], body["valid_on_date_of_service"]) == ("2025-04", False)
        assert body["title"] == "Contusion of abdominal wall, initial encounter"
    then = (await client.get("/v1/codes/icd10cm/S30.1XXA",
                             params={"date_of_service": "2025-06-02"})).json()
    assert (then["edition"], then["valid_on_date_of_service"]) == ("2025-04", True)
    # A code both editions hold answers from the edition of the date.
    for day, edition in (("2025-06-02", "2025-04"), ("2026-05-04", "2026-04")):
        body = (await client.get("/v1/codes/icd10cm/G35",
                                 params={"date_of_service": day})).json()
        assert body["edition"] == edition
    assert (await client.get("/v1/codes/icd10cm/G35",
                             params={"date_of_service": "2025-06-02"})).json()["billable"]


async def test_an_unknown_code_is_a_404_problem(client):
    response = await client.get("/v1/codes/icd10cm/E11.99")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert "E11.99 is not an ICD-10-CM code in the 2026-04 edition" in response.json()["detail"]


async def test_a_code_missing_its_placeholder_points_at_the_full_code(client):
    response = await client.get("/v1/codes/icd10cm/T15.10A")
    assert response.status_code == 404
    assert "T15.10XA" in response.json()["detail"]


@pytest.mark.parametrize("code", ["E1", "E11.99999", "1E1", "E11-9", "E11.9%20"])
async def test_a_malformed_code_is_a_422_naming_the_path_parameter(client, code):
    response = await client.get(f"/v1/codes/icd10cm/{code}")
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert [i["path"] for i in response.json()["issues"]] == ["path:code"]


async def test_a_bad_date_of_service_is_a_422_naming_it(client):
    response = await client.get("/v1/codes/icd10cm/E11.9", params={"date_of_service": "May 4"})
    assert response.status_code == 422
    assert [i["path"] for i in response.json()["issues"]] == ["query:date_of_service"]


async def test_search_ranks_type_2_diabetes_first(client):
    response = await client.get("/v1/codes/icd10cm",
                                params={"q": "type 2 diabetes", "limit": 5})
    assert response.status_code == 200
    body = response.json()
    assert body["edition"] == "2026-04"
    assert [item["code"] for item in body["items"]][0] == "E11"
    assert len(body["items"]) == 5
    assert set(body["items"][0]) == {"code", "title", "billable", "chapter", "block",
                                     "manifestation"}


async def test_search_by_code_prefix(client):
    items = (await client.get("/v1/codes/icd10cm", params={"q": "e11.6"})).json()["items"]
    assert items[0]["code"] == "E11.6"
    assert len(items) == 17  # E11.6 and the 16 codes under it, nothing else
    assert all(item["code"].startswith("E11.6") for item in items)


@pytest.mark.parametrize(
    ("params", "path"),
    [
        ({}, "query:q"),
        ({"q": ""}, "query:q"),
        ({"q": "   "}, "query:q"),
        ({"q": "x" * 101}, "query:q"),
        ({"q": "asthma", "limit": 0}, "query:limit"),
        ({"q": "asthma", "limit": 101}, "query:limit"),
        ({"q": "asthma", "limit": "ten"}, "query:limit"),
    ],
)
async def test_bad_search_parameters_are_a_422_naming_the_parameter(client, params, path):
    response = await client.get("/v1/codes/icd10cm", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert [i["path"] for i in response.json()["issues"]] == [path]


async def test_a_procedure_code_from_the_table(client):
    body = (await client.get("/v1/codes/procedures/99214")).json()
    assert body["code"] == "99214"
    assert (body["code_system"], body["is_evaluation_management"], body["sex"]) == (
        "CPT", True, None
    )
    hcpcs = (await client.get("/v1/codes/procedures/g0438")).json()
    assert (hcpcs["code"], hcpcs["code_system"]) == ("G0438", "HCPCS")
    assert (await client.get("/v1/codes/procedures/55250")).json()["sex"] == "M"


@pytest.mark.parametrize("code", ["99499", "0001F", "0042T", "0001U", "V5008"])
async def test_a_well_formed_procedure_code_missing_from_the_sample_is_a_404(client, code):
    response = await client.get(f"/v1/codes/procedures/{code}")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert "sample" in response.json()["detail"]


@pytest.mark.parametrize("code", ["9921", "992131", "W1234", "G043", "0001X"])
async def test_a_malformed_procedure_code_is_a_422(client, code):
    response = await client.get(f"/v1/codes/procedures/{code}")
    assert response.status_code == 422
    assert [i["path"] for i in response.json()["issues"]] == ["path:code"]


@pytest.mark.parametrize(
    "url", ["/v1/code-sets", "/v1/codes/icd10cm/E11.9", "/v1/codes/icd10cm?q=asthma",
            "/v1/codes/procedures/99213"],
)
async def test_the_code_set_endpoints_need_an_api_key(app, url):
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://coding.test") as anonymous:
        response = await anonymous.get(url)
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM


async def test_search_pages_through_the_ranking_with_next_cursor(client):
    whole = (await client.get("/v1/codes/icd10cm", params={"q": "diabetes", "limit": 12})).json()
    first = (await client.get("/v1/codes/icd10cm", params={"q": "diabetes", "limit": 5})).json()
    assert first["next_cursor"]
    second = (await client.get("/v1/codes/icd10cm", params={
        "q": "diabetes", "limit": 7, "cursor": first["next_cursor"]})).json()
    assert [c["code"] for c in first["items"] + second["items"]] == [
        c["code"] for c in whole["items"]]
    # The last page says so.
    few = (await client.get("/v1/codes/icd10cm", params={"q": "E11.9", "limit": 100})).json()
    assert few["items"] and few["next_cursor"] is None


async def test_a_search_cursor_works_only_for_its_own_search(client):
    first = (await client.get("/v1/codes/icd10cm", params={"q": "diabetes", "limit": 5})).json()
    other = await client.get("/v1/codes/icd10cm", params={
        "q": "asthma", "cursor": first["next_cursor"]})
    assert other.status_code == 400
    assert [i["rule"] for i in other.json()["issues"]] == ["pagination.cursor"]
    forged = await client.get("/v1/codes/icd10cm", params={"q": "diabetes", "cursor": "abc.def"})
    assert forged.status_code == 400
