"""What the rule engine reads and what it answers with: plain frozen values, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class PostalAddress:
    """An address the claim carries, with where it sits in the request body."""

    path: str  # e.g. "$.patient.address"
    state: str
    postal_code: str


@dataclass(frozen=True, slots=True)
class EncounterFacts:
    patient_birth_date: date
    patient_sex: str  # F | M | U
    date_of_service: date
    place_of_service: str
    rendering_provider_npi: str
    billing_provider_npi: str
    addresses: tuple[PostalAddress, ...] = ()
    # NPIs beyond the rendering and billing providers': (path, NPI), e.g. the referring one.
    other_npis: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ServiceLine:
    procedure_code: str
    modifiers: tuple[str, ...]
    units: int
    charge: Decimal
    diagnosis_pointers: tuple[int, ...]
    date_of_service: date | None = None  # None: the encounter's
    date_of_service_to: date | None = None
    ndc_code: str | None = None
