"""/v1/providers: each registration rule both ways, one NPI per tenant, paging, If-Match, and
the demo providers development mode registers."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from billing_providers import CLINIC_ADDRESS
from payer_files import valid_npi
from sqlalchemy import select

from billing_service.models.provider import Provider
from billing_service.providers.demo import DEMO_PROVIDERS, DEMO_TENANTS, seed_demo_providers
from rcm_shared.db import create_engine, session_factory
from rcm_shared.testing import migrate, throwaway_database

SERVICE_DIR = Path(__file__).resolve().parents[2]
CLINIC_B = {"Authorization": "Bearer demo-key-clinic-b"}
_numbers = itertools.count(310_000_001)


def new_npi() -> str:
    return valid_npi(str(next(_numbers)))


def person(**fields: Any) -> dict[str, Any]:
    return {"npi": new_npi(), "kind": "person", "first_name": "Rosa", "last_name": "Diaz",
            "taxonomy": "207Q00000X", "tax_id": None, "address": CLINIC_ADDRESS, **fields}


def organization(**fields: Any) -> dict[str, Any]:
    return {"npi": new_npi(), "kind": "organization", "organization_name": "North Clinic",
            "taxonomy": "261QP2300X", "tax_id": "123456789", "address": CLINIC_ADDRESS,
            **fields}


def rules(response: httpx.Response) -> list[tuple[str, str]]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return [(i["rule"], i["path"]) for i in response.json()["issues"]]


async def test_register_then_read_by_npi_with_etag(client: httpx.AsyncClient) -> None:
    created = await client.post("/v1/providers", json=organization())
    assert created.status_code == 201, created.text
    provider = created.json()
    assert created.headers["etag"] == '"1"'
    assert created.headers["location"] == f"/v1/providers/{provider['npi']}"
    # The address as sent, the ZIP+4 without its hyphen.
    assert provider["address"] == {**CLINIC_ADDRESS, "postal_code": "627010001"}
    assert (provider["kind"], provider["organization_name"], provider["first_name"],
            provider["tax_id"], provider["version"]) == (
        "organization", "North Clinic", None, "123456789", 1)
    fetched = await client.get(f"/v1/providers/{provider['npi']}")
    assert (fetched.status_code, fetched.json(), fetched.headers["etag"]) == (
        200, provider, '"1"')


async def test_an_npi_is_registered_once_per_tenant(client: httpx.AsyncClient) -> None:
    body = person()
    assert (await client.post("/v1/providers", json=body)).status_code == 201
    again = await client.post("/v1/providers", json={**body, "last_name": "Other"})
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    assert f"PATCH /v1/providers/{body['npi']}" in again.json()["detail"]
    # Another tenant registers the same NPI as its own.
    assert (await client.post("/v1/providers", json=body, headers=CLINIC_B)).status_code == 201
    assert (await client.get(f"/v1/providers/{body['npi']}")).json()["last_name"] == "Diaz"


async def test_the_npi_check_digit(client: httpx.AsyncClient) -> None:
    assert rules(await client.post("/v1/providers", json=person(npi="1234567890"))) == [
        ("npi.check_digit", "$.npi")]
    assert (await client.post("/v1/providers", json=person(npi=new_npi()))).status_code == 201


@pytest.mark.parametrize(("taxonomy", "valid"), [
    ("207Q00000X", True), ("261QP2300X", True), ("207q00000x", False), ("207Q00000", False),
    ("A07Q00000X", False), ("207Q000000X", False), ("207Q0000-X", False),
])
async def test_the_taxonomy_is_a_nucc_code(client: httpx.AsyncClient, taxonomy: str,
                                           valid: bool) -> None:
    response = await client.post("/v1/providers", json=person(taxonomy=taxonomy))
    if valid:
        assert response.status_code == 201, response.text
    else:
        assert rules(response) == [("provider.taxonomy", "$.taxonomy")]


@pytest.mark.parametrize(("tax_id", "valid"), [
    ("123456789", True), (None, True), ("12-3456789", False), ("12345678", False),
    ("1234567890", False), ("12345678A", False),
])
async def test_the_tax_id_is_nine_digits_or_null(client: httpx.AsyncClient,
                                                 tax_id: str | None, valid: bool) -> None:
    response = await client.post("/v1/providers", json=organization(tax_id=tax_id))
    if valid:
        assert response.status_code == 201, response.text
        assert response.json()["tax_id"] == tax_id
    else:
        assert rules(response) == [("provider.tax_id", "$.tax_id")]


async def test_a_person_has_a_first_and_last_name(client: httpx.AsyncClient) -> None:
    nameless = person()
    del nameless["first_name"], nameless["last_name"]
    assert rules(await client.post("/v1/providers", json=nameless)) == [
        ("provider.person_name", "$.first_name"), ("provider.person_name", "$.last_name")]
    assert rules(await client.post("/v1/providers",
                                   json=person(organization_name="North Clinic"))) == [
        ("provider.person_name", "$.organization_name")]


async def test_an_organization_has_an_organization_name(client: httpx.AsyncClient) -> None:
    nameless = organization()
    del nameless["organization_name"]
    assert rules(await client.post("/v1/providers", json=nameless)) == [
        ("provider.organization_name", "$.organization_name")]
    assert rules(await client.post("/v1/providers", json=organization(last_name="Diaz"))) == [
        ("provider.organization_name", "$.last_name")]


@pytest.mark.parametrize(("address", "expected"), [
    ({"state": "ZZ"}, [("address.state", "$.address.state")]),
    ({"postal_code": "6270"}, [("address.postal_code", "$.address.postal_code")]),
    ({"postal_code": "62701"}, []),  # ZIP+4 is the scrubber's rule for a billing provider
    ({"state": "pr", "postal_code": "009011234"}, []),
])
async def test_the_address_state_and_zip(client: httpx.AsyncClient, address: dict[str, str],
                                         expected: list[tuple[str, str]]) -> None:
    response = await client.post("/v1/providers",
                                 json=person(address={**CLINIC_ADDRESS, **address}))
    if expected:
        assert rules(response) == expected
    else:
        assert response.status_code == 201, response.text


async def test_nothing_is_kept_of_a_refused_registration(client: httpx.AsyncClient) -> None:
    body = person(taxonomy="bad")
    assert (await client.post("/v1/providers", json=body)).status_code == 422
    assert (await client.get(f"/v1/providers/{body['npi']}")).status_code == 404


async def test_the_list_pages_by_npi(client: httpx.AsyncClient) -> None:
    for _ in range(3):
        assert (await client.post("/v1/providers", json=organization(),
                                  headers=CLINIC_B)).status_code == 201
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 2, "kind": "organization"}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get("/v1/providers", params=params, headers=CLINIC_B)).json()
        assert set(page) == {"items", "next_cursor"}
        seen += [p["npi"] for p in page["items"]]
        assert {p["kind"] for p in page["items"]} <= {"organization"}
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(seen) and len(seen) == len(set(seen)) >= 3


async def test_patch_needs_the_current_version_and_keeps_the_rules(
    client: httpx.AsyncClient,
) -> None:
    npi = (await client.post("/v1/providers", json=person(taxonomy=None))).json()["npi"]
    url = f"/v1/providers/{npi}"
    assert (await client.patch(url, json={"taxonomy": "207Q00000X"})).status_code == 428
    assert (await client.patch(url, json={"taxonomy": "207Q00000X"},
                               headers={"If-Match": "2"})).status_code == 412
    patched = await client.patch(url, json={"taxonomy": "207Q00000X"},
                                 headers={"If-Match": '"1"'})
    assert patched.status_code == 200, patched.text
    assert (patched.json()["taxonomy"], patched.json()["version"], patched.headers["etag"]) == (
        "207Q00000X", 2, '"2"')
    assert rules(await client.patch(url, json={"taxonomy": "nope"},
                                    headers={"If-Match": "2"})) == [
        ("provider.taxonomy", "$.taxonomy")]
    # Becoming an organization needs an organization name, and no longer a person's names.
    assert rules(await client.patch(url, json={"kind": "organization"},
                                    headers={"If-Match": "2"})) == [
        ("provider.organization_name", "$.organization_name"),
        ("provider.organization_name", "$.first_name"),
        ("provider.organization_name", "$.last_name")]
    assert rules(await client.patch(url, json={"address": None},
                                    headers={"If-Match": "2"})) == [
        ("provider.required", "$.address")]
    became = await client.patch(url, headers={"If-Match": "2"}, json={
        "kind": "organization", "first_name": None, "last_name": None,
        "organization_name": "Diaz Family Practice", "tax_id": "123456789",
        "address": {**CLINIC_ADDRESS, "line2": None}})
    assert became.status_code == 200, became.text
    assert (became.json()["kind"], became.json()["first_name"], became.json()["address"]["line2"],
            became.json()["version"]) == ("organization", None, None, 3)
    assert (await client.get(url)).json() == became.json()


async def test_an_unknown_npi_is_not_found(client: httpx.AsyncClient) -> None:
    npi = new_npi()
    assert (await client.get(f"/v1/providers/{npi}")).status_code == 404
    assert (await client.patch(f"/v1/providers/{npi}", json={"taxonomy": "207Q00000X"},
                               headers={"If-Match": "1"})).status_code == 404
    assert (await client.get("/v1/providers/12345")).status_code == 422


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """A migrated database no test registered anything in."""
    with throwaway_database("billing_seed", tmp_path) as url:
        migrate(SERVICE_DIR / "alembic.ini", url)
        yield url


async def test_development_mode_registers_the_demo_providers_once(empty_database: str) -> None:
    engine = create_engine(empty_database)
    sessions = session_factory(engine)
    try:
        assert await seed_demo_providers(sessions) == len(DEMO_TENANTS) * len(DEMO_PROVIDERS)
        assert await seed_demo_providers(sessions) == 0
        async with sessions() as session:
            rows = list(await session.scalars(select(Provider)))
    finally:
        await engine.dispose()
    assert {(row.tenant_id, row.npi) for row in rows} == {
        (tenant, npi) for tenant in DEMO_TENANTS for npi in ("1234567893", "1245319599")}
    billing = next(row for row in rows if row.npi == "1234567893")
    assert (billing.kind, len(billing.address["postal_code"]), billing.tax_id) == (
        "organization", 9, "990000001")
    rendering = next(row for row in rows if row.npi == "1245319599")
    assert (rendering.kind, rendering.taxonomy) == ("person", "207Q00000X")
