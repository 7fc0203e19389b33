"""Encounter coding version -> professional claim (837P shape). Pure: no I/O.

The claim carries at most 12 diagnoses (the HI segment), principal first. When an encounter
has more, the ones the service lines point at are kept first, and each line's pointers are
renumbered to the claim's diagnosis list. An encounter whose lines point at more than 12 is
split into several claims first (claims/split.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from billing_service.payers.adapter import DrugCode
from billing_service.x12.claim_shape import MAX_CLAIM_DIAGNOSES, dotted_icd
from rcm_shared.money import ZERO, to_money


@dataclass(frozen=True, slots=True)
class EncounterLine:
    procedure_code: str
    modifiers: tuple[str, ...]
    units: int
    charge: Decimal
    diagnosis_pointers: tuple[int, ...]  # 1-based into the encounter's diagnoses
    date_of_service: date | None = None  # None: the encounter's
    date_of_service_to: date | None = None
    ndc: DrugCode | None = None


@dataclass(frozen=True, slots=True)
class BuiltLine:
    line_number: int
    procedure_code: str
    modifiers: tuple[str, ...]
    units: int
    charge: Decimal
    diagnosis_pointers: tuple[int, ...]  # 1-based into the claim's diagnoses
    date_of_service: date
    date_of_service_to: date | None = None
    ndc: DrugCode | None = None


@dataclass(frozen=True, slots=True)
class BuiltClaim:
    diagnoses: tuple[str, ...]
    lines: tuple[BuiltLine, ...]
    total_charge: Decimal
    # Diagnoses a line points at that did not fit in the claim's 12.
    omitted_diagnoses: tuple[str, ...]


def build_claim(
    diagnoses: Sequence[str], lines: Sequence[EncounterLine], date_of_service: date
) -> BuiltClaim:
    unique_codes, first_position = _deduplicate([dotted_icd(code) for code in diagnoses])
    # Encounter position (1-based) -> index into unique_codes.
    unique_index = {position: first_position[code] for position, code in
                    enumerate((dotted_icd(c) for c in diagnoses), start=1)}

    referenced = {
        unique_index[pointer] for line in lines for pointer in line.diagnosis_pointers
        if pointer in unique_index
    }
    principal = {0} if unique_codes else set()
    preferred = sorted(principal | referenced)
    others = [i for i in range(len(unique_codes)) if i not in referenced and i not in principal]
    kept = sorted((preferred + others)[:MAX_CLAIM_DIAGNOSES])
    claim_position = {index: position for position, index in enumerate(kept, start=1)}

    built_lines = tuple(
        BuiltLine(
            line_number=number,
            procedure_code=line.procedure_code.strip().upper(),
            modifiers=tuple(m.strip().upper() for m in line.modifiers),
            units=line.units,
            charge=to_money(line.charge),
            diagnosis_pointers=_remap(line.diagnosis_pointers, unique_index, claim_position),
            date_of_service=line.date_of_service or date_of_service,
            date_of_service_to=line.date_of_service_to,
            ndc=line.ndc,
        )
        for number, line in enumerate(lines, start=1)
    )
    return BuiltClaim(
        diagnoses=tuple(unique_codes[i] for i in kept),
        lines=built_lines,
        total_charge=sum_charges(built_lines),
        omitted_diagnoses=tuple(
            unique_codes[i] for i in sorted(referenced) if i not in claim_position
        ),
    )


def sum_charges(lines: Sequence[BuiltLine]) -> Decimal:
    return to_money(sum((line.charge for line in lines), ZERO))


def _deduplicate(codes: list[str]) -> tuple[list[str], dict[str, int]]:
    unique: list[str] = []
    first_position: dict[str, int] = {}
    for code in codes:
        if code not in first_position:
            first_position[code] = len(unique)
            unique.append(code)
    return unique, first_position


def _remap(
    pointers: Sequence[int], unique_index: dict[int, int], claim_position: dict[int, int]
) -> tuple[int, ...]:
    remapped: list[int] = []
    for pointer in pointers:
        if pointer not in unique_index:
            # Points at no encounter diagnosis: kept as is, so the scrubber reports it.
            remapped.append(pointer)
            continue
        position = claim_position.get(unique_index[pointer])
        if position is not None and position not in remapped:
            remapped.append(position)
    return tuple(remapped)
