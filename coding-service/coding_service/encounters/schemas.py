"""Request and response bodies of the encounter API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints

from coding_service.encounters.state_machine import EncounterStatus
from rcm_shared.address import Address
from rcm_shared.dates import IsoDate
from rcm_shared.ids import Npi, PatientId
from rcm_shared.issues import IssueOut
from rcm_shared.money import Money
from rcm_shared.schemas import (
    MAX_DIAGNOSES,
    NO_CONTROL_CHARACTERS,
    DiagnosisPointer,
    Units,
)
from rcm_shared.schemas import RequestModel as Input

Text100 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
# Code fields take any short alphanumeric text: whether it is a real code is a validation rule
# (reported as an issue the coder can fix), not a schema error.
CodeText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10,
                           pattern=r"^[A-Za-z0-9.]+$")
]
ModifierText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4,
                           pattern=r"^[A-Za-z0-9]+$")
]
Sex = Literal["F", "M", "U"]

# Generous schema caps that stop oversize bodies; the billing limits (12 diagnoses, 50 lines,
# 4 modifiers, 4 pointers) are validation rules reported as issues, so coders see them.
MAX_LINES_ACCEPTED = 100


# X12 REF02 of a prior authorization (REF*G1): 1-50 characters, none of them blank space alone.
PriorAuthorization = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50,
                           pattern=r"^[\x21-\x7e][\x20-\x7e]*$")
]


class Patient(Input):
    id: PatientId
    first_name: Text100
    last_name: Text100
    birth_date: IsoDate
    sex: Sex
    address: Address | None = None


class ReferringProvider(Input):
    npi: Npi
    first_name: Text100
    last_name: Text100


class ServiceFacility(Input):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
    npi: Npi | None = None
    address: Address


class EncounterFields(Input):
    patient: Patient
    date_of_service: IsoDate
    place_of_service: Annotated[str, StringConstraints(pattern=r"^[0-9]{2}$")]
    rendering_provider_npi: Npi
    billing_provider_npi: Npi
    referring_provider: ReferringProvider | None = None
    service_facility: ServiceFacility | None = None
    prior_authorization: PriorAuthorization | None = None


class EncounterCreate(EncounterFields):
    external_id: Text100


class Diagnosis(Input):
    code: CodeText


class Ndc(Input):
    """The National Drug Code of a drug line: 11 digits, or 10 with hyphens (5-4-2, 4-4-2,
    5-3-2, 5-4-1), stored as the 11-digit 5-4-2 form billing sends."""

    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=13,
                                           pattern=r"^[0-9-]+$")]
    unit: Literal["F2", "GR", "ME", "ML", "UN"]
    quantity: Annotated[Decimal, Field(gt=0, le=Decimal("9999999.999"), decimal_places=3)]


class ServiceLine(Input):
    procedure_code: CodeText
    modifiers: list[ModifierText] = Field(default_factory=list, max_length=10)
    units: Units
    charge: Money
    diagnosis_pointers: list[DiagnosisPointer] = Field(default_factory=list, max_length=12)
    date_of_service: IsoDate | None = None  # the encounter's when left out
    date_of_service_to: IsoDate | None = None  # the last day of a range (a monthly service)
    ndc: Ndc | None = None


class Codes(Input):
    diagnoses: list[Diagnosis] = Field(default_factory=list, max_length=MAX_DIAGNOSES)
    service_lines: list[ServiceLine] = Field(
        default_factory=list, max_length=MAX_LINES_ACCEPTED
    )


class QueryCreate(Input):
    question: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                               max_length=4000)]


class QueryAnswer(Input):
    answer: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=4000)]


class ReopenRequest(Input):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] | None = None


class ProviderQueryOut(BaseModel):
    id: str
    question: str
    answer: str | None
    status: Literal["open", "answered"]
    asked_by: str
    answered_by: str | None
    asked_at: datetime
    answered_at: datetime | None


class EncounterOut(BaseModel):
    id: str
    external_id: str
    status: EncounterStatus
    version: int
    coding_version: int
    patient: Patient
    date_of_service: date
    place_of_service: str
    rendering_provider_npi: str
    billing_provider_npi: str
    referring_provider: ReferringProvider | None
    service_facility: ServiceFacility | None
    prior_authorization: str | None
    diagnoses: list[Diagnosis]
    service_lines: list[ServiceLine]
    issues: list[IssueOut]
    queries: list[ProviderQueryOut]
    created_at: datetime
    updated_at: datetime


class EncounterSummary(BaseModel):
    id: str
    external_id: str
    status: EncounterStatus
    version: int
    coding_version: int
    patient_id: str
    date_of_service: date
    updated_at: datetime


class CodingVersionOut(BaseModel):
    """A frozen coding version with the encounter facts a claim is built from."""

    encounter_id: str
    external_id: str
    coding_version: int
    finalized_at: datetime
    finalized_by: str
    patient: Patient
    date_of_service: date
    place_of_service: str
    rendering_provider_npi: str
    billing_provider_npi: str
    referring_provider: ReferringProvider | None
    service_facility: ServiceFacility | None
    prior_authorization: str | None
    diagnoses: list[Diagnosis]
    service_lines: list[ServiceLine]


# What an encounter's history records (encounters/service.py's EVENT_*).
EncounterEventType = Literal[
    "encounter.created", "encounter.codes_updated", "encounter.finalized",
    "encounter.reopened", "encounter.query_opened", "encounter.query_answered",
]


class EncounterEventOut(BaseModel):
    id: int
    type: EncounterEventType
    actor: str
    occurred_at: datetime
    data: dict[str, Any]


def _encounter_facts(encounter: Any) -> dict[str, Any]:
    """The encounter fields every representation repeats: patient, date, place, providers."""
    return {
        "external_id": encounter.external_id,
        "patient": {
            "id": encounter.patient_id,
            "first_name": encounter.patient_first_name,
            "last_name": encounter.patient_last_name,
            "birth_date": encounter.patient_birth_date,
            "sex": encounter.patient_sex,
            "address": encounter.patient_address,
        },
        "date_of_service": encounter.date_of_service,
        "place_of_service": encounter.place_of_service,
        "rendering_provider_npi": encounter.rendering_provider_npi,
        "billing_provider_npi": encounter.billing_provider_npi,
        "referring_provider": encounter.referring_provider,
        "service_facility": encounter.service_facility,
        "prior_authorization": encounter.prior_authorization,
    }


# What an encounter holds was checked for control characters when it came in: its answers are
# built without the request models' per-field search again.
def encounter_out(encounter: Any, queries: Any) -> EncounterOut:
    return EncounterOut.model_validate({
        **_encounter_facts(encounter),
        "id": encounter.id,
        "status": encounter.status,
        "version": encounter.version,
        "coding_version": encounter.coding_version,
        "diagnoses": encounter.diagnoses,
        "service_lines": encounter.service_lines,
        "issues": encounter.issues,
        "queries": [ProviderQueryOut.model_validate(q, from_attributes=True) for q in queries],
        "created_at": encounter.created_at,
        "updated_at": encounter.updated_at,
    }, context=NO_CONTROL_CHARACTERS)


def coding_version_out(encounter: Any, snapshot: Any) -> CodingVersionOut:
    return CodingVersionOut.model_validate({
        **_encounter_facts(encounter),
        "encounter_id": encounter.id,
        "coding_version": snapshot.coding_version,
        "finalized_at": snapshot.finalized_at,
        "finalized_by": snapshot.finalized_by,
        "diagnoses": snapshot.diagnoses,
        "service_lines": snapshot.service_lines,
    }, context=NO_CONTROL_CHARACTERS)
