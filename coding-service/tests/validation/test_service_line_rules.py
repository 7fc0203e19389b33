"""Service-line rules: procedure codes, modifiers, units, charges and diagnosis pointers."""

from __future__ import annotations

from datetime import date

import pytest


def test_an_encounter_without_service_lines_is_an_error(checker):
    assert checker.run(lines=[]).paths("service_lines.empty") == ["$.service_lines"]
    assert "service_lines.empty" not in checker.run().rules


def test_more_than_fifty_service_lines_is_a_warning_billing_splits(checker, make_line):
    codes = ["99213", "36415", "71046", "73560", "93000"]
    fifty = [make_line(codes[i % 5], charge=f"{10 + i}.00") for i in range(50)]
    assert "service_lines.too_many" not in checker.run(lines=fifty).rules
    outcome = checker.run(lines=[*fifty, make_line("36415")])
    assert outcome.paths("service_lines.too_many") == ["$.service_lines"]
    assert outcome.only("service_lines.too_many").severity == "warning"


@pytest.mark.parametrize(
    "code",
    ["99213", "3074F", "0071T", "0001U", "G0438", "J1100", "a4550", "V2020", "10060"],
)
def test_cpt_and_hcpcs_shapes_are_accepted(checker, make_line, code):
    assert "procedure.format" not in checker.run(lines=[make_line(code)]).rules


@pytest.mark.parametrize(
    "code", ["9921", "992134", "3074X", "W1234", "Z9999", "G043", "99.213", "ABCDE"]
)
def test_a_procedure_code_of_no_known_shape_is_a_format_error(checker, make_line, code):
    outcome = checker.run(lines=[make_line(code)])
    assert outcome.paths("procedure.format") == ["$.service_lines[0].procedure_code"]
    assert "procedure.unknown_code" not in outcome.rules


def test_a_well_formed_code_missing_from_the_table_is_a_warning(checker, make_line):
    # 0071T (Category III) is real but outside the representative table.
    issue = checker.run(lines=[make_line("0071T")]).only("procedure.unknown_code")
    assert (issue.path, issue.severity) == ("$.service_lines[0].procedure_code", "warning")
    assert "procedure.unknown_code" not in checker.run(lines=[make_line("99214")]).rules


@pytest.mark.parametrize(
    ("code", "sex", "conflict"),
    [("55250", "F", True), ("55250", "M", False), ("58300", "M", True), ("58300", "F", False),
     ("55250", "U", False), ("99213", "M", False)],
)
def test_a_procedure_for_the_other_sex_is_an_error(checker, make_line, code, sex, conflict):
    diagnoses = ["Z00.00"]
    outcome = checker.run(diagnoses=diagnoses, lines=[make_line(code)], patient_sex=sex)
    assert outcome.paths("procedure.sex_conflict") == (
        ["$.service_lines[0].procedure_code"] if conflict else []
    )


@pytest.mark.parametrize("modifier", ["2", "255", "R-", "R"])
def test_a_modifier_that_is_not_two_characters_is_a_format_error(checker, make_line, modifier):
    outcome = checker.run(lines=[make_line("20610", ["RT", modifier])])
    assert outcome.paths("modifier.format") == ["$.service_lines[0].modifiers[1]"]


def test_lower_case_modifiers_are_accepted(checker, make_line):
    assert checker.run(lines=[make_line("20610", ["rt"])]).issues == []


def test_more_than_four_modifiers_is_an_error(checker, make_line):
    four = ["76", "91", "RT", "XS"]
    assert "modifier.too_many" not in checker.run(lines=[make_line("36415", four)]).rules
    outcome = checker.run(lines=[make_line("36415", [*four, "LT"])])
    assert outcome.paths("modifier.too_many") == ["$.service_lines[0].modifiers"]


def test_an_unknown_modifier_is_a_warning(checker, make_line):
    issue = checker.run(lines=[make_line("20610", ["9Z"])]).only("modifier.unknown")
    assert (issue.path, issue.severity) == ("$.service_lines[0].modifiers[0]", "warning")
    assert "modifier.unknown" not in checker.run(lines=[make_line("20610", ["RT"])]).rules


def test_a_repeated_modifier_is_an_error(checker, make_line):
    outcome = checker.run(lines=[make_line("20610", ["RT", "rt"])])
    assert outcome.paths("modifier.duplicate") == ["$.service_lines[0].modifiers[1]"]
    assert "modifier.duplicate" not in checker.run(lines=[make_line("20610", ["RT", "76"])]).rules


@pytest.mark.parametrize(("code", "allowed"), [("99214", True), ("99213", True),
                                               ("20610", False), ("93000", False)])
def test_modifier_25_belongs_on_an_em_code(checker, make_line, code, allowed):
    outcome = checker.run(lines=[make_line(code, ["25"])])
    assert outcome.paths("modifier.25_requires_em") == (
        [] if allowed else ["$.service_lines[0].modifiers[0]"]
    )


@pytest.mark.parametrize("x_modifier", ["XE", "XS", "XP", "XU"])
def test_modifier_59_with_an_x_modifier_is_an_error(checker, make_line, x_modifier):
    outcome = checker.run(lines=[make_line("97140", [x_modifier, "59"])])
    assert outcome.paths("modifier.59_with_x") == ["$.service_lines[0].modifiers[1]"]
    assert "modifier.59_with_x" not in checker.run(lines=[make_line("97140", ["59"])]).rules
    assert "modifier.59_with_x" not in checker.run(lines=[make_line("97140", [x_modifier])]).rules


def test_modifiers_26_and_tc_together_are_an_error(checker, make_line):
    outcome = checker.run(lines=[make_line("71046", ["26", "TC"])])
    assert outcome.paths("modifier.26_with_tc") == ["$.service_lines[0].modifiers[1]"]
    assert checker.run(lines=[make_line("71046", ["26"])]).issues == []
    assert checker.run(lines=[make_line("71046", ["TC"])]).issues == []


@pytest.mark.parametrize("side", ["LT", "RT"])
def test_modifier_50_with_a_side_is_an_error(checker, make_line, side):
    outcome = checker.run(lines=[make_line("20610", ["50", side])])
    assert outcome.paths("modifier.50_with_laterality") == ["$.service_lines[0].modifiers[1]"]
    assert checker.run(lines=[make_line("20610", ["50"])]).issues == []
    assert checker.run(lines=[make_line("20610", [side])]).issues == []


@pytest.mark.parametrize(("units", "error"), [(0, True), (-2, True), (1, False), (3, False)])
def test_units_must_be_at_least_one(checker, make_line, units, error):
    outcome = checker.run(lines=[make_line("36415", units=units)])
    assert outcome.paths("units.minimum") == (["$.service_lines[0].units"] if error else [])


@pytest.mark.parametrize(("charge", "error"), [("0.00", True), ("-5.00", True),
                                               ("0.01", False), ("180.00", False)])
def test_the_charge_must_be_above_zero(checker, make_line, charge, error):
    outcome = checker.run(lines=[make_line("99213", charge=charge)])
    assert outcome.paths("charge.positive") == (["$.service_lines[0].charge"] if error else [])


@pytest.mark.parametrize(("pointers", "error"), [((), True), ((1, 2, 3, 4, 5), True),
                                                 ((1,), False), ((4, 3, 2, 1), False)])
def test_a_line_points_at_one_to_four_diagnoses(checker, make_line, pointers, error):
    diagnoses = ["E11.9", "I10", "J06.9", "M17.11", "Z00.00"]
    outcome = checker.run(diagnoses=diagnoses, lines=[make_line("99214", pointers=pointers)])
    assert outcome.paths("pointer.count") == (
        ["$.service_lines[0].diagnosis_pointers"] if error else []
    )


@pytest.mark.parametrize(("pointer", "error"), [(0, True), (3, True), (-1, True),
                                                (1, False), (2, False)])
def test_a_pointer_must_name_an_existing_diagnosis(checker, make_line, pointer, error):
    outcome = checker.run(diagnoses=["E11.9", "I10"],
                          lines=[make_line("99214", pointers=(pointer,))])
    expected = ["$.service_lines[0].diagnosis_pointers[0]"] if error else []
    assert outcome.paths("pointer.range") == expected


def test_a_pointer_repeated_on_a_line_is_an_error(checker, make_line):
    outcome = checker.run(diagnoses=["E11.9", "I10"],
                          lines=[make_line("99214", pointers=(2, 1, 2))])
    assert outcome.paths("pointer.duplicate") == ["$.service_lines[0].diagnosis_pointers[2]"]
    clean = checker.run(diagnoses=["E11.9", "I10"], lines=[make_line("99214", pointers=(2, 1))])
    assert clean.issues == []


def test_rules_use_the_patient_age_at_the_date_of_service(checker, make_line):
    # Born 2026-04-20: 14 days old on the date of service, so the perinatal code fits.
    outcome = checker.run(diagnoses=["P59.9"], lines=[make_line("99213")],
                          patient_birth_date=date(2026, 4, 20))
    assert outcome.issues == []
