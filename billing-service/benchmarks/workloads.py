"""What each virtual user of the load generator does, one loop iteration per call.

Every body is on real codes: ICD-10-CM codes of the April 2026 edition, CPT/HCPCS codes of
the shipped procedure table, NPIs with a valid check digit, and payer data of the mock payer.
"""

from __future__ import annotations

import itertools
import json
import secrets
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from benchmarks.loadgen import Client

BILLING_NPI = "1234567893"
RENDERING_NPI = "1245319599"
PAYER_ID = "MOCK-HMO"
DATE_OF_SERVICE = (date.today() - timedelta(days=3)).isoformat()

# Ten diagnoses of a chronic-care visit and six service lines: every code billable and
# every pointer in range, so the rule engine walks every rule without stopping early.
DIAGNOSES = ["E11.9", "I10", "E78.5", "J45.909", "K21.9", "F41.1", "G47.33", "N39.0",
             "M54.50", "R51.9"]
SERVICE_LINES = [
    {"procedure_code": "99214", "modifiers": ["25"], "units": 1, "charge": "180.00",
     "diagnosis_pointers": [1, 2, 3, 4]},
    {"procedure_code": "93000", "modifiers": [], "units": 1, "charge": "45.00",
     "diagnosis_pointers": [2]},
    {"procedure_code": "36415", "modifiers": [], "units": 1, "charge": "12.00",
     "diagnosis_pointers": [1, 3]},
    {"procedure_code": "85025", "modifiers": [], "units": 1, "charge": "25.00",
     "diagnosis_pointers": [1]},
    {"procedure_code": "80053", "modifiers": [], "units": 1, "charge": "40.00",
     "diagnosis_pointers": [1, 2]},
    {"procedure_code": "81003", "modifiers": [], "units": 1, "charge": "10.00",
     "diagnosis_pointers": [8]},
]
PATIENT = {"id": "MRN-BENCH-0001", "first_name": "Bench", "last_name": "Patient",
           "birth_date": "1961-05-20", "sex": "F"}
ENCOUNTER_FACTS = {
    "patient": PATIENT,
    "date_of_service": DATE_OF_SERVICE,
    "place_of_service": "11",
    "rendering_provider_npi": RENDERING_NPI,
    "billing_provider_npi": BILLING_NPI,
}
CODES = {"diagnoses": [{"code": code} for code in DIAGNOSES], "service_lines": SERVICE_LINES}
VALIDATE_BODY = {**ENCOUNTER_FACTS, **CODES}
# A claim names where its patient lives (the scrubber refuses one that does not).
PATIENT_ADDRESS = {"line1": "1 Bench Street", "line2": None, "city": "Springfield",
                   "state": "IL", "postal_code": "62701"}
# The story's codes: a visit the mock payer pays (the plan covers both lines).
STORY_CODES = {
    "diagnoses": [{"code": "E11.9"}, {"code": "I10"}],
    "service_lines": [
        {"procedure_code": "99214", "modifiers": [], "units": 1, "charge": "200.00",
         "diagnosis_pointers": [1, 2]},
        {"procedure_code": "36415", "modifiers": [], "units": 1, "charge": "15.00",
         "diagnosis_pointers": [1]},
    ],
}
# What a coder types into a type-ahead box: code prefixes and title words.
SEARCH_QUERIES = ["E11", "diabetes", "I10", "hypertension", "J45.9", "asthma", "M54",
                  "low back pain", "S72.0", "fracture femur", "Z00", "pregnancy",
                  "K21", "reflux", "F41", "anxiety", "R51", "headache", "N39", "urinary"]

# External ids stay unique when the same database is measured twice.
_RUN = secrets.token_hex(4)
_serials = itertools.count(1)


async def ceiling(client: Client, number: int, params: dict[str, Any]) -> None:
    request = params.setdefault("_ceiling", _get(client, "ceiling", "/"))
    await client.send("GET /", "ceiling", request)


async def validate(client: Client, number: int, params: dict[str, Any]) -> None:
    request = params.setdefault("_validate", _post(client, "coding", "/v1/validate",
                                                   VALIDATE_BODY))
    await client.send("POST /v1/validate", "coding", request)


async def validate_batch(client: Client, number: int, params: dict[str, Any]) -> None:
    size = int(params.get("batch_size", 100))
    request = params.setdefault("_batch", _post(client, "coding", "/v1/validate/batch", {
        "items": [{**VALIDATE_BODY, "id": f"visit-{i}"} for i in range(size)],
    }))
    await client.send("POST /v1/validate/batch", "coding", request)
    client.recorder.unit_done(size)


async def search(client: Client, number: int, params: dict[str, Any]) -> None:
    requests = params.setdefault("_search", [
        _get(client, "coding", f"/v1/codes/icd10cm?q={query.replace(' ', '+')}&limit=10")
        for query in SEARCH_QUERIES
    ])
    turn = params["_turn"] = params.get("_turn", number) + 1
    await client.send("GET /v1/codes/icd10cm", "coding", requests[turn % len(requests)])


async def worklist(client: Client, number: int, params: dict[str, Any]) -> None:
    request = params.setdefault("_worklist", _get(client, "billing", "/v1/worklist?limit=50"))
    await client.send("GET /v1/worklist", "billing", request)


async def reads(client: Client, number: int, params: dict[str, Any]) -> None:
    """params["reads"]: [label, service, path] of GETs; each user sends one of them, the
    one of its number."""
    requests = params.setdefault("_reads", [
        (label, service, _get(client, service, path)) for label, service, path in params["reads"]
    ])
    label, service, request = requests[number % len(requests)]
    await client.send(label, service, request)


async def _coded_encounter(client: Client, number: int, codes: dict[str, Any],
                           params: dict[str, Any], patient_facts: dict[str, Any] | None = None
                           ) -> str:
    """Create, code and finalize one encounter; its id. Each of a user's visits falls on
    another day, so the payer never sees two claims for one visit."""
    serial = next(_serials)
    visits = params[f"_visits_{number}"] = params.get(f"_visits_{number}", -1) + 1
    patient = {**PATIENT, **(patient_facts or {}), "id": f"MRN-B{number:03d}"}
    visit_day = date.today() - timedelta(days=3 + visits % 360)
    created = await client.call("POST /v1/encounters", "coding", "POST", "/v1/encounters", {
        **ENCOUNTER_FACTS, "patient": patient, "date_of_service": visit_day.isoformat(),
        "external_id": f"bench-{_RUN}-{serial}",
    }, expect=(201,))
    encounter = created.json()
    coded = await client.call(
        "PUT /v1/encounters/{id}/codes", "coding", "PUT",
        f"/v1/encounters/{encounter['id']}/codes", codes,
        headers={"If-Match": created.etag or ""},
    )
    await client.call("POST /v1/encounters/{id}/finalize", "coding", "POST",
                      f"/v1/encounters/{encounter['id']}/finalize",
                      headers={"If-Match": coded.etag or ""})
    return str(encounter["id"])


async def write_path(client: Client, number: int, params: dict[str, Any]) -> None:
    await _coded_encounter(client, number, CODES, params)
    client.recorder.unit_done()


async def story(client: Client, number: int, params: dict[str, Any]) -> None:
    """Encounter coded and finalized, claim built and submitted; the payer workers send it,
    and the payer's 277CA and 835 are applied by billing-service on their own."""
    if not params.get(f"_coverage_{number}"):
        await _coverage(client, number)
        params[f"_coverage_{number}"] = True
    encounter_id = await _coded_encounter(client, number, STORY_CODES, params,
                                          {"address": PATIENT_ADDRESS})
    claim = await client.call("POST /v1/claims", "billing", "POST", "/v1/claims",
                              {"encounter_id": encounter_id}, expect=(201,))
    await client.call("POST /v1/claims/{id}/submit", "billing", "POST",
                      f"/v1/claims/{claim.json()['id']}/submit",
                      headers={"If-Match": claim.etag or ""})
    client.recorder.unit_done()


async def _coverage(client: Client, number: int) -> None:
    # An HMO member id is H and eight digits; H10000001 is the payer's scripted member.
    member = f"H{20_000_000 + number:08d}"
    await client.call("POST /v1/coverages", "billing", "POST", "/v1/coverages", {
        "patient_id": f"MRN-B{number:03d}", "payer_id": PAYER_ID, "member_id": member,
        "group_number": "G-100", "relationship": "self",
        "subscriber": {k: v for k, v in PATIENT.items() if k != "id"},
        "effective_from": (date.today() - timedelta(days=400)).isoformat(), "effective_to": None,
    }, expect=(201, 200))


def _get(client: Client, service: str, path: str) -> bytes:
    from benchmarks.loadgen import prepare

    return prepare("GET", path, client.host(service), {"Authorization": client.auth})


def _post(client: Client, service: str, path: str, body: Any) -> bytes:
    from benchmarks.loadgen import prepare

    return prepare("POST", path, client.host(service), {"Authorization": client.auth},
                   json.dumps(body).encode())
