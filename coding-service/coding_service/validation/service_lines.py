"""Service-line rules: procedure codes, modifiers, units, charges and diagnosis pointers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from coding_service.codesets.types import CodeSets, ProcedureCode
from coding_service.validation import rules
from coding_service.validation.model import EncounterFacts, ServiceLine
from rcm_shared.issues import Issue

# X12 837P limits: 50 lines per claim, 4 modifiers and 4 diagnosis pointers per line.
MAX_SERVICE_LINES = 50
MAX_MODIFIERS = 4
MAX_POINTERS = 4

# CPT Category I \d{5}, Category II \d{4}F, Category III \d{4}T, PLA \d{4}U; HCPCS II [A-V]\d{4}.
_PROCEDURE = re.compile(r"\d{4}[0-9FTU]|[A-V]\d{4}")
_MODIFIER = re.compile(r"[0-9A-Z]{2}")
_X_MODIFIERS = ("XE", "XS", "XP", "XU")
_LATERALITY = ("LT", "RT")
# CPT's evaluation and management section, for codes the shipped table does not list.
_EM_FIRST, _EM_LAST = "99202", "99499"
_SEX_NAMES = {"F": "female", "M": "male"}


def normalize_procedure(text: str) -> str:
    return text.strip().upper()


# The hyphenated 10-digit NDC layouts labelers print, and the 5-4-2 zero padding that makes
# each the 11-digit form claims carry (HIPAA 837P LIN03).
_NDC_LAYOUTS = {(5, 4, 2), (4, 4, 2), (5, 3, 2), (5, 4, 1)}


def canonical_ndc(text: str) -> str | None:
    """The 11-digit form of an NDC (12345-678-90 -> 12345067890), or None if it is not one."""
    code = text.strip()
    if code.isdigit():
        return code if len(code) == 11 else None
    parts = code.split("-")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return None
    lengths = tuple(len(part) for part in parts)
    if lengths not in _NDC_LAYOUTS:
        return None
    return parts[0].zfill(5) + parts[1].zfill(4) + parts[2].zfill(2)


def check_service_lines(
    facts: EncounterFacts,
    lines: Sequence[ServiceLine],
    diagnosis_count: int,
    code_sets: CodeSets,
    today: date,
    issues: list[Issue],
) -> None:
    if not lines:
        issues.append(rules.SERVICE_LINES_EMPTY.issue(
            "$.service_lines",
            "The encounter has no service line: add the procedures or visits performed.",
        ))
        return
    if len(lines) > MAX_SERVICE_LINES:
        issues.append(rules.SERVICE_LINES_TOO_MANY.issue(
            "$.service_lines",
            f"A professional claim carries at most {MAX_SERVICE_LINES} service lines; this "
            f"encounter has {len(lines)}; it is billed as several claims.",
        ))
    for index, line in enumerate(lines):
        path = f"$.service_lines[{index}]"
        procedure = _check_procedure(facts, line, path, code_sets, issues)
        _check_modifiers(line, procedure, path, code_sets, issues)
        if line.units < 1:
            issues.append(rules.UNITS_MINIMUM.issue(
                f"{path}.units", f"Units must be at least 1; this line has {line.units}."
            ))
        if line.charge <= 0:
            issues.append(rules.CHARGE_POSITIVE.issue(
                f"{path}.charge",
                f"The charge must be more than 0.00; this line has {line.charge}.",
            ))
        _check_pointers(line, path, diagnosis_count, issues)
        _check_line_dates(facts, line, path, today, issues)
        if line.ndc_code is not None and canonical_ndc(line.ndc_code) is None:
            issues.append(rules.NDC_FORMAT.issue(
                f"{path}.ndc.code",
                f"'{line.ndc_code}' is not an NDC: give the 11 digits (12345678901) or the "
                "10-digit code as printed with its hyphens (5-4-2, 4-4-2, 5-3-2 or 5-4-1).",
            ))


def _check_procedure(
    facts: EncounterFacts,
    line: ServiceLine,
    path: str,
    code_sets: CodeSets,
    issues: list[Issue],
) -> ProcedureCode | None:
    code = normalize_procedure(line.procedure_code)
    if not _PROCEDURE.fullmatch(code):
        issues.append(rules.PROCEDURE_FORMAT.issue(
            f"{path}.procedure_code",
            f"'{line.procedure_code}' is not a CPT or HCPCS code: CPT codes are five digits "
            "(99213), or four digits and F, T or U (3074F, 0071T, 0001U); HCPCS Level II "
            "codes are a letter A to V and four digits (G0438).",
        ))
        return None
    procedure = code_sets.procedures.get(code)
    if procedure is None:
        issues.append(rules.PROCEDURE_UNKNOWN.issue(
            f"{path}.procedure_code",
            f"{code} is well-formed but not in the procedure table shipped with the service "
            "(a sample: the full CPT table is licensed by the AMA). Check it against your "
            "current CPT or HCPCS code book.",
        ))
        return None
    if procedure.sex is not None and facts.patient_sex in ("F", "M") \
            and facts.patient_sex != procedure.sex:
        issues.append(rules.PROCEDURE_SEX_CONFLICT.issue(
            f"{path}.procedure_code",
            f"{code} ({procedure.description}) is a procedure for {_SEX_NAMES[procedure.sex]} "
            f"patients; this patient's sex is {facts.patient_sex}. Check the code and the "
            "patient's recorded sex.",
        ))
    return procedure


def _check_modifiers(
    line: ServiceLine,
    procedure: ProcedureCode | None,
    path: str,
    code_sets: CodeSets,
    issues: list[Issue],
) -> None:
    if len(line.modifiers) > MAX_MODIFIERS:
        issues.append(rules.MODIFIER_TOO_MANY.issue(
            f"{path}.modifiers",
            f"A service line carries at most {MAX_MODIFIERS} modifiers; this one has "
            f"{len(line.modifiers)}. Keep the payment modifiers first.",
        ))
    position: dict[str, int] = {}
    for index, text in enumerate(line.modifiers):
        modifier_path = f"{path}.modifiers[{index}]"
        modifier = text.strip().upper()
        if not _MODIFIER.fullmatch(modifier):
            issues.append(rules.MODIFIER_FORMAT.issue(
                modifier_path,
                f"'{text}' is not a modifier: modifiers are two letters or digits (25, RT, XS).",
            ))
            continue
        if modifier in position:
            issues.append(rules.MODIFIER_DUPLICATE.issue(
                modifier_path, f"Modifier {modifier} is already on this line; list it once."
            ))
            continue
        position[modifier] = index
        if modifier not in code_sets.modifiers:
            issues.append(rules.MODIFIER_UNKNOWN.issue(
                modifier_path,
                f"Modifier {modifier} is not in the modifier table shipped with the service; "
                "check it against the CPT and HCPCS modifier lists.",
            ))

    code = normalize_procedure(line.procedure_code)
    if "25" in position and not _is_evaluation_management(code, procedure):
        issues.append(rules.MODIFIER_25_REQUIRES_EM.issue(
            f"{path}.modifiers[{position['25']}]",
            f"Modifier 25 (significant, separately identifiable E/M service) belongs on an "
            f"evaluation and management code, and {code} is not one: move 25 to the E/M line "
            "or remove it.",
        ))
    if "59" in position:
        for x_modifier in _X_MODIFIERS:
            if x_modifier in position:
                issues.append(rules.MODIFIER_59_WITH_X.issue(
                    f"{path}.modifiers[{position['59']}]",
                    f"Modifiers 59 and {x_modifier} are not used together: XE, XS, XP and XU "
                    f"are the specific forms of 59. Keep {x_modifier} and remove 59.",
                ))
                break
    if "26" in position and "TC" in position:
        issues.append(rules.MODIFIER_26_WITH_TC.issue(
            f"{path}.modifiers[{max(position['26'], position['TC'])}]",
            "Modifiers 26 (professional component) and TC (technical component) together are "
            "the global service: bill the code without either modifier.",
        ))
    if "50" in position:
        for side in _LATERALITY:
            if side in position:
                issues.append(rules.MODIFIER_50_WITH_LATERALITY.issue(
                    f"{path}.modifiers[{position[side]}]",
                    f"Modifier 50 (bilateral procedure) already covers both sides: remove {side}.",
                ))


def _is_evaluation_management(code: str, procedure: ProcedureCode | None) -> bool:
    if procedure is not None:
        return procedure.is_evaluation_management
    return code.isdigit() and _EM_FIRST <= code <= _EM_LAST


def _check_line_dates(
    facts: EncounterFacts, line: ServiceLine, path: str, today: date, issues: list[Issue]
) -> None:
    if line.date_of_service is None and line.date_of_service_to is None:
        return  # the encounter's date, checked by the encounter's rules
    dates = [(f"{path}.date_of_service", line.date_of_service),
             (f"{path}.date_of_service_to", line.date_of_service_to)]
    for date_path, day in dates:
        if day is None:
            continue
        if day > today:
            issues.append(rules.LINE_DATE_FUTURE.issue(
                date_path, f"The line's date {day.isoformat()} is in the future; bill a "
                "service only once it has been given.",
            ))
        if day < facts.patient_birth_date:
            issues.append(rules.LINE_DATE_BEFORE_BIRTH.issue(
                date_path, f"The line's date {day.isoformat()} is before the patient's birth "
                "date; check both dates.",
            ))
    start = line.date_of_service or facts.date_of_service
    if line.date_of_service_to is not None and line.date_of_service_to < start:
        issues.append(rules.LINE_DATE_RANGE.issue(
            f"{path}.date_of_service_to",
            f"The range ends on {line.date_of_service_to.isoformat()}, before it starts on "
            f"{start.isoformat()}.",
        ))


def _check_pointers(
    line: ServiceLine, path: str, diagnosis_count: int, issues: list[Issue]
) -> None:
    pointers = line.diagnosis_pointers
    if not pointers or len(pointers) > MAX_POINTERS:
        issues.append(rules.POINTER_COUNT.issue(
            f"{path}.diagnosis_pointers",
            f"A service line points at 1 to {MAX_POINTERS} diagnoses, the ones that justify "
            f"it; this one points at {len(pointers)}.",
        ))
    seen: set[int] = set()
    for index, pointer in enumerate(pointers):
        pointer_path = f"{path}.diagnosis_pointers[{index}]"
        if not 1 <= pointer <= diagnosis_count:
            listed = (
                f"pointers run from 1 to {diagnosis_count}"
                if diagnosis_count else "add the diagnoses first"
            )
            issues.append(rules.POINTER_RANGE.issue(
                pointer_path,
                f"Pointer {pointer} names no diagnosis: the encounter has {diagnosis_count} "
                f"diagnos{'i' if diagnosis_count == 1 else 'e'}s, so {listed}.",
            ))
        elif pointer in seen:
            issues.append(rules.POINTER_DUPLICATE.issue(
                pointer_path,
                f"Pointer {pointer} is already on this line; point at each diagnosis once.",
            ))
        seen.add(pointer)
