"""FHIR R4 to and from the encounter API's shapes: pure functions over JSON, no I/O.

In: a Bundle (transaction or collection) holding a Patient, an Encounter, its Conditions
(ICD-10-CM) and its charges as ChargeItems (CPT/HCPCS, units, price, modifiers, the diagnoses
they are for) or Procedures (a line without a price), read into the body of `POST
/v1/encounters` and of `PUT /v1/encounters/{id}/codes`, with, for each JSON path of those
bodies, the FHIRPath it came from (so a rule broken names the FHIR element).

Out: an encounter as a FHIR Encounter whose Patient, Conditions, Procedures and ChargeItems are
contained resources (see the README: this service holds them only as parts of the encounter,
with no id of their own to resolve a reference to).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rcm_shared.fhir import fhir_decimal, fhir_etag
from rcm_shared.issues import IssueDict, issue

ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
CPT = "http://www.ama-assn.org/go/cpt"
HCPCS = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
NPI = "http://hl7.org/fhir/sid/us-npi"
PLACE_OF_SERVICE = "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set"
PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
DIAGNOSIS_ROLE = "http://terminology.hl7.org/CodeSystem/diagnosis-role"
# CPT/HCPCS modifiers have no element of their own on a ChargeItem or a Procedure.
MODIFIER_EXTENSION = "https://rcm.dev/fhir/StructureDefinition/procedure-modifier"
CODING_STATUS_EXTENSION = "https://rcm.dev/fhir/StructureDefinition/coding-status"
CODING_VERSION_EXTENSION = "https://rcm.dev/fhir/StructureDefinition/coding-version"

_GENDER_TO_SEX = {"female": "F", "male": "M", "other": "U", "unknown": "U"}
_SEX_TO_GENDER = {"F": "female", "M": "male", "U": "unknown"}
# The FHIR Encounter.class (v3 ActCode) a CMS place of service implies.
_CLASS_OF_PLACE = {"02": "VR", "10": "VR", "12": "HH", "21": "IMP", "23": "EMER", "31": "IMP",
                   "32": "IMP", "51": "IMP", "61": "IMP"}
_PROCEDURE_SYSTEMS = (CPT, HCPCS)
_BUNDLE_TYPES = ("transaction", "collection")


class BundleRefused(Exception):  # noqa: N818 - a refusal carrying its findings
    def __init__(self, issues: list[IssueDict]) -> None:
        super().__init__(f"{len(issues)} issue(s)")
        self.issues = issues


@dataclass
class EncounterRequest:
    """What a Bundle asks for, as the JSON API's bodies, and where each part came from."""

    encounter: dict[str, Any]
    codes: dict[str, Any]
    sources: dict[str, str] = field(default_factory=dict)  # JSON path -> FHIRPath

    def fhir_path(self, path: str) -> str:
        """The FHIRPath of a JSON path of the bodies: its own, or its nearest parent's."""
        while path:
            if path in self.sources:
                return self.sources[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return "Bundle"


@dataclass
class _Entry:
    index: int
    resource: dict[str, Any]

    @property
    def at(self) -> str:
        return f"Bundle.entry[{self.index}].resource"


class _Reader:
    def __init__(self, bundle: Mapping[str, Any]) -> None:
        self.entries: list[_Entry] = []
        self.by_reference: dict[str, _Entry] = {}
        self.issues: list[IssueDict] = []
        for index, raw in enumerate(bundle.get("entry") or []):
            resource = raw.get("resource")
            if not isinstance(resource, dict):
                continue
            entry = _Entry(index, resource)
            self.entries.append(entry)
            if raw.get("fullUrl"):
                self.by_reference[raw["fullUrl"]] = entry
            if resource.get("id"):
                self.by_reference[f"{resource['resourceType']}/{resource['id']}"] = entry

    def refuse(self, rule: str, path: str, message: str) -> None:
        self.issues.append(issue(rule, path, message))

    def of_type(self, resource_type: str) -> list[_Entry]:
        return [e for e in self.entries if e.resource.get("resourceType") == resource_type]

    def one(self, resource_type: str) -> _Entry | None:
        found = self.of_type(resource_type)
        if len(found) != 1:
            self.refuse(f"fhir.{resource_type.lower()}_count", "Bundle.entry",
                        f"The Bundle must hold exactly one {resource_type}; it holds "
                        f"{len(found)}.")
            return None
        return found[0]

    def resolve(self, reference: Mapping[str, Any] | None) -> _Entry | None:
        if not reference or not reference.get("reference"):
            return None
        return self.by_reference.get(reference["reference"])


def _coding(concept: Mapping[str, Any] | None, systems: Iterable[str]) -> str | None:
    wanted = tuple(systems)
    for coding in (concept or {}).get("coding") or []:
        if coding.get("system") in wanted and coding.get("code"):
            return str(coding["code"])
    return None


def _npi_of(reader: _Reader, reference: Mapping[str, Any] | None) -> str | None:
    """The NPI a reference names: by a logical identifier, or on the resource it points at."""
    if not reference:
        return None
    identifiers = [reference.get("identifier") or {}]
    target = reader.resolve(reference)
    if target is not None:
        identifiers += target.resource.get("identifier") or []
    for identifier in identifiers:
        if identifier.get("system") == NPI and identifier.get("value"):
            return str(identifier["value"])
    return None


def _date(value: Any) -> str | None:
    """The calendar date of a FHIR date or dateTime (`2026-03-02T09:30:00-05:00`)."""
    return str(value)[:10] if value else None


def _participant_code(participant: Mapping[str, Any]) -> str | None:
    for concept in participant.get("type") or []:
        code = _coding(concept, (PARTICIPATION,))
        if code:
            return code
    return None


def _patient(reader: _Reader, entry: _Entry, out: EncounterRequest) -> dict[str, Any]:
    patient = entry.resource
    identifiers = patient.get("identifier") or []
    mrn = next((i for i in identifiers if _coding(i.get("type"), (IDENTIFIER_TYPE,)) == "MR"),
               identifiers[0] if identifiers else None)
    name = (patient.get("name") or [{}])[0]
    body: dict[str, Any] = {
        "id": (mrn or {}).get("value"),
        "first_name": " ".join(name.get("given") or []) or None,
        "last_name": name.get("family"),
        "birth_date": patient.get("birthDate"),
        "sex": _GENDER_TO_SEX.get(patient.get("gender", ""), patient.get("gender")),
    }
    out.sources.update({
        "$.patient": entry.at, "$.patient.id": f"{entry.at}.identifier",
        "$.patient.first_name": f"{entry.at}.name[0].given",
        "$.patient.last_name": f"{entry.at}.name[0].family",
        "$.patient.birth_date": f"{entry.at}.birthDate", "$.patient.sex": f"{entry.at}.gender",
    })
    addresses = patient.get("address") or []
    if addresses:
        body["address"] = _address(addresses[0])
        out.sources["$.patient.address"] = f"{entry.at}.address[0]"
    return body


def _address(address: Mapping[str, Any]) -> dict[str, Any]:
    lines = address.get("line") or []
    return {"line1": lines[0] if lines else None, "line2": lines[1] if len(lines) > 1 else None,
            "city": address.get("city"), "state": address.get("state"),
            "postal_code": address.get("postalCode")}


def _place_of_service(reader: _Reader, encounter: _Entry) -> str | None:
    for place in encounter.resource.get("location") or []:
        target = reader.resolve(place.get("location"))
        for concept in (target.resource.get("type") or []) if target else []:
            code = _coding(concept, (PLACE_OF_SERVICE,))
            if code:
                return code
    return None


def _encounter(reader: _Reader, entry: _Entry, out: EncounterRequest) -> None:
    resource = entry.resource
    body = out.encounter
    body["external_id"] = next((i.get("value") for i in resource.get("identifier") or []
                                if i.get("value")), None)
    body["date_of_service"] = _date((resource.get("period") or {}).get("start"))
    body["place_of_service"] = _place_of_service(reader, entry)
    out.sources.update({
        "$.external_id": f"{entry.at}.identifier", "$.date_of_service": f"{entry.at}.period.start",
        "$.place_of_service": f"{entry.at}.location",
        "$.billing_provider_npi": f"{entry.at}.serviceProvider",
        "$.rendering_provider_npi": f"{entry.at}.participant",
    })
    if body["external_id"] is None:
        reader.refuse("fhir.encounter_identifier", f"{entry.at}.identifier",
                      "The Encounter needs an identifier: the EHR's id of the visit.")
    if body["place_of_service"] is None:
        reader.refuse("fhir.place_of_service", f"{entry.at}.location",
                      "The Encounter needs a location whose Location.type has a CMS place of "
                      f"service code ({PLACE_OF_SERVICE}).")
    body["billing_provider_npi"] = _npi_of(reader, resource.get("serviceProvider"))
    if body["billing_provider_npi"] is None:
        reader.refuse("fhir.billing_provider", f"{entry.at}.serviceProvider",
                      f"The Encounter's serviceProvider needs an NPI identifier ({NPI}).")
    rendering = None
    for index, participant in enumerate(resource.get("participant") or []):
        role = _participant_code(participant)
        npi = _npi_of(reader, participant.get("individual"))
        at = f"{entry.at}.participant[{index}]"
        if role == "REF":
            body["referring_provider"] = _referring(reader, participant, npi)
            out.sources["$.referring_provider"] = at
        elif rendering is None and npi and role in (None, "PPRF", "ATND", "SPRF", "PART"):
            rendering = npi
            out.sources["$.rendering_provider_npi"] = f"{at}.individual"
    body["rendering_provider_npi"] = rendering
    if rendering is None:
        reader.refuse("fhir.rendering_provider", f"{entry.at}.participant",
                      "The Encounter needs a participant (type PPRF, or none) whose individual "
                      f"has an NPI identifier ({NPI}).")


def _referring(reader: _Reader, participant: Mapping[str, Any],
               npi: str | None) -> dict[str, Any]:
    target = reader.resolve(participant.get("individual"))
    name = ((target.resource.get("name") if target else None) or [{}])[0]
    return {"npi": npi, "first_name": " ".join(name.get("given") or []) or None,
            "last_name": name.get("family")}


def _diagnoses(reader: _Reader, encounter: _Entry, out: EncounterRequest) -> list[str]:
    """The Conditions in the Encounter's diagnosis order (by rank), then any other Condition
    of the Bundle in its order: the first is the primary diagnosis."""
    listed = sorted(enumerate(encounter.resource.get("diagnosis") or []),
                    key=lambda item: (item[1].get("rank") or 10_000, item[0]))
    ordered: list[_Entry] = []
    for _, diagnosis in listed:
        target = reader.resolve(diagnosis.get("condition"))
        if target is not None and target.resource.get("resourceType") == "Condition" \
                and target not in ordered:
            ordered.append(target)
    ordered += [e for e in reader.of_type("Condition") if e not in ordered]
    codes: list[str] = []
    for entry in ordered:
        code = _coding(entry.resource.get("code"), (ICD10CM,))
        if code is None:
            reader.refuse("fhir.condition_code", f"{entry.at}.code",
                          f"A Condition needs an ICD-10-CM coding ({ICD10CM}).")
            continue
        out.sources[f"$.diagnoses[{len(codes)}]"] = f"{entry.at}.code"
        codes.append(code)
    out.codes["diagnoses"] = [{"code": code} for code in codes]
    return codes


def _pointers(reader: _Reader, reasons: Iterable[Mapping[str, Any]],
              references: Iterable[Mapping[str, Any]], diagnoses: list[str],
              at: str) -> list[int]:
    wanted = [_coding(concept, (ICD10CM,)) for concept in reasons]
    for reference in references:
        target = reader.resolve(reference)
        if target is not None:
            wanted.append(_coding(target.resource.get("code"), (ICD10CM,)))
    pointers: list[int] = []
    for code in wanted:
        key = (code or "").replace(".", "").upper()
        position = next((n for n, d in enumerate(diagnoses, 1)
                         if d.replace(".", "").upper() == key), None)
        if position is None:
            reader.refuse("fhir.reason_not_diagnosed", at,
                          f"{code or 'A reason'} is not one of the encounter's Conditions.")
        elif position not in pointers:
            pointers.append(position)
    return pointers


def _line_dates(occurrence_holder: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    period = occurrence_holder.get(f"{prefix}Period") or {}
    start = _date(occurrence_holder.get(f"{prefix}DateTime")) or _date(period.get("start"))
    end = _date(period.get("end"))
    return {"date_of_service": start,
            "date_of_service_to": end if end and end != start else None}


def _lines(reader: _Reader, diagnoses: list[str], out: EncounterRequest) -> None:
    lines: list[dict[str, Any]] = []
    charged: set[int] = set()
    for entry in reader.of_type("ChargeItem"):
        item = entry.resource
        services = [reader.resolve(s) for s in item.get("service") or []]
        procedures = [s for s in services
                      if s is not None and s.resource.get("resourceType") == "Procedure"]
        charged |= {p.index for p in procedures}
        code = _coding(item.get("code"), _PROCEDURE_SYSTEMS) or next(
            (c for p in procedures
             if (c := _coding(p.resource.get("code"), _PROCEDURE_SYSTEMS))), None)
        price = item.get("priceOverride") or {}
        line = {
            "procedure_code": code,
            "modifiers": [(e.get("valueCoding") or {}).get("code") or e.get("valueCode")
                          for e in item.get("extension") or []
                          if e.get("url") == MODIFIER_EXTENSION],
            "units": _units((item.get("quantity") or {}).get("value", 1)),
            "charge": price.get("value"),
            "diagnosis_pointers": _pointers(
                reader, item.get("reason") or [],
                [r for p in procedures for r in p.resource.get("reasonReference") or []],
                diagnoses, f"{entry.at}.reason"),
            **_line_dates(item, "occurrence"),
        }
        _add_line(out, lines, line, entry, {"units": "quantity", "charge": "priceOverride",
                                            "modifiers": "extension"})
        if code is None:
            reader.refuse("fhir.charge_code", f"{entry.at}.code",
                          "A ChargeItem needs a CPT or HCPCS coding, on itself or on the "
                          "Procedure it names as service.")
    for entry in reader.of_type("Procedure"):
        if entry.index in charged:
            continue
        procedure = entry.resource
        code = _coding(procedure.get("code"), _PROCEDURE_SYSTEMS)
        line = {
            "procedure_code": code,
            "modifiers": [],
            "units": 1,
            # A Procedure says what was done, not what it costs: the line is kept with no
            # charge, which the charge rule reports until a coder (or a ChargeItem) gives one.
            "charge": Decimal("0.00"),
            "diagnosis_pointers": _pointers(
                reader, procedure.get("reasonCode") or [], procedure.get("reasonReference") or [],
                diagnoses, f"{entry.at}.reasonReference"),
            **_line_dates(procedure, "performed"),
        }
        _add_line(out, lines, line, entry, {})
        if code is None:
            reader.refuse("fhir.procedure_code", f"{entry.at}.code",
                          "A Procedure needs a CPT or HCPCS coding.")
    out.codes["service_lines"] = lines


def _units(value: Any) -> Any:
    """A whole quantity as the integer units are; anything else is left for the schema to
    refuse."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def _add_line(out: EncounterRequest, lines: list[dict[str, Any]], line: dict[str, Any],
              entry: _Entry, elements: Mapping[str, str]) -> None:
    path = f"$.service_lines[{len(lines)}]"
    out.sources[path] = entry.at
    out.sources[f"{path}.procedure_code"] = f"{entry.at}.code"
    for name, element in elements.items():
        out.sources[f"{path}.{name}"] = f"{entry.at}.{element}"
    if isinstance(line["charge"], Decimal):
        line["charge"] = str(line["charge"])
    lines.append(line)


def encounter_request(bundle: Mapping[str, Any]) -> EncounterRequest:
    """The encounter and codes a Bundle asks for; BundleRefused with every finding (rule ids
    `fhir.*`, FHIRPath paths) when it lacks what the encounter needs."""
    reader = _Reader(bundle)
    if bundle.get("type") not in _BUNDLE_TYPES:
        reader.refuse("fhir.bundle_type", "Bundle.type",
                      "The Bundle must be a transaction or a collection.")
    out = EncounterRequest(encounter={}, codes={})
    patient = reader.one("Patient")
    encounter = reader.one("Encounter")
    if patient is not None:
        out.encounter["patient"] = _patient(reader, patient, out)
    if encounter is not None:
        _encounter(reader, encounter, out)
        _lines(reader, _diagnoses(reader, encounter, out), out)
    if reader.issues:
        raise BundleRefused(reader.issues)
    return out


def transaction_response(bundle: Mapping[str, Any], encounter_id: str, version: int,
                         created: bool, outcome: Mapping[str, Any]) -> dict[str, Any]:
    """The answer to a Bundle: one entry per entry sent, in its order. Every resource went into
    one encounter, so each entry's answer names it; the Encounter's carries the validation
    findings as its outcome."""
    status = "201 Created" if created else "200 OK"
    location = f"Encounter/{encounter_id}/_history/{version}"
    entries = []
    for raw in bundle.get("entry") or []:
        response: dict[str, Any] = {"status": status, "location": location}
        if (raw.get("resource") or {}).get("resourceType") == "Encounter":
            response |= {"etag": fhir_etag(version), "outcome": dict(outcome)}
        entries.append({"response": response})
    return {"resourceType": "Bundle", "type": "transaction-response", "entry": entries}


# --- out ---------------------------------------------------------------------------------


def _npi_reference(npi: str, display: str | None = None) -> dict[str, Any]:
    reference: dict[str, Any] = {"identifier": {"system": NPI, "value": npi}}
    if display:
        reference["display"] = display
    return reference


def _procedure_coding(code: str) -> dict[str, Any]:
    # HCPCS Level II codes start with a letter; CPT codes (Category I-III, PLA) with a digit.
    return {"system": HCPCS if code[:1].isalpha() else CPT, "code": code}


def _address_out(address: Mapping[str, Any]) -> dict[str, Any]:
    return {"line": [line for line in (address.get("line1"), address.get("line2")) if line],
            "city": address["city"], "state": address["state"],
            "postalCode": address["postal_code"], "country": "US"}


def _patient_out(patient: Mapping[str, Any]) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Patient", "id": "patient",
        "identifier": [{"type": {"coding": [{"system": IDENTIFIER_TYPE, "code": "MR"}]},
                        "value": patient["id"]}],
        "name": [{"family": patient["last_name"], "given": [patient["first_name"]]}],
        "gender": _SEX_TO_GENDER[patient["sex"]],
        "birthDate": str(patient["birth_date"]),
    }
    if patient.get("address"):
        resource["address"] = [_address_out(patient["address"])]
    return resource


def _occurrence(line: Mapping[str, Any], date_of_service: str, prefix: str) -> dict[str, Any]:
    start = str(line.get("date_of_service") or date_of_service)
    if line.get("date_of_service_to"):
        return {f"{prefix}Period": {"start": start, "end": str(line["date_of_service_to"])}}
    return {f"{prefix}DateTime": start}


def encounter_resource(encounter: Mapping[str, Any]) -> dict[str, Any]:
    """An encounter (the JSON API's `EncounterOut`, as JSON) as a FHIR R4 Encounter with its
    Patient, Location, Conditions, Procedures and ChargeItems contained."""
    date_of_service = str(encounter["date_of_service"])
    place = encounter["place_of_service"]
    facility = encounter.get("service_facility")
    location: dict[str, Any] = {
        "resourceType": "Location", "id": "location",
        "type": [{"coding": [{"system": PLACE_OF_SERVICE, "code": place}]}],
    }
    if facility:
        location["name"] = facility["name"]
        location["address"] = _address_out(facility["address"])
        if facility.get("npi"):
            location["identifier"] = [{"system": NPI, "value": facility["npi"]}]
    diagnoses = [d["code"] for d in encounter["diagnoses"]]
    conditions = [{
        "resourceType": "Condition", "id": f"condition-{n}",
        "category": [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/condition-category",
            "code": "encounter-diagnosis"}]}],
        "code": {"coding": [{"system": ICD10CM, "code": code}]},
        "subject": {"reference": "#patient"},
        "encounter": {"reference": "#"},
    } for n, code in enumerate(diagnoses, 1)]
    procedures, charges = [], []
    for n, line in enumerate(encounter["service_lines"], 1):
        code = {"coding": [_procedure_coding(line["procedure_code"])]}
        reasons = [{"reference": f"#condition-{p}"} for p in line["diagnosis_pointers"]
                   if 1 <= p <= len(diagnoses)]
        procedure: dict[str, Any] = {
            "resourceType": "Procedure", "id": f"procedure-{n}", "status": "completed",
            "code": code, "subject": {"reference": "#patient"}, "encounter": {"reference": "#"},
            **_occurrence(line, date_of_service, "performed"),
        }
        if reasons:
            procedure["reasonReference"] = reasons
        charge: dict[str, Any] = {
            "resourceType": "ChargeItem", "id": f"chargeitem-{n}", "status": "billable",
            "code": code, "subject": {"reference": "#patient"}, "context": {"reference": "#"},
            **_occurrence(line, date_of_service, "occurrence"),
            "quantity": {"value": line["units"]},
            "priceOverride": {"value": fhir_decimal(Decimal(line["charge"])), "currency": "USD"},
            "service": [{"reference": f"#procedure-{n}"}],
        }
        if line["modifiers"]:
            charge["extension"] = [{"url": MODIFIER_EXTENSION, "valueCoding": {
                "system": code["coding"][0]["system"], "code": modifier}}
                for modifier in line["modifiers"]]
        if reasons:
            charge["reason"] = [{"coding": [{"system": ICD10CM,
                                             "code": diagnoses[p - 1]}]}
                                for p in line["diagnosis_pointers"] if 1 <= p <= len(diagnoses)]
        procedures.append(procedure)
        charges.append(charge)
    participants: list[dict[str, Any]] = [{
        "type": [{"coding": [{"system": PARTICIPATION, "code": "PPRF"}]}],
        "individual": _npi_reference(encounter["rendering_provider_npi"]),
    }]
    referring = encounter.get("referring_provider")
    if referring:
        participants.append({
            "type": [{"coding": [{"system": PARTICIPATION, "code": "REF"}]}],
            "individual": _npi_reference(
                referring["npi"], f"{referring['first_name']} {referring['last_name']}"),
        })
    resource: dict[str, Any] = {
        "resourceType": "Encounter",
        "id": encounter["id"],
        "meta": {"versionId": str(encounter["version"]),
                 "lastUpdated": str(encounter["updated_at"])},
        "contained": [_patient_out(encounter["patient"]), location, *conditions, *procedures,
                      *charges],
        "extension": [
            {"url": CODING_STATUS_EXTENSION, "valueCode": encounter["status"]},
            {"url": CODING_VERSION_EXTENSION, "valueInteger": encounter["coding_version"]},
        ],
        "identifier": [{"value": encounter["external_id"]}],
        # The visit itself took place: what is still open is its coding (the extension).
        "status": "finished",
        "class": {"system": ACT_CODE, "code": _CLASS_OF_PLACE.get(place, "AMB")},
        "subject": {"reference": "#patient"},
        "participant": participants,
        "period": {"start": date_of_service},
        "location": [{"location": {"reference": "#location"}}],
        "serviceProvider": _npi_reference(encounter["billing_provider_npi"]),
    }
    if conditions:
        resource["diagnosis"] = [{
            "condition": {"reference": f"#condition-{n}"},
            "use": {"coding": [{"system": DIAGNOSIS_ROLE, "code": "billing"}]},
            "rank": n,
        } for n in range(1, len(conditions) + 1)]
    return resource
