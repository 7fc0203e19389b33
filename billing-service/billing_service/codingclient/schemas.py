"""What billing reads from coding-service. Unknown fields are ignored so coding-service can
grow its responses without breaking billing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from rcm_shared.ids import CodingVersion, Cursor, EncounterId, Npi, PatientId
from rcm_shared.money import Money
from rcm_shared.schemas import DiagnosisPointer, Units


class _Tolerant(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class AddressFacts(_Tolerant):
    """rcm_shared.address.Address as coding-service checked and stored it."""

    line1: str
    line2: str | None = None
    city: str
    state: str
    postal_code: str


class PatientFacts(_Tolerant):
    id: PatientId
    first_name: str
    last_name: str
    birth_date: date
    sex: str
    address: AddressFacts | None = None


class ReferringFacts(_Tolerant):
    npi: Npi
    first_name: str
    last_name: str


class FacilityFacts(_Tolerant):
    name: str
    npi: Npi | None = None
    address: AddressFacts


class NdcFacts(_Tolerant):
    code: str  # the 11-digit 5-4-2 form coding-service stores
    unit: str
    quantity: Decimal


class CodedDiagnosis(_Tolerant):
    code: str


class CodedServiceLine(_Tolerant):
    procedure_code: str
    modifiers: list[str] = Field(default_factory=list)
    units: Units
    charge: Money
    diagnosis_pointers: list[DiagnosisPointer] = Field(default_factory=list)
    date_of_service: date | None = None  # None: the encounter's
    date_of_service_to: date | None = None
    ndc: NdcFacts | None = None


class EncounterSummary(_Tolerant):
    """GET /v1/encounters/{id}: where the encounter is in coding."""

    id: EncounterId
    status: str
    coding_version: CodingVersion


class CodedEncounter(_Tolerant):
    """GET /v1/encounters/{id}/coding-versions/{n}: the frozen codes and the encounter facts."""

    encounter_id: EncounterId
    coding_version: CodingVersion
    external_id: str | None = None
    patient: PatientFacts
    date_of_service: date
    place_of_service: str
    rendering_provider_npi: Npi
    billing_provider_npi: Npi
    referring_provider: ReferringFacts | None = None
    service_facility: FacilityFacts | None = None
    prior_authorization: str | None = None
    diagnoses: list[CodedDiagnosis]
    service_lines: list[CodedServiceLine]


class EncounterEvent(_Tolerant):
    """One event of GET /v1/events; a webhook delivery carries the same fields."""

    cursor: Cursor
    type: str = Field(min_length=1, max_length=32)
    encounter_id: EncounterId
    coding_version: CodingVersion
    occurred_at: datetime


class EventPage(_Tolerant):
    """GET /v1/events?after=: the events after a cursor, oldest first."""

    items: list[EncounterEvent]
    next_cursor: Cursor | None = None
