"""The FHIR mapping alone, without a database: a Bundle read into the JSON API's bodies (with
the FHIR element each part came from), an encounter written as a FHIR Encounter."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from fhir.resources.R4B.encounter import Encounter
from fhir_bundles import charge_item, encounter_bundle

from coding_service.fhir.mapping import (
    BundleRefused,
    encounter_request,
    encounter_resource,
)
from rcm_shared.fhir import parse_fhir_json


def read(bundle: dict[str, Any]) -> Any:
    return encounter_request(parse_fhir_json(orjson.dumps(bundle)))


def test_a_bundle_reads_into_the_encounter_and_its_codes() -> None:
    request = read(encounter_bundle(external_id="visit-1", patient_id="MRN-1"))
    assert request.encounter == {
        "patient": {"id": "MRN-1", "first_name": "Ada", "last_name": "Lovelace",
                    "birth_date": "1980-02-14", "sex": "F"},
        "external_id": "visit-1", "date_of_service": "2026-05-04", "place_of_service": "11",
        "billing_provider_npi": "1234567893", "rendering_provider_npi": "1234567893"}
    assert request.codes["diagnoses"] == [{"code": "E11.9"}, {"code": "I10"}]
    assert [(line["procedure_code"], line["modifiers"], line["units"], line["charge"],
             line["diagnosis_pointers"]) for line in request.codes["service_lines"]] == [
        ("99214", ["25"], 1, "180.00", [1, 2]), ("20610", ["RT"], 1, "240.00", [2])]


def test_diagnoses_follow_the_encounters_rank_not_the_bundles_order() -> None:
    bundle = encounter_bundle()
    for diagnosis, rank in zip(bundle["entry"][4]["resource"]["diagnosis"], (2, 1), strict=True):
        diagnosis["rank"] = rank
    request = read(bundle)
    assert request.codes["diagnoses"] == [{"code": "I10"}, {"code": "E11.9"}]
    # The pointers follow: 20610 is for I10, now the first diagnosis.
    assert [line["diagnosis_pointers"] for line in request.codes["service_lines"]] == [
        [2, 1], [1]]


def test_a_procedure_without_a_charge_item_is_a_line_without_a_charge() -> None:
    bundle = encounter_bundle(charges=[])
    condition = bundle["entry"][5]
    bundle["entry"].append({"fullUrl": "urn:uuid:p", "resource": {
        "resourceType": "Procedure", "status": "completed",
        "code": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "99213"}]},
        "subject": {"reference": "urn:x"}, "performedDateTime": "2026-05-03",
        "reasonReference": [{"reference": condition["fullUrl"]}]}})
    line = read(bundle).codes["service_lines"][0]
    assert (line["procedure_code"], line["charge"], line["diagnosis_pointers"],
            line["date_of_service"]) == ("99213", "0.00", [1], "2026-05-03")


def test_fhir_paths_name_the_element_each_json_path_came_from() -> None:
    request = read(encounter_bundle())
    assert request.fhir_path("$.diagnoses[1].code") == "Bundle.entry[6].resource.code"
    assert request.fhir_path("$.service_lines[0].charge") == \
        "Bundle.entry[7].resource.priceOverride"
    assert request.fhir_path("$.service_lines[1].modifiers[0]") == \
        "Bundle.entry[8].resource.extension"
    assert request.fhir_path("$.patient.birth_date") == "Bundle.entry[0].resource.birthDate"
    assert request.fhir_path("$.unknown") == "Bundle"


@pytest.mark.parametrize(("change", "rule"), [
    (lambda b: b.update(type="batch"), "fhir.bundle_type"),
    (lambda b: b["entry"].pop(0), "fhir.patient_count"),
    (lambda b: b["entry"][5]["resource"]["code"]["coding"][0].update(system="urn:other"),
     "fhir.condition_code"),
    (lambda b: b["entry"][1]["resource"].pop("identifier"), "fhir.billing_provider"),
    (lambda b: b["entry"][2]["resource"].pop("identifier"), "fhir.rendering_provider"),
    (lambda b: b["entry"].append(dict(b["entry"][7])), None),
])
def test_what_an_encounter_needs_is_refused_by_rule(change: Any, rule: str | None) -> None:
    bundle = encounter_bundle()
    change(bundle)
    if rule is None:  # a second charge for the same service is a second line, not an error
        assert len(read(bundle).codes["service_lines"]) == 3
        return
    with pytest.raises(BundleRefused) as refused:
        read(bundle)
    assert rule in [found["rule"] for found in refused.value.issues]


def test_a_charge_for_a_diagnosis_the_encounter_lacks_is_refused() -> None:
    bundle = encounter_bundle(charges=[charge_item("99214", "180.00", ["J45.909"])])
    with pytest.raises(BundleRefused) as refused:
        read(bundle)
    assert refused.value.issues[0]["rule"] == "fhir.reason_not_diagnosed"
    assert refused.value.issues[0]["path"] == "Bundle.entry[7].resource.reason"


def _encounter(**changes: Any) -> dict[str, Any]:
    encounter = {
        "id": "enc-1", "external_id": "visit-1", "status": "finalized", "version": 4,
        "coding_version": 2,
        "patient": {"id": "MRN-1", "first_name": "Ada", "last_name": "Lovelace",
                    "birth_date": "1980-02-14", "sex": "F",
                    "address": {"line1": "1 Main St", "line2": None, "city": "Springfield",
                                "state": "IL", "postal_code": "627011234"}},
        "date_of_service": "2026-05-04", "place_of_service": "21",
        "rendering_provider_npi": "1234567893", "billing_provider_npi": "1234567893",
        "referring_provider": {"npi": "1234567893", "first_name": "Grace",
                               "last_name": "Hopper"},
        "service_facility": None, "prior_authorization": None,
        "diagnoses": [{"code": "E11.9"}, {"code": "I10"}],
        "service_lines": [{"procedure_code": "J3301", "modifiers": [], "units": 4,
                           "charge": "60.10", "diagnosis_pointers": [2],
                           "date_of_service": None, "date_of_service_to": "2026-05-31",
                           "ndc": None}],
        "updated_at": "2026-05-05T10:00:00Z",
    }
    return encounter | changes


def test_an_encounter_writes_as_a_valid_fhir_encounter_with_its_parts_contained() -> None:
    resource = orjson.loads(orjson.dumps(encounter_resource(_encounter())))
    parsed = Encounter.model_validate(resource)
    assert parsed.class_fhir.code == "IMP"  # inpatient hospital (21)
    assert [p.type[0].coding[0].code for p in parsed.participant] == ["PPRF", "REF"]
    contained = {r["id"]: r for r in resource["contained"]}
    assert contained["patient"]["address"][0]["postalCode"] == "627011234"
    charge = contained["chargeitem-1"]
    assert charge["code"]["coding"][0]["system"] == \
        "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
    assert charge["occurrencePeriod"] == {"start": "2026-05-04", "end": "2026-05-31"}
    assert charge["reason"] == [{"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm",
                                             "code": "I10"}]}]
    assert b'"priceOverride":{"value":60.10' in orjson.dumps(encounter_resource(_encounter()))
    assert resource["extension"] == [
        {"url": "https://rcm.dev/fhir/StructureDefinition/coding-status",
         "valueCode": "finalized"},
        {"url": "https://rcm.dev/fhir/StructureDefinition/coding-version", "valueInteger": 2}]


def test_an_uncoded_encounter_has_no_diagnosis_element() -> None:
    resource = encounter_resource(_encounter(diagnoses=[], service_lines=[]))
    Encounter.model_validate(orjson.loads(orjson.dumps(resource)))
    assert "diagnosis" not in resource
    assert [r["resourceType"] for r in resource["contained"]] == ["Patient", "Location"]
