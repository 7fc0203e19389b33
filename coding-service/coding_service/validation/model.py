"""What the rule engine reads and what it answers with: plain frozen values, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class EncounterFacts:
    patient_birth_date: date
    patient_sex: str  # F | M | U
    date_of_service: date
    place_of_service: str
    rendering_provider_npi: str
    billing_provider_npi: str


@dataclass(frozen=True, slots=True)
class ServiceLine:
    procedure_code: str
    modifiers: tuple[str, ...]
    units: int
    charge: Decimal
    diagnosis_pointers: tuple[int, ...]
