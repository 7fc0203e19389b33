"""CMS NCCI rules: procedure-to-procedure (PTP) pairs and Medically Unlikely Edits (MUE)."""

from __future__ import annotations

from collections.abc import Sequence

from coding_service.codesets.types import CodeSets
from coding_service.ncci.edits import MueEdit, NcciEdits
from coding_service.validation import rules
from coding_service.validation.model import ServiceLine
from coding_service.validation.service_lines import normalize_procedure
from rcm_shared.issues import Issue


def check_ncci(
    lines: Sequence[ServiceLine], code_sets: CodeSets, edits: NcciEdits, issues: list[Issue]
) -> None:
    codes = [normalize_procedure(line.procedure_code) for line in lines]
    if edits.mue:
        _check_mue(lines, codes, edits, issues)
    if edits.ptp:
        _check_ptp(lines, codes, code_sets, edits, issues)


def _check_mue(
    lines: Sequence[ServiceLine], codes: list[str], edits: NcciEdits, issues: list[Issue]
) -> None:
    lines_of: dict[str, list[int]] = {}
    for index, code in enumerate(codes):
        if code in edits.mue:
            lines_of.setdefault(code, []).append(index)
    for code, indexes in lines_of.items():
        mue = edits.mue[code]
        if mue.adjudication_indicator == 1:
            for index in indexes:
                if lines[index].units > mue.mue_value:
                    issues.append(_line_edit_issue(code, index, lines[index].units, mue))
            continue
        total = sum(max(lines[index].units, 0) for index in indexes)
        if total > mue.mue_value:
            issues.append(_date_of_service_edit_issue(code, indexes[-1], total, mue))


def _date_of_service_edit_issue(code: str, index: int, total: int, mue: MueEdit) -> Issue:
    if mue.adjudication_indicator == 2:
        kind = "adjudication indicator 2, policy"
        advice = f"CMS policy allows no more, so report at most {mue.mue_value}"
    else:
        kind = f"adjudication indicator {mue.adjudication_indicator}, clinical"
        advice = (
            f"report at most {mue.mue_value}, or appeal with the medical records if more "
            "were medically necessary"
        )
    return rules.UNITS_MUE.issue(
        f"$.service_lines[{index}].units",
        f"{code}: {total} units on the date of service exceed its Medically Unlikely Edit of "
        f"{mue.mue_value}. It is a date-of-service edit ({kind}): the payer denies every unit "
        f"of {code} that day, however the lines are split; {advice}.",
    )


def _line_edit_issue(code: str, index: int, units: int, mue: MueEdit) -> Issue:
    return rules.UNITS_MUE.issue(
        f"$.service_lines[{index}].units",
        f"{code}: {units} units on this line exceed its Medically Unlikely Edit of "
        f"{mue.mue_value} per line (line edit, adjudication indicator 1), so the payer denies "
        "the line. If more units were medically necessary, split them over lines with a "
        "modifier that tells them apart (such as 76, 91, or RT/LT).",
        severity=rules.WARNING,
    )


def _check_ptp(
    lines: Sequence[ServiceLine],
    codes: list[str],
    code_sets: CodeSets,
    edits: NcciEdits,
    issues: list[Issue],
) -> None:
    # Indicator 9 marks an edit deleted as if it never existed: it never applies.
    by_pair = {
        (edit.column1, edit.column2): edit
        for edit in edits.ptp
        if edit.modifier_indicator in ("0", "1")
    }
    if not by_pair:
        return
    bypassed = [_has_bypass_modifier(line, code_sets) for line in lines]
    for column2_index, column2 in enumerate(codes):
        for column1_index, column1 in enumerate(codes):
            edit = by_pair.get((column1, column2))
            if edit is None or column1_index == column2_index:
                continue
            line2, line1 = column2_index + 1, column1_index + 1
            if edit.modifier_indicator == "0":
                message = (
                    f"{column2} on line {line2} is bundled into {column1} on line {line1} "
                    f"(NCCI PTP edit, modifier indicator 0: {edit.rationale}). No modifier "
                    f"allows both on one date: remove line {line2}."
                )
            elif bypassed[column1_index] or bypassed[column2_index]:
                continue
            else:
                message = (
                    f"{column2} on line {line2} is bundled into {column1} on line {line1} "
                    f"(NCCI PTP edit, modifier indicator 1: {edit.rationale}). If the services "
                    "were distinct (another session, site, lesion or encounter), add an "
                    "NCCI-associated modifier such as XS, XE, XU, 59, or an anatomic modifier; "
                    f"otherwise remove line {line2}."
                )
            issues.append(rules.NCCI_PTP.issue(
                f"$.service_lines[{column2_index}].procedure_code", message
            ))


def _has_bypass_modifier(line: ServiceLine, code_sets: CodeSets) -> bool:
    for text in line.modifiers:
        modifier = code_sets.modifiers.get(text.strip().upper())
        if modifier is not None and modifier.ncci_bypass:
            return True
    return False
