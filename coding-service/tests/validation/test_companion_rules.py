"""The tabular's "code first" and "use additional code" notes, kept where the companion code
is always due (codesets/companions.py), each shown to fire and not to fire on real codes."""

from __future__ import annotations

from datetime import date

import pytest

BOTH_EDITIONS = [date(2025, 6, 2), date(2026, 5, 4)]


def _run(checker, diagnoses, on=date(2026, 5, 4)):
    return checker.run(diagnoses=diagnoses, date_of_service=on)


@pytest.mark.parametrize("on", BOTH_EDITIONS)
def test_use_additional_code_missing_is_a_warning(checker, on):
    # E11.22: "use additional code to identify stage of chronic kidney disease (N18.1-N18.6)".
    outcome = _run(checker, ["E11.22", "I10"], on)
    issue = outcome.only("diagnosis.use_additional_code")
    assert (issue.path, issue.severity) == ("$.diagnoses[0]", "warning")
    assert "use additional code to identify stage of chronic kidney disease" in issue.message
    assert "N18.1-N18.6" in issue.message
    # Anywhere on the encounter, before or after.
    assert _run(checker, ["E11.22", "N18.30"], on).issues == []
    assert _run(checker, ["N18.30", "E11.22"], on).issues == []


@pytest.mark.parametrize("on", BOTH_EDITIONS)
def test_use_additional_code_wants_a_code_the_note_names(checker, on):
    # I12.9 is CKD stage 1-4 or unspecified (N18.1-N18.4, N18.9); end-stage (N18.6) is I12.0.
    issue = _run(checker, ["I12.9", "N18.6"], on).only("diagnosis.use_additional_code")
    assert issue.path == "$.diagnoses[0]" and "N18.1-N18.4, N18.9" in issue.message
    assert _run(checker, ["I12.9", "N18.30"], on).issues == []


@pytest.mark.parametrize("on", BOTH_EDITIONS)
def test_code_first_missing_is_a_warning(checker, on):
    # D63.1 (anemia in CKD): "code first underlying chronic kidney disease (CKD) (N18.-)".
    outcome = _run(checker, ["I10", "D63.1"], on)
    issue = outcome.only("diagnosis.code_first")
    assert (issue.path, issue.severity) == ("$.diagnoses[1]", "warning")
    assert "code first underlying chronic kidney disease (CKD) (N18.-)" in issue.message
    assert outcome.rules == {"diagnosis.code_first"}
    assert _run(checker, ["N18.30", "D63.1"], on).issues == []


def test_code_first_listed_after_is_a_warning_saying_to_move_it(checker):
    issue = _run(checker, ["I12.9", "D63.1", "N18.30"]).only("diagnosis.code_first")
    assert issue.path == "$.diagnoses[1]"
    assert "N18.30 is listed after it: move it before D63.1" in issue.message


def test_a_manifestation_listed_first_has_its_error_alone(checker):
    outcome = _run(checker, ["D63.1", "N18.30"])
    assert outcome.paths("diagnosis.manifestation_first") == ["$.diagnoses[0].code"]
    assert "diagnosis.code_first" not in outcome.rules


@pytest.mark.parametrize("diagnoses", [["E11.9"], ["I10"], ["E11.65", "I10", "E78.5"],
                                       ["J45.909"], ["I50.9", "I10"], ["N18.6"], ["M10.9"]])
def test_codes_with_only_conditional_notes_stand_alone(checker, diagnoses):
    if checker.name == "fakes" and not all(checker.code_sets.icd10cm.editions[0].get(d)
                                           for d in diagnoses):
        pytest.skip("not in the in-test slice")
    assert _run(checker, diagnoses).issues == []


@pytest.fixture(scope="module")
def shipped(checker):
    if checker.name != "shipped":
        pytest.skip("codes outside the in-test slice")
    return checker


@pytest.mark.parametrize("on", BOTH_EDITIONS)
def test_a_delivery_needs_its_outcome(shipped, on):
    issue = _run(shipped, ["O80", "Z3A.39"], on).only("diagnosis.use_additional_code")
    assert issue.path == "$.diagnoses[0]" and "Z37.0" in issue.message
    assert _run(shipped, ["O80", "Z3A.39", "Z37.0"], on).issues == []


@pytest.mark.parametrize("on", BOTH_EDITIONS)
def test_weeks_of_gestation_follow_an_obstetric_code(shipped, on):
    issue = _run(shipped, ["Z34.83", "Z3A.20", "O99.211"], on).only("diagnosis.code_first")
    assert issue.path == "$.diagnoses[1]" and "(a note at Z3A)" in issue.message
    assert "O99.211 is listed after it" in issue.message
    assert _run(shipped, ["O99.211", "Z3A.20", "E66.9"], on).issues == []


def test_a_chemical_burn_follows_its_toxic_agent(shipped):
    # T20.4: "code first (T51-T65) to identify chemical and intent".
    issue = _run(shipped, ["T20.40XA"]).only("diagnosis.code_first")
    assert "(a note at T20.4)" in issue.message and "T51-T65" in issue.message
    assert _run(shipped, ["T54.2X1A", "T20.40XA"]).issues == []
