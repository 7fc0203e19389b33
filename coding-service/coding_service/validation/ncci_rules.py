"""CMS NCCI rules: procedure-to-procedure (PTP) pairs and Medically Unlikely Edits (MUE)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coding_service.codesets.types import CodeSets
from coding_service.ncci.edits import AddonEdit, MueEdit, NcciEdits
from coding_service.validation import rules
from coding_service.validation.model import ServiceLine
from coding_service.validation.service_lines import normalize_procedure
from rcm_shared.issues import Issue, Severity


def check_ncci(
    lines: Sequence[ServiceLine], code_sets: CodeSets, edits: NcciEdits, issues: list[Issue]
) -> None:
    codes = [normalize_procedure(line.procedure_code) for line in lines]
    if edits.mue:
        _check_mue(lines, codes, edits, issues)
    if edits.ptp:
        _check_ptp(lines, codes, code_sets, edits, issues)
    _check_addons(codes, code_sets, edits, issues)


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
    bypass = [_bypass_modifiers(line, code_sets) for line in lines]
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
            elif _distinct(bypass[column1_index], bypass[column2_index]):
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


def _check_addons(
    codes: list[str], code_sets: CodeSets, edits: NcciEdits, issues: list[Issue]
) -> None:
    """An add-on code is paid only with a primary code billed by the same provider that day.

    The add-on code edits say which primaries; a code the procedure table marks as an add-on
    (global period ZZZ) with no edit loaded needs at least some other procedure that is not an
    add-on, since an add-on code alone is never paid."""
    present = set(codes)
    for index, code in enumerate(codes):
        edit = edits.addon.get(code)
        procedure = code_sets.procedures.get(code)
        if edit is None and (procedure is None or not procedure.is_addon):
            continue
        others = {other for other in present if other != code and not _is_addon(other, code_sets,
                                                                                 edits)}
        issue = _addon_issue(code, edit, present, others)
        if issue is not None:
            severity, message = issue
            issues.append(rules.NCCI_ADDON_WITHOUT_PRIMARY.issue(
                f"$.service_lines[{index}].procedure_code", message, severity=severity
            ))


def _is_addon(code: str, code_sets: CodeSets, edits: NcciEdits) -> bool:
    procedure = code_sets.procedures.get(code)
    return code in edits.addon or (procedure is not None and procedure.is_addon)


def _addon_issue(
    code: str, edit: AddonEdit | None, present: set[str], others: set[str]
) -> tuple[Severity, str] | None:
    alone = (f"{code} is an add-on code and no other procedure on this encounter could be its "
             "primary: an add-on code is never paid alone. Add the primary procedure performed "
             "that day, or remove the line.")
    if edit is None or edit.edit_type == 2:
        return None if others else (rules.ERROR, alone)
    if edit.primary_codes & present:
        return None
    listed = ", ".join(sorted(edit.primary_codes)[:8])
    more = " or another listed primary" if len(edit.primary_codes) > 8 else ""
    if edit.edit_type == 1:
        return rules.ERROR, (
            f"{code} is an add-on code (NCCI add-on code edit, type 1) paid only with one of "
            f"its primary codes {listed}{more}, and none is on this encounter. Add the primary "
            "procedure performed that day, or remove the line."
        )
    if not others:
        return rules.ERROR, alone
    return rules.WARNING, (
        f"{code} is an add-on code (NCCI add-on code edit, type 3) whose listed primary codes "
        f"({listed}{more}) are not on this encounter; the payer may accept another primary. "
        "Check the payer's policy for the primary billed."
    )


@dataclass(frozen=True, slots=True)
class _Bypass:
    """A line's NCCI-associated modifiers: the anatomic ones (sites) and the others."""

    sites: frozenset[str]
    other: bool


def _bypass_modifiers(line: ServiceLine, code_sets: CodeSets) -> _Bypass:
    sites: set[str] = set()
    other = False
    for text in line.modifiers:
        modifier = code_sets.modifiers.get(text.strip().upper())
        if modifier is None or not modifier.ncci_bypass:
            continue
        if modifier.anatomic:
            sites.add(modifier.code)
        else:
            other = True
    return _Bypass(frozenset(sites), other)


def _distinct(first: _Bypass, second: _Bypass) -> bool:
    """Whether the modifiers say the two services were distinct. An anatomic modifier does so
    only when both lines name sites and the sites differ: 20611-RT beside 20610-RT is the same
    knee (NCCI Policy Manual, Chapter I, E.1)."""
    if first.other or second.other:
        return True
    return bool(first.sites) and bool(second.sites) and first.sites.isdisjoint(second.sites)
