"""Encounter-level rules: a clean encounter, NPI check digits, place of service, dates."""

from __future__ import annotations

from datetime import date

import pytest


def test_a_clean_encounter_has_no_issue(checker):
    outcome = checker.run(diagnoses=["E11.9", "I10"])
    assert outcome.issues == []


@pytest.mark.parametrize("field", ["rendering_provider_npi", "billing_provider_npi"])
def test_npi_with_a_wrong_check_digit_is_an_error(checker, field):
    outcome = checker.run(**{field: "1234567890"})
    issue = outcome.only("npi.check_digit")
    assert (issue.path, issue.severity) == (f"$.{field}", "error")
    assert "1234567890" in issue.message
    assert checker.run(**{field: "1245319599"}).issues == []


@pytest.mark.parametrize("npi", ["123456789", "12345678901", "123456789O"])
def test_npi_that_is_not_ten_digits_is_a_format_error(checker, npi):
    outcome = checker.run(billing_provider_npi=npi)
    assert outcome.paths("npi.format") == ["$.billing_provider_npi"]
    assert "npi.check_digit" not in outcome.rules


@pytest.mark.parametrize(("code", "known"), [("11", True), ("22", True), ("02", True),
                                             ("00", False), ("98", False), ("1", False)])
def test_place_of_service_must_be_a_cms_code(checker, code, known):
    outcome = checker.run(place_of_service=code)
    assert outcome.paths("place_of_service.unknown") == ([] if known else ["$.place_of_service"])


@pytest.mark.parametrize(
    ("date_of_service", "future"),
    [(date(2026, 5, 10), False), (date(2026, 5, 11), True), (date(2026, 4, 2), False)],
)
def test_date_of_service_may_not_be_after_today(checker, date_of_service, future):
    outcome = checker.run(date_of_service=date_of_service)
    assert outcome.paths("date_of_service.future") == (["$.date_of_service"] if future else [])


@pytest.mark.parametrize(
    ("birth_date", "before_birth"),
    [(date(2026, 5, 5), True), (date(2026, 5, 4), False), (date(1950, 1, 1), False)],
)
def test_date_of_service_may_not_be_before_birth(checker, birth_date, before_birth):
    outcome = checker.run(patient_birth_date=birth_date)
    assert outcome.paths("date_of_service.before_birth") == (
        ["$.date_of_service"] if before_birth else []
    )
