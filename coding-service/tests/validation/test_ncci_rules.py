"""NCCI rules over the edits the repository hands the engine: PTP pairs and MUE values."""

from __future__ import annotations

import pytest

from coding_service.validation.engine import MueEdit, NcciEdits, PtpEdit

ECG = PtpEdit("93000", "93010", "0", "Misuse of column two code with column one code")
THERAPY = PtpEdit("97530", "97140", "1", "Mutually exclusive procedures")
RETRACTED = PtpEdit("93653", "93623", "9", "Misuse of column two code with column one code")
EDITS = NcciEdits(
    ptp=(ECG, THERAPY, RETRACTED),
    mue={
        "17000": MueEdit("17000", 1, 2, "Code Descriptor / CPT Instruction"),
        "95004": MueEdit("95004", 80, 1, "Clinical: Data"),
        "95165": MueEdit("95165", 30, 3, "Clinical: Data"),
    },
)


def _ptp_paths(checker, lines):
    return checker.run(lines=lines, edits=EDITS).paths("ncci.ptp")


@pytest.mark.parametrize("modifiers", [(), ("59",), ("XU",), ("76",)])
def test_a_column_two_code_with_indicator_0_is_an_error_whatever_the_modifiers(
    checker, make_line, modifiers
):
    lines = [make_line("93000"), make_line("93010", modifiers)]
    assert _ptp_paths(checker, lines) == ["$.service_lines[1].procedure_code"]
    issue = checker.run(lines=lines, edits=EDITS).only("ncci.ptp")
    assert "modifier indicator 0" in issue.message and "remove line 2" in issue.message


def test_the_column_two_line_is_flagged_wherever_it_stands(checker, make_line):
    lines = [make_line("93010"), make_line("99213"), make_line("93000")]
    assert _ptp_paths(checker, lines) == ["$.service_lines[0].procedure_code"]


def test_a_column_two_code_with_indicator_1_and_no_bypass_modifier_is_an_error(
    checker, make_line
):
    lines = [make_line("97530"), make_line("97140", ["76"])]
    assert _ptp_paths(checker, lines) == ["$.service_lines[1].procedure_code"]
    assert "modifier indicator 1" in checker.run(lines=lines, edits=EDITS).only(
        "ncci.ptp"
    ).message


@pytest.mark.parametrize(
    ("column1_modifiers", "column2_modifiers"),
    [((), ("59",)), ((), ("XS",)), ((), ("xu",)), (("XE",), ()), (("RT",), ("LT",))],
)
def test_a_bypass_modifier_on_either_line_clears_an_indicator_1_edit(
    checker, make_line, column1_modifiers, column2_modifiers
):
    lines = [make_line("97530", column1_modifiers), make_line("97140", column2_modifiers)]
    assert _ptp_paths(checker, lines) == []


def test_an_edit_with_indicator_9_never_applies(checker, make_line):
    lines = [make_line("93653"), make_line("93623")]
    assert _ptp_paths(checker, lines) == []


def test_codes_without_an_edit_between_them_are_accepted(checker, make_line):
    lines = [make_line("99213"), make_line("93000"), make_line("97140")]
    assert _ptp_paths(checker, lines) == []


def test_the_column_one_code_alone_is_accepted(checker, make_line):
    assert _ptp_paths(checker, [make_line("93000"), make_line("93000", ["76"])]) == []


@pytest.mark.parametrize(
    ("units", "error_path"),
    [((2,), "$.service_lines[0].units"), ((1, 1), "$.service_lines[1].units"), ((1,), None)],
)
def test_units_above_a_date_of_service_mue_are_an_error(checker, make_line, units, error_path):
    lines = [make_line("17000", ["RT" if i else "LT"], units=u) for i, u in enumerate(units)]
    outcome = checker.run(lines=lines, edits=EDITS)
    assert outcome.paths("units.mue") == ([error_path] if error_path else [])
    if error_path:
        issue = outcome.only("units.mue")
        assert issue.severity == "error"
        assert "adjudication indicator 2, policy" in issue.message


def test_a_clinical_date_of_service_mue_names_its_indicator(checker, make_line):
    lines = [make_line("95165", units=20), make_line("95165", ["76"], units=11)]
    issue = checker.run(lines=lines, edits=EDITS).only("units.mue")
    assert (issue.path, issue.severity) == ("$.service_lines[1].units", "error")
    assert "31 units" in issue.message and "adjudication indicator 3, clinical" in issue.message
    assert checker.run(lines=lines[:1], edits=EDITS).paths("units.mue") == []


@pytest.mark.parametrize(("units", "warned"), [((81,), [0]), ((80, 80), []), ((80, 81), [1])])
def test_units_above_a_line_mue_are_an_error_per_line(checker, make_line, units, warned):
    lines = [make_line("95004", ["76"] if i else [], units=u) for i, u in enumerate(units)]
    outcome = checker.run(lines=lines, edits=EDITS)
    assert outcome.paths("units.mue") == [f"$.service_lines[{i}].units" for i in warned]
    for issue in outcome.issues:
        if issue.rule == "units.mue":
            assert issue.severity == "error" and "line edit" in issue.message


def test_codes_without_an_mue_are_not_limited(checker, make_line):
    outcome = checker.run(lines=[make_line("99213", units=9)], edits=EDITS)
    assert "units.mue" not in outcome.rules
