"""ICD-10-CM diagnosis rules, each shown to fire and not to fire on real codes."""

from __future__ import annotations

from datetime import date

import pytest

THIRTEEN_CODES = ["I10", "J06.9", "M17.11", "E11.9", "E11.65", "E11.21", "E11.22", "E11.00",
                  "E11.01", "E11.10", "E11.11", "Z00.00", "E85.4"]


def test_an_encounter_without_diagnoses_is_an_error(checker):
    assert checker.run(diagnoses=[], lines=[]).paths("diagnosis.empty") == ["$.diagnoses"]
    assert "diagnosis.empty" not in checker.run(diagnoses=["I10"]).rules


def test_more_than_twelve_diagnoses_is_a_warning_billing_splits(checker):
    outcome = checker.run(diagnoses=THIRTEEN_CODES)
    assert outcome.paths("diagnosis.too_many") == ["$.diagnoses"]
    assert outcome.only("diagnosis.too_many").severity == "warning"
    assert "13" in outcome.only("diagnosis.too_many").message
    assert "diagnosis.too_many" not in checker.run(diagnoses=THIRTEEN_CODES[:12]).rules


@pytest.mark.parametrize("second", ["E11.9", "e119", " E11.9 ", "E119"])
def test_a_diagnosis_listed_twice_is_an_error(checker, second):
    outcome = checker.run(diagnoses=["E11.9", "I10", second])
    assert outcome.paths("diagnosis.duplicate") == ["$.diagnoses[2].code"]
    assert "diagnosis 1" in outcome.only("diagnosis.duplicate").message


def test_distinct_diagnoses_are_not_duplicates(checker):
    assert "diagnosis.duplicate" not in checker.run(diagnoses=["E11.9", "E11.65"]).rules


@pytest.mark.parametrize("text", ["E11..9", "11.9", "E1.19", "E11.99999", "E", "E11-9", "EE1.9"])
def test_text_not_shaped_like_a_code_is_a_format_error(checker, text):
    outcome = checker.run(diagnoses=["I10", text])
    assert outcome.paths("icd10cm.format") == ["$.diagnoses[1].code"]


@pytest.mark.parametrize("text", ["E11.9", "e11.9", "E119", "e119", "S72.001A", "s72001a"])
def test_dotted_or_undotted_codes_in_any_case_are_accepted(checker, text):
    assert checker.run(diagnoses=[text]).issues == []


@pytest.mark.parametrize(("text", "nearest"), [("E11.99", "E11.9"), ("I10.1", "I10")])
def test_a_code_missing_from_the_edition_is_unknown(checker, text, nearest):
    issue = checker.run(diagnoses=[text]).only("icd10cm.unknown_code")
    assert issue.path == "$.diagnoses[0].code"
    assert text in issue.message and f"nearest code is {nearest} " in issue.message


@pytest.mark.parametrize(("header", "kind"), [("E11", "a category"), ("E11.2", "a subcategory")])
def test_a_header_code_is_an_error_that_lists_billable_children(checker, header, kind):
    issue = checker.run(diagnoses=[header]).only("icd10cm.header_code")
    assert issue.path == "$.diagnoses[0].code"
    assert f"{header} (" in issue.message and kind in issue.message
    first_child = "E11.00" if header == "E11" else "E11.21"
    assert first_child in issue.message


def test_a_billable_code_is_not_a_header(checker):
    assert checker.run(diagnoses=["E11.21"]).issues == []


def test_a_code_needing_a_seventh_character_without_one_is_an_error(checker):
    issue = checker.run(diagnoses=["S72.001"]).only("icd10cm.seventh_character_missing")
    assert issue.path == "$.diagnoses[0].code"
    assert "S72.001A (initial encounter for closed fracture)" in issue.message
    assert "icd10cm.header_code" not in checker.run(diagnoses=["S72.001"]).rules


@pytest.mark.parametrize("code", ["S72.001A", "S72.001D", "S72.001S", "S72.001K"])
def test_a_defined_seventh_character_is_accepted(checker, code):
    assert checker.run(diagnoses=[code]).issues == []


@pytest.mark.parametrize("code", ["S72.001Z", "S72.001L", "S72.001X"])
def test_an_undefined_seventh_character_is_an_error(checker, code):
    issue = checker.run(diagnoses=[code]).only("icd10cm.seventh_character_invalid")
    assert issue.path == "$.diagnoses[0].code"
    assert f"'{code[-1]}' is not a 7th character of S72.001" in issue.message


@pytest.mark.parametrize(
    ("codes", "index", "suggestion"),
    [
        (["S00.00A"], 0, "S00.00XA"),  # the 7th character typed in the 6th position
        (["S00.00"], 0, "S00.00XA"),  # no 7th character and no placeholder
        (["S00.00XA", "W01.0"], 1, "W01.0XXA"),  # two placeholders needed
        (["S00.00XA", "W01.0D"], 1, "W01.0XXD"),
    ],
)
def test_a_missing_placeholder_is_an_error_suggesting_the_full_code(
    checker, codes, index, suggestion
):
    issue = checker.run(diagnoses=codes).only("icd10cm.placeholder_missing")
    assert issue.path == f"$.diagnoses[{index}].code"
    assert suggestion in issue.message


def test_codes_with_their_placeholders_are_accepted(checker):
    assert checker.run(diagnoses=["S00.00XA", "W01.0XXA"]).issues == []


def test_a_code_not_yet_valid_on_the_date_of_service_is_an_error(checker):
    # E11.A arrived with the FY2026 update (2025-10-01).
    before = checker.run(diagnoses=["E11.A"], date_of_service=date(2025, 9, 30))
    issue = before.only("icd10cm.not_valid_on_date")
    assert issue.path == "$.diagnoses[0].code"
    assert "2025-10-01" in issue.message
    # No loaded edition covers 2025-10-01 (the FY2026 October edition is not on PyPI): the
    # date gets its warning and nothing else.
    after = checker.run(diagnoses=["E11.A"], date_of_service=date(2025, 10, 1))
    assert after.rules == {"icd10cm.edition_not_loaded"}
    assert checker.run(diagnoses=["E11.A"]).issues == []


def test_a_code_only_in_another_edition_is_not_valid_on_the_date(checker):
    # E11.A is in the April 2026 edition, not in April 2025.
    issue = checker.run(diagnoses=["E11.A"], date_of_service=date(2025, 6, 2)).only(
        "icd10cm.not_valid_on_date"
    )
    assert "2026-04 edition" in issue.message and "2025-04 edition" in issue.message
    assert checker.run(diagnoses=["E11.A"], date_of_service=date(2026, 4, 1)).issues == []


@pytest.mark.parametrize(
    ("codes", "alone"),
    [(["F02.80", "G30.9"], False), (["G63"], True)],
)
def test_a_manifestation_code_first_or_alone_is_an_error(checker, codes, alone):
    issue = checker.run(diagnoses=codes).only("diagnosis.manifestation_first")
    assert issue.path == "$.diagnoses[0].code"
    assert ("on its own" in issue.message) is alone


def test_a_manifestation_after_its_etiology_is_accepted(checker):
    assert checker.run(diagnoses=["G30.9", "F02.80"]).issues == []
    assert checker.run(diagnoses=["E85.4", "G63"]).issues == []


def test_an_external_cause_code_first_is_an_error(checker):
    outcome = checker.run(diagnoses=["V43.52XA", "S72.001A"])
    assert outcome.paths("diagnosis.external_cause_first") == ["$.diagnoses[0].code"]
    assert checker.run(diagnoses=["S72.001A", "V43.52XA"]).issues == []


def test_an_excludes1_pair_is_an_overridable_warning(checker):
    issue = checker.run(diagnoses=["E11.9", "E10.9"]).only("diagnosis.excludes1")
    assert (issue.path, issue.severity) == ("$.diagnoses[1].code", "warning")
    assert "E10.9" in issue.message and "E11.9" in issue.message
    assert checker.run(diagnoses=["E10.9", "I10"]).issues == []


@pytest.mark.parametrize(
    ("code", "sex", "conflict"),
    [
        ("O80", "M", True),
        ("O80", "F", False),
        ("N40.0", "F", True),
        ("N40.0", "M", False),
        ("C61", "F", True),
        ("C61", "U", False),
        ("I10", "M", False),
    ],
)
def test_a_diagnosis_for_the_other_sex_is_an_error(checker, code, sex, conflict):
    outcome = checker.run(diagnoses=[code], patient_sex=sex,
                          patient_birth_date=date(1990, 1, 1))
    assert outcome.paths("diagnosis.sex_conflict") == (["$.diagnoses[0].code"] if conflict else [])


@pytest.mark.parametrize(
    ("code", "birth_date", "conflict"),
    [
        ("P59.9", date(1980, 2, 14), True),  # perinatal code on an adult
        ("P59.9", date(2026, 5, 1), False),  # three days old
        ("O80", date(1960, 1, 1), True),  # maternity code past the maternity age range
        ("O80", date(1996, 1, 1), False),
        ("I10", date(1930, 1, 1), False),
    ],
)
def test_a_diagnosis_outside_its_age_range_is_a_warning(checker, code, birth_date, conflict):
    outcome = checker.run(diagnoses=[code], patient_birth_date=birth_date)
    assert outcome.paths("diagnosis.age_conflict") == (["$.diagnoses[0].code"] if conflict else [])
    if conflict:
        assert outcome.only("diagnosis.age_conflict").severity == "warning"
