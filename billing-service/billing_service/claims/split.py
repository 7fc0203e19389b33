"""An encounter too large for one professional claim, split into claims that each fit. Pure.

An 837P claim carries at most 12 diagnoses and 50 service lines. An encounter whose lines
point at more than 12 distinct diagnoses, or with more than 50 lines, is billed as several
claims: each line goes, with the diagnoses it points at, to the first claim that still has
room for both (first fit, in the encounter's order). A line so keeps its own diagnoses on its
claim, each claim carries exactly the diagnoses its lines point at, and every line is billed
once. The claim builder then numbers each claim's lines and pointers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from billing_service.claims.builder import EncounterLine
from billing_service.x12.claim_shape import MAX_CLAIM_DIAGNOSES, MAX_CLAIM_LINES, dotted_icd

# A pointer at no diagnosis of the encounter: kept out of range on its claim, so the
# scrubber reports it there as it would on a whole encounter.
NOWHERE = 0


@dataclass(frozen=True, slots=True)
class EncounterPart:
    """What one claim bills: diagnoses as the encounter names them, lines pointing into them."""

    diagnoses: tuple[str, ...]
    lines: tuple[EncounterLine, ...]


@dataclass(slots=True)
class _Group:
    codes: set[str] = field(default_factory=set)
    lines: list[int] = field(default_factory=list)

    def takes(self, codes: set[str]) -> bool:
        return (len(self.lines) < MAX_CLAIM_LINES
                and len(self.codes | codes) <= MAX_CLAIM_DIAGNOSES)


def split_encounter(
    diagnoses: Sequence[str], lines: Sequence[EncounterLine]
) -> list[EncounterPart]:
    """The encounter as one part when one claim holds it, otherwise as several that each fit."""
    codes = [dotted_icd(code) for code in diagnoses]
    line_codes = [
        {codes[pointer - 1] for pointer in line.diagnosis_pointers if 1 <= pointer <= len(codes)}
        for line in lines
    ]
    referenced = set().union(*line_codes)
    if len(referenced) <= MAX_CLAIM_DIAGNOSES and len(lines) <= MAX_CLAIM_LINES:
        return [EncounterPart(tuple(diagnoses), tuple(lines))]

    groups: list[_Group] = []
    for index, own in enumerate(line_codes):
        group = next((g for g in groups if g.takes(own)), None)
        if group is None:
            group = _Group()
            groups.append(group)
        group.codes |= own
        group.lines.append(index)
    return [_part(codes, lines, group) for group in groups]


def _part(codes: list[str], lines: Sequence[EncounterLine], group: _Group) -> EncounterPart:
    # The encounter's order, each code once.
    kept = list(dict.fromkeys(code for code in codes if code in group.codes))
    position = {code: number for number, code in enumerate(kept, start=1)}

    def renumbered(line: EncounterLine) -> EncounterLine:
        pointers = tuple(
            position[codes[pointer - 1]] if 1 <= pointer <= len(codes) else NOWHERE
            for pointer in line.diagnosis_pointers
        )
        return replace(line, diagnosis_pointers=pointers)

    return EncounterPart(tuple(kept), tuple(renumbered(lines[i]) for i in group.lines))
