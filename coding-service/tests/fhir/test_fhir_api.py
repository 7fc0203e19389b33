"""coding-service's FHIR R4 endpoints through the API: a Bundle creates and codes an
encounter through the same validation as the JSON API, the encounter reads back as a FHIR
Encounter, and every answer (problems too) parses with the FHIR R4 models."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
from coding_factories import CLINIC_B, clean_codes
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir_bundles import as_fhir_json, charge_item, encounter_bundle

FHIR_JSON = {"Content-Type": "application/fhir+json"}


async def post_bundle(client: httpx.AsyncClient, bundle: dict[str, Any],
                      **headers: str) -> httpx.Response:
    return await client.post("/fhir/R4/Bundle", content=as_fhir_json(bundle),
                             headers={**FHIR_JSON, **headers})


def outcome_of(response: httpx.Response) -> OperationOutcome:
    assert response.headers["content-type"] == "application/fhir+json"
    return OperationOutcome.model_validate_json(response.content)


def rules(outcome: OperationOutcome) -> list[tuple[str, str, list[str] | None]]:
    """(rule id, severity, expression) of each finding, the problem's own summary left out."""
    found = []
    for issue in outcome.issue:
        for coding in (issue.details.coding or []) if issue.details else []:
            if coding.system == "https://rcm.dev/rules":
                found.append((coding.code, issue.severity, issue.expression))
    return found


async def test_a_bundle_creates_and_codes_an_encounter_that_reads_back_as_fhir(
        client: httpx.AsyncClient) -> None:
    bundle = encounter_bundle()
    created = await post_bundle(client, bundle)
    assert created.status_code == 201, created.text
    answer = Bundle.model_validate_json(created.content)
    assert answer.type == "transaction-response"
    assert len(answer.entry) == len(bundle["entry"])
    encounter_id = created.headers["location"].rsplit("/", 1)[-1]

    as_json = (await client.get(f"/v1/encounters/{encounter_id}")).json()
    assert [d["code"] for d in as_json["diagnoses"]] == ["E11.9", "I10"]
    expected = clean_codes()["service_lines"]
    got = [{k: line[k] for k in ("procedure_code", "modifiers", "units", "charge",
                                 "diagnosis_pointers")} for line in as_json["service_lines"]]
    assert got == expected
    assert as_json["issues"] == []
    assert as_json["patient"]["first_name"] == "Ada" and as_json["place_of_service"] == "11"
    assert as_json["date_of_service"] == "2026-05-04"

    read = await client.get(f"/fhir/R4/Encounter/{encounter_id}")
    assert read.status_code == 200
    assert read.headers["content-type"] == "application/fhir+json"
    assert read.headers["etag"] == f'W/"{as_json["version"]}"'
    encounter = Encounter.model_validate_json(read.content)
    assert encounter.id == encounter_id
    assert encounter.meta.versionId == str(as_json["version"])
    contained = {r.id: r for r in encounter.contained}
    assert contained["patient"].birthDate.isoformat() == "1980-02-14"
    ranked = [contained[d.condition.reference[1:]].code.coding[0].code
              for d in sorted(encounter.diagnosis, key=lambda d: d.rank)]
    assert ranked == ["E11.9", "I10"]
    charges = [r for r in encounter.contained if r.get_resource_type() == "ChargeItem"]
    assert [(c.code.coding[0].code, Decimal(str(c.priceOverride.value)), int(c.quantity.value),
             [e.valueCoding.code for e in c.extension],
             [r.coding[0].code for r in c.reason]) for c in charges] == [
        ("99214", Decimal("180.00"), 1, ["25"], ["E11.9", "I10"]),
        ("20610", Decimal("240.00"), 1, ["RT"], ["I10"])]
    assert b'"value":180.00' in read.content  # a FHIR decimal keeps its cents


async def test_the_encounter_read_back_as_a_bundle_codes_the_same_encounter(
        client: httpx.AsyncClient) -> None:
    """The contained resources of a read Encounter, sent back as a Bundle, code an encounter
    with the same codes: what comes out goes in."""
    first = await post_bundle(client, encounter_bundle())
    read = (await client.get(first.headers["location"])).json()
    contained = read.pop("contained")
    resources = [read, *contained]
    _local_references(resources)
    read.pop("id")
    read["identifier"] = [{"value": f"{read['identifier'][0]['value']}-again"}]
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": f"urn:local:{r.get('id', 'encounter')}", "resource": r}
        for r in resources]}
    again = await client.post("/fhir/R4/Bundle", content=as_fhir_json(bundle),
                              headers=FHIR_JSON)
    assert again.status_code == 201, again.text
    second = (await client.get(again.headers["location"])).json()
    assert _codes(second) == _codes({"contained": contained})


def _local_references(node: Any) -> None:
    """`#condition-1` (contained) -> `urn:local:condition-1` (the entry's fullUrl); `#` (the
    container) -> `urn:local:encounter`."""
    if isinstance(node, dict):
        reference = node.get("reference")
        if isinstance(reference, str) and reference.startswith("#"):
            node["reference"] = f"urn:local:{reference[1:] or 'encounter'}"
        for value in node.values():
            _local_references(value)
    elif isinstance(node, list):
        for value in node:
            _local_references(value)


def _codes(encounter: dict[str, Any]) -> list[Any]:
    return sorted((r["resourceType"], r["code"]["coding"][0]["code"],
                   str(r.get("priceOverride", {}).get("value")),
                   [e["valueCoding"]["code"] for e in r.get("extension", [])])
                  for r in encounter["contained"] if "code" in r)


async def test_a_bundle_sent_again_changes_nothing_and_new_codes_replace_the_old(
        client: httpx.AsyncClient) -> None:
    bundle = encounter_bundle()
    created = await post_bundle(client, bundle)
    location = created.headers["location"]
    version = (await client.get(location)).json()["meta"]["versionId"]
    again = await post_bundle(client, bundle)
    assert again.status_code == 200 and again.headers["location"] == location
    assert (await client.get(location)).json()["meta"]["versionId"] == version
    changed = encounter_bundle(
        external_id=bundle["entry"][4]["resource"]["identifier"][0]["value"],
        patient_id=bundle["entry"][0]["resource"]["identifier"][0]["value"],
        charges=[charge_item("99213", "120.00", ["E11.9"])])
    replaced = await post_bundle(client, changed)
    assert replaced.status_code == 200
    read = (await client.get(location)).json()
    assert int(read["meta"]["versionId"]) == int(version) + 1
    assert _codes(read)[0][1] == "99213" and len([c for c in _codes(read)
                                                   if c[0] == "ChargeItem"]) == 1


async def test_invalid_codes_are_kept_with_the_json_apis_rule_ids_named_by_fhir_element(
        client: httpx.AsyncClient) -> None:
    bundle = encounter_bundle(diagnoses=("E11", "I10"), charges=[
        charge_item("99214", "180.00", ["I10"], modifiers=("25",)),
        charge_item("20610", "240.00", ["I10"], units=500)])
    created = await post_bundle(client, bundle)
    assert created.status_code == 201
    answer = Bundle.model_validate_json(created.content)
    encounter_entry = next(e for e in answer.entry if e.response.outcome is not None)
    found = rules(encounter_entry.response.outcome)
    encounter_id = created.headers["location"].rsplit("/", 1)[-1]
    as_json = (await client.get(f"/v1/encounters/{encounter_id}")).json()
    assert sorted(r for r, _, _ in found) == sorted(i["rule"] for i in as_json["issues"])
    assert ("icd10cm.header_code", "error", ["Bundle.entry[5].resource.code"]) in found
    units = next(f for f in found if f[2] == ["Bundle.entry[8].resource.quantity"])
    assert units[1] == "error"
    finalize = await client.post(f"/v1/encounters/{encounter_id}/finalize")
    assert finalize.status_code == 422


async def test_a_bundle_lacking_what_an_encounter_needs_is_refused_with_every_finding(
        client: httpx.AsyncClient) -> None:
    bundle = encounter_bundle()
    del bundle["entry"][3]  # the Location: no place of service
    bundle["entry"][3]["resource"].pop("identifier")  # the Encounter's identifier
    refused = await post_bundle(client, bundle)
    assert refused.status_code == 422
    found = rules(outcome_of(refused))
    assert ("fhir.place_of_service", "error", ["Bundle.entry[3].resource.location"]) in found
    assert ("fhir.encounter_identifier", "error",
            ["Bundle.entry[3].resource.identifier"]) in found
    listed = await client.get("/v1/encounters", params={
        "patient_id": bundle["entry"][0]["resource"]["identifier"][0]["value"]})
    assert listed.json()["items"] == []  # nothing half-made


async def test_a_field_the_json_api_refuses_is_refused_naming_its_fhir_element(
        client: httpx.AsyncClient) -> None:
    bundle = encounter_bundle(charges=[charge_item("99214", "180.005", ["I10"])])
    bundle["entry"][0]["resource"]["gender"] = "other"
    bundle["entry"][0]["resource"]["birthDate"] = "1980-02-14"
    bundle["entry"][2]["resource"]["identifier"][0]["value"] = "12345"
    refused = await post_bundle(client, bundle)
    assert refused.status_code == 422
    expressions = {e for _, _, ex in rules(outcome_of(refused)) for e in ex or []}
    assert "Bundle.entry[7].resource.priceOverride" in expressions
    assert any(e.startswith("Bundle.entry[4].resource.participant") for e in expressions)


async def test_not_fhir_and_not_json_are_refused_as_operation_outcomes(
        client: httpx.AsyncClient) -> None:
    not_json = await client.post("/fhir/R4/Bundle", content=b"{", headers=FHIR_JSON)
    assert not_json.status_code == 400
    outcome_of(not_json)
    bad = encounter_bundle()
    bad["entry"][0]["resource"]["birthDate"] = "not a date"
    invalid = await post_bundle(client, bad)
    assert invalid.status_code == 422
    assert any(ex == ["Bundle.entry[0].resource.birthDate"]
               for _, _, ex in rules(outcome_of(invalid)))
    patient = await client.post("/fhir/R4/Bundle", json={"resourceType": "Patient"})
    assert patient.status_code == 422
    assert rules(outcome_of(patient))[0][0] == "fhir.resource_type"


async def test_fhir_keeps_the_json_apis_keys_scopes_and_tenants(
        client: httpx.AsyncClient) -> None:
    created = await post_bundle(client, encounter_bundle())
    location = created.headers["location"]
    anonymous = await client.get(location, headers={"Authorization": ""})
    assert anonymous.status_code == 401
    assert outcome_of(anonymous).issue[0].code == "login"
    other_tenant = await client.get(location, headers=CLINIC_B)
    assert other_tenant.status_code == 404
    assert outcome_of(other_tenant).issue[0].code == "not-found"
    reader = await post_bundle(client, encounter_bundle(),
                               Authorization="Bearer demo-key-clinic-a-readonly")
    assert reader.status_code == 403
    assert outcome_of(reader).issue[0].code == "forbidden"
    unknown = await client.get("/fhir/R4/Encounter/no-such-encounter")
    assert unknown.status_code == 404
    outcome_of(unknown)


async def test_the_capability_statement_names_what_is_served(client: httpx.AsyncClient) -> None:
    answer = await client.get("/fhir/R4/metadata", headers={"Authorization": ""})
    assert answer.status_code == 200
    statement = CapabilityStatement.model_validate_json(answer.content)
    assert statement.fhirVersion == "4.0.1"
    served = {r.type: [i.code for i in r.interaction] for r in statement.rest[0].resource}
    assert served == {"Bundle": ["create"], "Encounter": ["read"]}
