"""ICD-10-CM diagnosis rules: code validity on the date of service, sequencing, the tabular's
"code first" and "use additional code" notes, Excludes1, and the sex and age edits."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Protocol, TypeVar

from coding_service.codesets.types import (
    CODE_FIRST,
    CodeSets,
    CompanionNote,
    DemographicEdit,
    FirstListedEdit,
    IcdCode,
    IcdCodeSet,
    IcdEdition,
    SeventhCharacterRule,
    in_code_range,
)
from coding_service.validation import rules
from coding_service.validation.ages import age_in_years, age_text
from coding_service.validation.model import EncounterFacts
from rcm_shared.issues import Issue


class _Range(Protocol):
    @property
    def first(self) -> str: ...
    @property
    def last(self) -> str: ...


_Ranged = TypeVar("_Ranged", bound=_Range)

MAX_DIAGNOSES = 12  # X12 837P: HI segment holds at most 12 diagnosis codes
EXTERNAL_CAUSE_LETTERS = frozenset("VWXY")  # chapter 20, V00-Y99

_DOTTED = re.compile(r"[A-Z][0-9][0-9A-Z]\.[0-9A-Z]{1,4}")
_UNDOTTED = re.compile(r"[A-Z][0-9][0-9A-Z][0-9A-Z]{0,4}")


def normalize_icd(text: str) -> str | None:
    """The undotted upper-case form of a dotted or undotted code, or None if malformed."""
    code = text.strip().upper()
    if "." in code:
        return code.replace(".", "") if _DOTTED.fullmatch(code) else None
    return code if _UNDOTTED.fullmatch(code) else None


def dotted(undotted: str) -> str:
    return undotted if len(undotted) <= 3 else f"{undotted[:3]}.{undotted[3:]}"


def canonical_icd(text: str) -> str:
    """The dotted upper-case form (e119 -> E11.9); malformed text upper-cased as typed."""
    code = normalize_icd(text)
    return dotted(code) if code is not None else text.strip().upper()


@dataclass(frozen=True, slots=True)
class AcceptedDiagnosis:
    """A billable diagnosis valid on the date of service, with its place in the list and the
    edition it was found in."""

    index: int
    code: IcdCode
    edition: IcdEdition


def check_diagnoses(
    facts: EncounterFacts, diagnoses: Sequence[str], code_sets: CodeSets, issues: list[Issue]
) -> None:
    if not diagnoses:
        issues.append(rules.DIAGNOSIS_EMPTY.issue(
            "$.diagnoses",
            "The encounter has no diagnosis: add at least the reason for the visit.",
        ))
        return
    if len(diagnoses) > MAX_DIAGNOSES:
        issues.append(rules.DIAGNOSIS_TOO_MANY.issue(
            "$.diagnoses",
            f"A professional claim carries at most {MAX_DIAGNOSES} diagnoses; this encounter "
            f"has {len(diagnoses)}. If its lines point at more than {MAX_DIAGNOSES}, it is "
            "billed as several claims, each line with the diagnoses it points at.",
        ))

    edition = code_sets.icd10cm.in_force(facts.date_of_service)
    # With no edition in force, a code of any loaded edition is accepted: the one of that
    # date is not loaded, so it cannot be told that a code was not valid then.
    fallbacks: list[IcdEdition] = []
    if edition is None:
        edition = code_sets.icd10cm.edition_for(facts.date_of_service)
        issues.append(_edition_not_loaded(facts.date_of_service, edition, code_sets.icd10cm))
        fallbacks = [other for other in reversed(code_sets.icd10cm.editions)
                     if other is not edition]
    accepted: list[AcceptedDiagnosis] = []
    listed: list[tuple[int, str]] = []  # every well-formed code with its place
    seen: dict[str, int] = {}
    first_code: str | None = None
    for index, text in enumerate(diagnoses):
        path = f"$.diagnoses[{index}].code"
        code = normalize_icd(text)
        if code is None:
            issues.append(rules.ICD_FORMAT.issue(
                path,
                f"'{text}' is not shaped like an ICD-10-CM code: a letter, a digit, a letter or "
                "digit, then up to four more after the dot (e.g. E11.9, S72.001A).",
            ))
            continue
        if index == 0:
            first_code = code
        listed.append((index, code))
        if code in seen:
            issues.append(rules.DIAGNOSIS_DUPLICATE.issue(
                path,
                f"{dotted(code)} is already diagnosis {seen[code] + 1}; list each code once.",
            ))
            continue
        seen[code] = index
        holder = edition
        if fallbacks and edition.get(code) is None:
            holder = next((other for other in fallbacks if other.get(code) is not None), edition)
        icd = _check_code(code, path, facts.date_of_service, holder, code_sets, issues)
        if icd is not None:
            accepted.append(AcceptedDiagnosis(index, icd, holder))

    manifestation_first = _check_sequencing(first_code, accepted, len(diagnoses), issues)
    not_first_listed = _check_first_listed(accepted, code_sets, issues)
    _check_companions(accepted, listed, manifestation_first or not_first_listed, issues)
    _check_excludes1(accepted, edition, issues)
    _check_demographics(facts, accepted, code_sets, issues)


@lru_cache(maxsize=64)  # one per date a batch or a day of requests repeats; Issue is frozen
def _edition_not_loaded(on: date, nearest: IcdEdition, icd10cm: IcdCodeSet) -> Issue:
    loaded = ", ".join(f"{e.name} ({_in_force(e)})" for e in icd10cm.editions)
    return rules.ICD_EDITION_NOT_LOADED.issue(
        "$.date_of_service",
        f"No loaded ICD-10-CM edition is in force on the date of service {on.isoformat()}: "
        f"the diagnoses are checked against the nearest, the {nearest.name} edition "
        f"({_in_force(nearest)}), and a code of any loaded edition is accepted. Loaded: "
        f"{loaded}. Check the codes against the edition of that date.",
    )


def _in_force(edition: IcdEdition) -> str:
    start = edition.effective_from.isoformat()
    if edition.effective_to is None:
        return f"in force from {start}"
    return f"in force {start} to {edition.effective_to.isoformat()}"


def _check_code(
    code: str,
    path: str,
    date_of_service: date,
    edition: IcdEdition,
    code_sets: CodeSets,
    issues: list[Issue],
) -> IcdCode | None:
    """Issues about the code itself; the code when it is billable on the date of service."""
    icd = edition.get(code)
    if icd is None:
        issues.append(_absent_code_issue(code, path, date_of_service, edition, code_sets))
        return None
    valid_from = code_sets.icd10cm.valid_from(icd.code)
    if valid_from is not None and valid_from > date_of_service:
        issues.append(rules.ICD_NOT_VALID_ON_DATE.issue(
            path,
            f"{icd.code} became valid on {valid_from.isoformat()}, after the date of service "
            f"{date_of_service.isoformat()}; use the code that was valid on that date.",
        ))
        return None
    if not icd.billable:
        issues.append(_non_billable_issue(code, icd, path, edition))
        return None
    return icd


def _absent_code_issue(
    code: str, path: str, date_of_service: date, edition: IcdEdition, code_sets: CodeSets
) -> Issue:
    shown = dotted(code)
    for other in reversed(code_sets.icd10cm.editions):
        if other is not edition and other.get(code) is not None:
            valid_from = code_sets.icd10cm.valid_from(code)
            since = f", valid from {valid_from.isoformat()}" if valid_from is not None else ""
            return rules.ICD_NOT_VALID_ON_DATE.issue(
                path,
                f"{shown} is not valid on the date of service {date_of_service.isoformat()}: "
                f"it belongs to the {other.name} edition{since}, not to the {edition.name} "
                "edition in force that day.",
            )

    if len(code) == 7:
        stem = edition.get(code[:6])
        seventh = edition.seventh_character_rule(code[:6]) if stem is not None else None
        if stem is not None and seventh is not None and code[6] not in seventh.allowed:
            return rules.ICD_SEVENTH_INVALID.issue(
                path,
                f"{shown}: '{code[6]}' is not a 7th character of {stem.code}; use "
                f"{_meanings(code[:6], seventh, limit=3)}.",
            )

    if 4 <= len(code) <= 6:
        base = edition.get(code[:-1])
        seventh = edition.seventh_character_rule(code[:-1]) if base is not None else None
        if base is not None and seventh is not None and code[-1] in seventh.allowed:
            fixed = code[:-1].ljust(6, "X") + code[-1]
            if edition.get(fixed) is not None:
                return rules.ICD_PLACEHOLDER_MISSING.issue(
                    path,
                    f"{shown} lacks the placeholder X: the 7th character must sit in the 7th "
                    f"position, so use {dotted(fixed)} ({seventh.allowed[code[-1]]}).",
                )

    for length in range(len(code) - 1, 2, -1):
        nearest = edition.get(code[:length])
        if nearest is not None:
            return rules.ICD_UNKNOWN.issue(
                path,
                f"{shown} is not an ICD-10-CM code in the {edition.name} edition. The nearest "
                f"code is {nearest.code} ({nearest.title}): pick the code under it that the "
                "documentation supports.",
            )
    return rules.ICD_UNKNOWN.issue(
        path,
        f"{shown} is not an ICD-10-CM code in the {edition.name} edition: check it for a typo "
        "or search the code set by title.",
    )


def _non_billable_issue(code: str, icd: IcdCode, path: str, edition: IcdEdition) -> Issue:
    seventh = edition.seventh_character_rule(icd.code)
    children = edition.billable_children(icd.code, limit=6)
    padded = code.ljust(6, "X")
    needs_only_seventh = bool(children) and all(
        child.code.replace(".", "")[:6] == padded for child in children
    )
    if seventh is not None and needs_only_seventh:
        if len(code) == 6:
            return rules.ICD_SEVENTH_MISSING.issue(
                path,
                f"{icd.code} needs a 7th character for the episode of care: "
                f"{_meanings(code, seventh, limit=3)}.",
            )
        return rules.ICD_PLACEHOLDER_MISSING.issue(
            path,
            f"{icd.code} needs the placeholder X to reach the 7th character: "
            f"{_meanings(padded, seventh, limit=3)}.",
        )
    kind = "a category" if len(code) == 3 else "a subcategory"
    if not children:
        return rules.ICD_HEADER.issue(
            path, f"{icd.code} ({icd.title}) is {kind}, not a billable code."
        )
    listed = ", ".join(child.code for child in children[:5])
    more = f" or another code under {icd.code}" if len(children) > 5 else ""
    return rules.ICD_HEADER.issue(
        path,
        f"{icd.code} ({icd.title}) is {kind}, not a billable code; use the code for the "
        f"documented detail: {listed}{more}.",
    )


def _meanings(base: str, seventh: SeventhCharacterRule, limit: int) -> str:
    """'S72.001A (initial encounter ...), ...' for the usual 7th characters of a code."""
    usual: list[str] = [c for c in ("A", "D", "S") if c in seventh.allowed]
    chosen = (usual or list(seventh.allowed))[:limit]
    shown = ", ".join(f"{dotted(base + c)} ({seventh.allowed[c]})" for c in chosen)
    if len(seventh.allowed) > len(chosen):
        shown += f", or another of its {len(seventh.allowed)} 7th characters"
    return shown


def _check_sequencing(
    first_code: str | None,
    accepted: list[AcceptedDiagnosis],
    diagnosis_count: int,
    issues: list[Issue],
) -> bool:
    """The sequencing rules; whether the first diagnosis is a manifestation listed first."""
    if first_code is not None and first_code[0] in EXTERNAL_CAUSE_LETTERS:
        issues.append(rules.DIAGNOSIS_EXTERNAL_CAUSE_FIRST.issue(
            "$.diagnoses[0].code",
            f"{dotted(first_code)} is an external-cause code (V00-Y99); it tells how an injury "
            "happened and may never be first-listed. List the injury or condition first.",
        ))
    if accepted and accepted[0].index == 0 and accepted[0].code.manifestation:
        icd = accepted[0].code
        where = "on its own" if diagnosis_count == 1 else "first"
        issues.append(rules.DIAGNOSIS_MANIFESTATION_FIRST.issue(
            "$.diagnoses[0].code",
            f"{icd.code} ({icd.title}) is a manifestation code and cannot be listed {where}: "
            "code the underlying condition first, then this code.",
        ))
        return True
    return False


def _check_companions(
    accepted: list[AcceptedDiagnosis],
    listed: list[tuple[int, str]],
    first_misplaced: bool,
    issues: list[Issue],
) -> None:
    """The "code first" and "use additional code" notes (those the index keeps: see
    codesets/companions.py): one of the codes a note names must be on the encounter, before
    the diagnosis for "code first"."""
    for diagnosis in accepted:
        icd, index = diagnosis.code, diagnosis.index
        for note in diagnosis.edition.companion_notes(icd.code):
            if note.kind == CODE_FIRST:
                # A first diagnosis that may not be first-listed (a manifestation, Z3A weeks of
                # gestation) already has its error, which says the same.
                if index == 0 and first_misplaced:
                    continue
                if any(note.names(code) for at, code in listed if at < index):
                    continue
                later = next((code for at, code in listed if at > index and note.names(code)),
                             None)
                issues.append(rules.DIAGNOSIS_CODE_FIRST.issue(
                    f"$.diagnoses[{index}]",
                    f"{icd.code} ({icd.title}): the tabular says 'code first {note.note}'"
                    f"{_written_at(note, icd)}, and no code of {note.labels()} is listed before "
                    "it. " + (
                        f"{dotted(later)} is listed after it: move it before {icd.code}."
                        if later is not None else
                        f"Add the code the record supports before {icd.code}."
                    ),
                ))
            elif not any(note.names(code) for at, code in listed if at != index):
                issues.append(rules.DIAGNOSIS_USE_ADDITIONAL_CODE.issue(
                    f"$.diagnoses[{index}]",
                    f"{icd.code} ({icd.title}): the tabular says 'use additional {note.note}'"
                    f"{_written_at(note, icd)}, and no code of {note.labels()} is on the "
                    "encounter. Add the one the record supports.",
                ))


def _written_at(note: CompanionNote, icd: IcdCode) -> str:
    return "" if note.source == icd.code else f" (a note at {note.source})"


def _check_first_listed(
    accepted: list[AcceptedDiagnosis], code_sets: CodeSets, issues: list[Issue]
) -> bool:
    """Whether the first diagnosis is one that may not be first-listed."""
    if not accepted or accepted[0].index != 0:
        return False
    icd = accepted[0].code
    code = icd.code.replace(".", "")
    for edit in _first_listed(code_sets).get(code[0], ()):
        if in_code_range(edit.first, edit.last, code):
            issues.append(rules.DIAGNOSIS_NOT_FIRST_LISTED.issue(
                "$.diagnoses[0].code",
                f"{icd.code} ({icd.title}) may not be first-listed: {edit.reason}. List the "
                f"condition it qualifies first ({edit.source}).",
            ))
            return True
    return False


def _check_excludes1(
    accepted: list[AcceptedDiagnosis], edition: IcdEdition, issues: list[Issue]
) -> None:
    if len(accepted) < 2:
        return
    index_of = {a.code.code: a.index for a in accepted}
    reported: set[frozenset[str]] = set()
    for conflict in edition.excludes1_conflicts(list(index_of)):
        pair = frozenset((conflict.code, conflict.excluded))
        if pair in reported or not pair <= index_of.keys():
            continue
        reported.add(pair)
        later = max(index_of[conflict.code], index_of[conflict.excluded])
        issues.append(rules.DIAGNOSIS_EXCLUDES1.issue(
            f"$.diagnoses[{later}].code",
            f"{conflict.code} and {conflict.excluded} are not coded together (Excludes1 note "
            f"at {conflict.code}: '{conflict.note}'). Keep the code the documentation "
            "supports; if the provider documents both as unrelated conditions, acknowledge "
            "this warning.",
        ))


@dataclass(frozen=True, slots=True)
class _Demographics:
    """The sex and age edits grouped by the code letters their ranges span."""

    by_letter: dict[str, tuple[DemographicEdit, ...]]

    @classmethod
    def of(cls, edits: Sequence[DemographicEdit]) -> _Demographics:
        return cls(_by_letter(edits))

    def matching(self, code: str) -> tuple[DemographicEdit, ...]:
        return tuple(
            edit
            for edit in self.by_letter.get(code[0], ())
            if in_code_range(edit.first, edit.last, code)
        )


def _by_letter(edits: Sequence[_Ranged]) -> dict[str, tuple[_Ranged, ...]]:
    """Range edits grouped by the code letters their ranges span: a code is checked only
    against the edits of its own letter."""
    grouped: dict[str, list[_Ranged]] = {}
    for edit in edits:
        for letter in range(ord(edit.first[0]), ord(edit.last[0]) + 1):
            grouped.setdefault(chr(letter), []).append(edit)
    return {letter: tuple(group) for letter, group in grouped.items()}


_first_listed_cache: list[tuple[Sequence[FirstListedEdit],
                                dict[str, tuple[FirstListedEdit, ...]]]] = []


def _first_listed(code_sets: CodeSets) -> dict[str, tuple[FirstListedEdit, ...]]:
    edits = code_sets.first_listed_edits
    if not (_first_listed_cache and _first_listed_cache[0][0] is edits):
        _first_listed_cache[:] = [(edits, _by_letter(edits))]
    return _first_listed_cache[0][1]


# The service holds one CodeSets for its lifetime, so one prepared entry is enough; the
# entry keeps its edit list alive, which makes the identity check safe.
_demographics_cache: list[tuple[Sequence[DemographicEdit], _Demographics]] = []


def _demographics(code_sets: CodeSets) -> _Demographics:
    edits = code_sets.demographic_edits
    if _demographics_cache and _demographics_cache[0][0] is edits:
        return _demographics_cache[0][1]
    prepared = _Demographics.of(edits)
    _demographics_cache[:] = [(edits, prepared)]
    return prepared


def _check_demographics(
    facts: EncounterFacts,
    accepted: list[AcceptedDiagnosis],
    code_sets: CodeSets,
    issues: list[Issue],
) -> None:
    if not accepted:
        return
    demographics = _demographics(code_sets)
    born_by_then = facts.date_of_service >= facts.patient_birth_date
    age_days = (facts.date_of_service - facts.patient_birth_date).days
    age_years = age_in_years(facts.patient_birth_date, facts.date_of_service)
    for diagnosis in accepted:
        icd = diagnosis.code
        path = f"$.diagnoses[{diagnosis.index}].code"
        for edit in demographics.matching(icd.code.replace(".", "")):
            if edit.sex is not None and facts.patient_sex in ("F", "M") \
                    and facts.patient_sex != edit.sex:
                issues.append(rules.DIAGNOSIS_SEX_CONFLICT.issue(
                    path,
                    f"{icd.code} ({icd.title}) is coded for {_SEX_NAMES[edit.sex]} patients "
                    f"only; this patient's sex is {facts.patient_sex}. Check the code and the "
                    "patient's recorded sex.",
                ))
            if born_by_then and _outside_age(edit, age_years, age_days):
                issues.append(rules.DIAGNOSIS_AGE_CONFLICT.issue(
                    path,
                    f"{icd.code} ({icd.title}) is meant for {_age_range(edit)}; the patient "
                    f"is {age_text(facts.patient_birth_date, facts.date_of_service)} on the "
                    f"date of service. Check the code and the birth date ({edit.source}).",
                    severity=edit.age_severity,
                ))


_SEX_NAMES = {"F": "female", "M": "male"}


def _outside_age(edit: DemographicEdit, age_years: int, age_days: int) -> bool:
    return (
        (edit.min_age_years is not None and age_years < edit.min_age_years)
        or (edit.max_age_years is not None and age_years > edit.max_age_years)
        or (edit.max_age_days is not None and age_days > edit.max_age_days)
    )


def _age_range(edit: DemographicEdit) -> str:
    if edit.max_age_days is not None:
        return f"newborns (0 to {edit.max_age_days} days old)"
    if edit.min_age_years is not None and edit.max_age_years is not None:
        return f"patients aged {edit.min_age_years} to {edit.max_age_years} years"
    if edit.min_age_years is not None:
        return f"patients aged {edit.min_age_years} years or more"
    return f"patients aged {edit.max_age_years} years or less"
