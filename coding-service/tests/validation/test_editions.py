"""ICD-10-CM editions by date: the April 2025 and April 2026 editions the service ships, the
half year between them no loaded edition covers, and the dates before and after."""

from __future__ import annotations

from datetime import date

import pytest

APRIL_2025_DAY = date(2025, 6, 2)
APRIL_2026_DAY = date(2026, 5, 4)
TODAY = date(2026, 12, 5)


@pytest.fixture(scope="module")
def shipped(checker):
    if checker.name != "shipped":
        pytest.skip("codes outside the in-test slice")
    return checker


def _run(checker, diagnoses, on):
    return checker.run(diagnoses=diagnoses, date_of_service=on, today=TODAY)


def test_a_code_deleted_by_fy2026_is_valid_in_april_2025_only(shipped):
    # S30.1XXA (contusion of abdominal wall) was split by the FY2026 update.
    assert _run(shipped, ["S30.1XXA"], APRIL_2025_DAY).issues == []
    issue = _run(shipped, ["S30.1XXA"], APRIL_2026_DAY).only("icd10cm.not_valid_on_date")
    assert issue.path == "$.diagnoses[0].code"
    assert "2025-04 edition" in issue.message and "2026-04 edition" in issue.message


def test_a_code_made_a_header_by_fy2026_is_billable_in_april_2025_only(shipped):
    # G35 (multiple sclerosis) gained G35.A-G35.D in FY2026.
    assert _run(shipped, ["G35"], APRIL_2025_DAY).issues == []
    issue = _run(shipped, ["G35"], APRIL_2026_DAY).only("icd10cm.header_code")
    assert "G35.A" in issue.message


def test_a_code_added_by_fy2026_is_valid_in_april_2026_only(shipped):
    issue = _run(shipped, ["G35.A"], APRIL_2025_DAY).only("icd10cm.not_valid_on_date")
    assert "2025-10-01" in issue.message and "2026-04 edition" in issue.message
    assert _run(shipped, ["G35.A"], APRIL_2026_DAY).issues == []


@pytest.mark.parametrize("on", [APRIL_2025_DAY, date(2025, 9, 30), date(2026, 4, 1),
                                APRIL_2026_DAY, date(2026, 9, 30)])
def test_a_date_an_edition_covers_gets_no_edition_warning(checker, on):
    assert _run(checker, ["E11.9", "I10"], on).issues == []


@pytest.mark.parametrize(
    ("on", "nearest", "dates"),
    [
        (date(2026, 11, 4), "2026-04", "2026-04-01 to 2026-09-30"),
        # The FY2026 October edition (2025-10-01 to 2026-03-31) is on no PyPI release.
        (date(2025, 10, 1), "2025-04", "2025-04-01 to 2025-09-30"),
        (date(2026, 3, 31), "2026-04", "2026-04-01 to 2026-09-30"),
        (date(2024, 12, 31), "2025-04", "2025-04-01 to 2025-09-30"),
    ],
)
def test_a_date_no_edition_covers_is_a_warning_naming_the_nearest(checker, on, nearest, dates):
    outcome = _run(checker, ["E11.9", "I10"], on)
    issue = outcome.only("icd10cm.edition_not_loaded")
    assert (issue.path, issue.severity) == ("$.date_of_service", "warning")
    assert f"the {nearest} edition ({'in force ' + dates})" in issue.message
    assert on.isoformat() in issue.message
    assert outcome.rules == {"icd10cm.edition_not_loaded"}


@pytest.mark.parametrize("on", [date(2025, 12, 1), date(2026, 11, 4)])
def test_without_an_edition_in_force_a_code_of_any_loaded_edition_is_accepted(shipped, on):
    for code in ("S30.1XXA", "G35.A", "E11.9"):
        assert _run(shipped, [code], on).rules == {"icd10cm.edition_not_loaded"}
    # Codes no loaded edition holds, and headers of the nearest, are still refused.
    assert "icd10cm.unknown_code" in _run(shipped, ["E11.99"], on).rules
    assert "icd10cm.header_code" in _run(shipped, ["E11"], on).rules


def test_a_code_of_the_other_edition_is_accepted_when_none_is_in_force(checker):
    # 2025-12-01 is nearest April 2025, which lacks E11.A (new in FY2026, in April 2026).
    outcome = _run(checker, ["E11.A"], date(2025, 12, 1))
    assert outcome.rules == {"icd10cm.edition_not_loaded"}
    assert "the 2025-04 edition" in outcome.only("icd10cm.edition_not_loaded").message


def test_no_diagnosis_no_edition_warning(checker):
    assert "icd10cm.edition_not_loaded" not in checker.run(
        diagnoses=[], date_of_service=date(2026, 11, 4), today=TODAY).rules
