"""The entry point of the rule engine: every rule of the contract over one encounter.

Pure: no I/O and nothing compiled per call. The caller fetches the NCCI edits for the
encounter's procedure codes (coding_service.ncci.repository.NcciRepository.edits_for) and
passes them in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from coding_service.codesets.types import CodeSets
from coding_service.ncci.edits import MueEdit, NcciEdits, PtpEdit
from coding_service.validation.diagnoses import check_diagnoses
from coding_service.validation.em_rules import check_evaluation_management
from coding_service.validation.encounter_rules import check_encounter
from coding_service.validation.model import EncounterFacts, ServiceLine
from coding_service.validation.ncci_rules import check_ncci
from coding_service.validation.service_lines import check_service_lines
from rcm_shared.issues import Issue

__all__ = [
    "EncounterFacts",
    "Issue",
    "MueEdit",
    "NcciEdits",
    "PtpEdit",
    "ServiceLine",
    "validate_encounter",
]


def validate_encounter(
    facts: EncounterFacts,
    diagnoses: Sequence[str],
    service_lines: Sequence[ServiceLine],
    code_sets: CodeSets,
    edits: NcciEdits,
    today: date,
) -> list[Issue]:
    """Every issue with the encounter, in the order of the request body's fields.

    `diagnoses` are the codes in sequence (first = primary), dotted or undotted, any case;
    `today` is the latest date it can be where the clinic is, for the future-date rule.
    """
    issues: list[Issue] = []
    check_encounter(facts, code_sets, today, issues)
    check_diagnoses(facts, diagnoses, code_sets, issues)
    check_service_lines(facts, service_lines, len(diagnoses), code_sets, today, issues)
    check_evaluation_management(facts, service_lines, code_sets, issues)
    check_ncci(service_lines, code_sets, edits, issues)
    return issues
