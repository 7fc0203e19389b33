"""The edits payers apply beyond the code sets' own rules, each both ways on real codes and the
shipped tables: first-listed and age-specific diagnoses, preventive age bands, the setting of a
visit, one visit a day, modifiers 25 and 57 beside a global-period procedure, add-on codes
without their primary, anatomic modifiers on an NCCI pair, and MUE line edits."""

from __future__ import annotations

from datetime import date

import pytest
from validation.conftest import DATE_OF_SERVICE, Checker, line

from coding_service.ncci.edits import (
    AddonEdit,
    DatedAddonEdit,
    NcciEdits,
    PtpEdit,
    addon_edits_on,
)
from coding_service.ncci.loader import SAMPLE_AOC, read_aoc_rows

ADDON_EDITS = addon_edits_on(
    [DatedAddonEdit(**row) for row in read_aoc_rows(SAMPLE_AOC)], DATE_OF_SERVICE
)
ARTHROCENTESIS_PAIR = PtpEdit("20611", "20610", "1", "Mutually exclusive procedures")


@pytest.fixture(scope="module")
def shipped(shipped_code_sets) -> Checker:
    return Checker(shipped_code_sets, "shipped")


def _born(years: int, days: int = 0) -> date:
    """A birth date making the patient `years` old on the date of service, or `days` old."""
    if days:
        return date.fromordinal(DATE_OF_SERVICE.toordinal() - days)
    return DATE_OF_SERVICE.replace(year=DATE_OF_SERVICE.year - years)


# --- diagnosis.not_first_listed ---------------------------------------------------------


@pytest.mark.parametrize(("first", "then"), [
    ("Z68.41", "E66.01"),  # BMI 40-44.9 before morbid obesity
    ("Z3A.32", "O26.843"),  # 32 weeks of gestation before the pregnancy condition
    ("Z37.0", "O80"),  # outcome of delivery before the delivery
    ("B96.20", "N39.0"),  # E. coli before the urinary tract infection
    ("R65.20", "A41.9"),  # severe sepsis before the sepsis
    ("Z16.11", "A49.01"),  # penicillin resistance before the infection
])
def test_a_code_that_only_qualifies_another_may_not_be_first(shipped, first, then):
    outcome = shipped.run(diagnoses=[first, then], patient_birth_date=_born(32))
    issue = outcome.only("diagnosis.not_first_listed")
    assert issue.severity == "error" and issue.path == "$.diagnoses[0].code"
    assert "may not be first-listed" in issue.message
    assert "diagnosis.not_first_listed" not in shipped.run(
        diagnoses=[then, first], patient_birth_date=_born(32)
    ).rules


# --- diagnosis.age_conflict as payers deny it -------------------------------------------


@pytest.mark.parametrize(("code", "denied_at", "accepted_at"), [
    ("Z00.129", 30, 4),  # routine child health exam: 0-17 years
    ("Z00.121", 18, 17),
    ("Z00.00", 3, 15),  # general adult exam: 15 years and older
    ("Z00.01", 14, 70),
])
def test_an_age_specific_examination_code_outside_its_age_is_an_error(
    shipped, code, denied_at, accepted_at
):
    outcome = shipped.run(diagnoses=[code], patient_birth_date=_born(denied_at))
    issue = outcome.only("diagnosis.age_conflict")
    assert issue.severity == "error" and f"{denied_at} years old" in issue.message
    assert "diagnosis.age_conflict" not in shipped.run(
        diagnoses=[code], patient_birth_date=_born(accepted_at)
    ).rules


def test_a_newborn_examination_past_28_days_is_an_error(shipped):
    assert shipped.run(diagnoses=["Z00.111"], patient_birth_date=_born(0, days=40)).only(
        "diagnosis.age_conflict"
    ).severity == "error"
    assert "diagnosis.age_conflict" not in shipped.run(
        diagnoses=["Z00.111"], patient_birth_date=_born(0, days=10)
    ).rules


def test_a_perinatal_code_later_in_life_stays_a_warning(shipped):
    issue = shipped.run(diagnoses=["P59.9"], patient_birth_date=_born(40)).only(
        "diagnosis.age_conflict"
    )
    assert issue.severity == "warning"


# --- procedure.age_band ------------------------------------------------------------------


@pytest.mark.parametrize(("code", "wrong_age", "right_age"), [
    ("99395", 3, 25),  # 18-39
    ("99382", 6, 2),  # 1-4
    ("99381", 1, 0),  # under 1
    ("99397", 64, 65),  # 65 and older
    ("99384", 18, 17),  # 12-17
])
def test_a_preventive_visit_code_outside_its_age_band_is_an_error(
    shipped, code, wrong_age, right_age
):
    diagnosis = "Z00.00" if right_age >= 18 else "Z00.129"
    wrong_diagnosis = "Z00.00" if wrong_age >= 18 else "Z00.129"
    outcome = shipped.run(diagnoses=[wrong_diagnosis], lines=[line(code)],
                          patient_birth_date=_born(wrong_age, days=200 if not wrong_age else 0))
    issue = outcome.only("procedure.age_band")
    assert issue.severity == "error" and issue.path == "$.service_lines[0].procedure_code"
    right = shipped.run(diagnoses=[diagnosis], lines=[line(code)],
                        patient_birth_date=_born(right_age, days=200 if not right_age else 0))
    assert right.issues == []


# --- procedure.place_of_service -------------------------------------------------------------


@pytest.mark.parametrize(("code", "wrong", "right"), [
    ("99223", "11", "21"),  # hospital inpatient or observation care
    ("99284", "21", "23"),  # emergency department visit
    ("99309", "11", "31"),  # nursing facility visit
    ("99348", "11", "12"),  # home visit
    ("99214", "23", "11"),  # office visit
])
def test_a_visit_code_at_a_place_of_service_outside_its_setting_is_an_error(
    shipped, code, wrong, right
):
    issue = shipped.run(lines=[line(code)], place_of_service=wrong).only(
        "procedure.place_of_service"
    )
    assert issue.severity == "error" and f"place of service is {wrong}" in issue.message
    assert shipped.run(lines=[line(code)], place_of_service=right).issues == []


# --- em.multiple_visits ----------------------------------------------------------------------


def test_two_visits_the_same_day_are_an_error(shipped):
    issue = shipped.run(lines=[line("99213"), line("99214")]).only("em.multiple_visits")
    assert issue.path == "$.service_lines[1].procedure_code" and "line 1" in issue.message
    assert shipped.run(lines=[line("99214")]).issues == []


def test_a_problem_visit_beside_a_preventive_visit_needs_modifier_25(shipped):
    preventive = dict(diagnoses=["Z00.00", "I10"], patient_birth_date=_born(45))
    without = shipped.run(lines=[line("99396"), line("99213", pointers=(2,))], **preventive)
    assert without.only("em.multiple_visits").path == "$.service_lines[1].procedure_code"
    with_25 = shipped.run(lines=[line("99396"), line("99213", ["25"], pointers=(2,))],
                          **preventive)
    assert with_25.issues == []


def test_critical_care_after_an_emergency_visit_is_allowed(shipped):
    lines = [line("99285", ["25"]), line("99291")]
    assert "em.multiple_visits" not in shipped.run(lines=lines, place_of_service="23").rules


# --- em.modifier_25_missing and em.modifier_57_missing -------------------------------------


@pytest.mark.parametrize("procedure", ["20610", "11102", "17000", "69210"])
def test_a_visit_beside_a_minor_procedure_needs_modifier_25(shipped, procedure):
    issue = shipped.run(lines=[line("99213"), line(procedure)]).only("em.modifier_25_missing")
    assert issue.severity == "error" and issue.path == "$.service_lines[0].modifiers"
    assert procedure in issue.message
    assert shipped.run(lines=[line("99213", ["25"]), line(procedure)]).issues == []


def test_a_visit_beside_a_service_without_a_global_period_needs_no_modifier(shipped):
    assert shipped.run(lines=[line("99213"), line("36415"), line("93000")]).issues == []


def test_a_visit_beside_a_major_procedure_needs_modifier_57(shipped):
    facts = dict(diagnoses=["N80.03"], place_of_service="21")
    issue = shipped.run(lines=[line("99223"), line("58150")], **facts).only(
        "em.modifier_57_missing"
    )
    assert issue.path == "$.service_lines[0].modifiers" and "58150" in issue.message
    assert "em.modifier_57_missing" in shipped.run(
        lines=[line("99223", ["25"]), line("58150")], **facts
    ).rules
    assert shipped.run(lines=[line("99223", ["57"]), line("58150")], **facts).issues == []


# --- ncci.addon_without_primary ---------------------------------------------------------------


@pytest.mark.parametrize(("addon", "primary"), [
    ("11045", "11042"), ("99292", "99291"), ("17003", "17000"), ("90472", "90471"),
])
def test_a_type_1_addon_without_its_primary_is_an_error(shipped, addon, primary):
    edits = NcciEdits(addon=ADDON_EDITS)
    other = "99213" if addon != "99292" else "93000"
    issue = shipped.run(lines=[line(other, ["25"] if other == "99213" else []), line(addon)],
                        edits=edits).only("ncci.addon_without_primary")
    assert issue.severity == "error" and issue.path == "$.service_lines[1].procedure_code"
    assert primary in issue.message
    assert "ncci.addon_without_primary" not in shipped.run(
        lines=[line(primary), line(addon)], edits=edits
    ).rules


def test_a_type_2_addon_needs_some_primary(shipped):
    edits = NcciEdits(addon=ADDON_EDITS)
    assert shipped.run(lines=[line("G2211")], edits=edits).only(
        "ncci.addon_without_primary"
    ).severity == "error"
    assert shipped.run(lines=[line("99213"), line("G2211")], edits=edits).issues == []


def test_a_type_3_addon_with_another_primary_is_a_warning(shipped):
    edits = NcciEdits(addon={"99417": AddonEdit("99417", 3, frozenset({"99205", "99215"}))})
    issue = shipped.run(lines=[line("99214"), line("99417")], edits=edits).only(
        "ncci.addon_without_primary"
    )
    assert issue.severity == "warning"
    assert shipped.run(lines=[line("99417")], edits=edits).only(
        "ncci.addon_without_primary"
    ).severity == "error"
    assert shipped.run(lines=[line("99215"), line("99417")], edits=edits).issues == []


def test_an_addon_of_the_procedure_table_with_no_edit_loaded_needs_another_procedure(shipped):
    assert shipped.run(lines=[line("99292")]).only("ncci.addon_without_primary").severity \
        == "error"
    assert "ncci.addon_without_primary" not in shipped.run(
        lines=[line("99291"), line("99292")]
    ).rules


def test_an_addon_edit_not_yet_in_effect_does_not_apply(shipped):
    later = addon_edits_on([DatedAddonEdit("11045", "11042", 1, date(2030, 1, 1), None)],
                           DATE_OF_SERVICE)
    assert later == {}


# --- ncci.ptp with anatomic modifiers --------------------------------------------------------


@pytest.mark.parametrize(("column1", "column2", "bypassed"), [
    (["RT"], ["RT"], False),  # the same knee
    (["RT"], [], False),  # a site on one line only
    (["RT"], ["LT"], True),  # two knees
    ([], ["XS"], True),  # a separate structure, said outright
    (["LT", "XS"], ["LT"], True),
])
def test_anatomic_modifiers_bypass_an_ncci_pair_only_on_different_sites(
    shipped, column1, column2, bypassed
):
    edits = NcciEdits(ptp=(ARTHROCENTESIS_PAIR,))
    outcome = shipped.run(diagnoses=["M17.11", "M17.12"],
                          lines=[line("20611", column1), line("20610", column2, pointers=(2,))],
                          edits=edits)
    assert ("ncci.ptp" in outcome.rules) is not bypassed
