"""Evaluation and management rules as payers apply them: the setting and age a visit code is
for, one visit a day, and modifiers 25 and 57 beside a procedure with a global period.

A procedure with a global surgery period includes the evaluation that decided it: an E/M on the
same day is paid only when it is significant and separately identifiable (modifier 25, beside a
minor procedure of 0 or 10 global days) or the decision for a major surgery (modifier 57, beside
a 90-day procedure); CMS Claims Processing Manual, Chapter 12, 30.6.6 and 40.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coding_service.codesets.types import CodeSets, ProcedureCode
from coding_service.validation import rules
from coding_service.validation.ages import age_in_years, age_text
from coding_service.validation.model import EncounterFacts, ServiceLine
from coding_service.validation.service_lines import normalize_procedure
from rcm_shared.issues import Issue

# Visit families one provider may bill on the same day beside each other: a problem-oriented
# office visit with modifier 25 beside a preventive visit (CPT preventive medicine guidelines),
# and critical care after an emergency department visit (Claims Processing Manual 12, 30.6.12).
# Keyed by ProcedureCode.visit_family values, which a non-visit code leaves None.
_SAME_DAY_PAIRS: dict[frozenset[str | None], str | None] = {
    frozenset({"preventive", "office"}): "25",
    frozenset({"emergency", "critical_care"}): None,
}


@dataclass(frozen=True, slots=True)
class _Line:
    index: int
    procedure: ProcedureCode
    modifiers: frozenset[str]

    @property
    def path(self) -> str:
        return f"$.service_lines[{self.index}]"


def check_evaluation_management(
    facts: EncounterFacts,
    lines: Sequence[ServiceLine],
    code_sets: CodeSets,
    issues: list[Issue],
) -> None:
    # One pass that keeps only what the rules need: most lines are neither a visit, nor a
    # procedure with a global period, nor a code with an age band.
    visits: list[_Line] = []
    major: _Line | None = None
    minor: _Line | None = None
    for index, line in enumerate(lines):
        procedure = code_sets.procedures.get(normalize_procedure(line.procedure_code))
        if procedure is None:
            continue
        if procedure.code in code_sets.age_bands:
            _check_age_band(facts, index, procedure, code_sets, issues)
        if procedure.visit_family is not None:
            modifiers = frozenset(m.strip().upper() for m in line.modifiers)
            visits.append(_Line(index, procedure, modifiers))
        elif major is None and procedure.is_major_procedure:
            major = _Line(index, procedure, frozenset())
        elif minor is None and procedure.is_minor_procedure:
            minor = _Line(index, procedure, frozenset())
    if not visits:
        return
    _check_settings(facts, visits, code_sets, issues)
    _check_one_visit_a_day(visits, issues)
    _check_global_surgery(visits, major, minor, issues)


def _check_age_band(
    facts: EncounterFacts, index: int, procedure: ProcedureCode, code_sets: CodeSets,
    issues: list[Issue],
) -> None:
    if facts.date_of_service < facts.patient_birth_date:
        return  # date_of_service.before_birth says it already
    band = code_sets.age_bands[procedure.code]
    age = age_in_years(facts.patient_birth_date, facts.date_of_service)
    if band.min_age_years <= age and (band.max_age_years is None or age <= band.max_age_years):
        return
    issues.append(rules.PROCEDURE_AGE_BAND.issue(
        f"$.service_lines[{index}].procedure_code",
        f"{band.code} ({procedure.description}) is for patients of {band.band}; this patient "
        f"is {age_text(facts.patient_birth_date, facts.date_of_service)} on the date of "
        "service. Use the code of the patient's age band.",
    ))


def _check_settings(
    facts: EncounterFacts, visits: list[_Line], code_sets: CodeSets, issues: list[Issue]
) -> None:
    place = facts.place_of_service
    for line in visits:
        family = line.procedure.visit_family
        group = code_sets.place_of_service_groups.get(family or "")
        if group is None or group.allows(place):
            continue
        where = " or ".join(sorted(group.places_of_service))
        rule_text = (f"billed only at place of service {where}" if group.only
                     else f"not billed at place of service {where}")
        issues.append(rules.PROCEDURE_PLACE_OF_SERVICE.issue(
            f"{line.path}.procedure_code",
            f"{line.procedure.code} is a {family.replace('_', ' ') if family else ''} visit, "
            f"{rule_text}; this encounter's place of service is {place}. Use the visit code "
            f"of the setting where the patient was seen ({group.source}).",
        ))


def _check_one_visit_a_day(visits: list[_Line], issues: list[Issue]) -> None:
    first = visits[0]
    for other in visits[1:]:
        families = frozenset({first.procedure.visit_family, other.procedure.visit_family})
        if families in _SAME_DAY_PAIRS:
            needed = _SAME_DAY_PAIRS[families]
            problem_visit = other if other.procedure.visit_family == "office" else first
            if needed is None or needed in problem_visit.modifiers:
                continue
        issues.append(rules.EM_MULTIPLE_VISITS.issue(
            f"{other.path}.procedure_code",
            f"{other.procedure.code} is a second E/M visit beside {first.procedure.code} on "
            f"line {first.index + 1}: one provider bills one visit per patient per day, at the "
            "level of the whole day's work. Keep one visit code (a problem-oriented visit "
            "beside a preventive one takes modifier 25).",
        ))


def _check_global_surgery(
    visits: list[_Line], major: _Line | None, minor: _Line | None, issues: list[Issue]
) -> None:
    for visit in visits:
        if major is not None and "57" not in visit.modifiers:
            issues.append(rules.EM_MODIFIER_57_MISSING.issue(
                f"{visit.path}.modifiers",
                f"{visit.procedure.code} is billed beside {major.procedure.code} (line "
                f"{major.index + 1}), a major procedure with a 90-day global period that "
                "includes the visit deciding it: add modifier 57 (decision for surgery) if this "
                "visit made that decision, else remove the visit.",
            ))
        elif major is None and minor is not None and "25" not in visit.modifiers:
            issues.append(rules.EM_MODIFIER_25_MISSING.issue(
                f"{visit.path}.modifiers",
                f"{visit.procedure.code} is billed beside {minor.procedure.code} (line "
                f"{minor.index + 1}), a minor procedure ({minor.procedure.global_days}-day "
                "global period) that includes the evaluation before it: add modifier 25 if the "
                "visit was significant and separately identifiable (documented apart from the "
                "procedure), else remove the visit.",
            ))
