"""Every scrubber rule both ways: a clean claim has no findings; each defect is named."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from payer_files import CLINIC_ADDRESS, HOME_ADDRESS, billing_party, rendering_party

from billing_service.claims.builder import BuiltLine
from billing_service.claims.scrubber import (
    CoverageWindow,
    ScrubInput,
    scrub,
)
from billing_service.payers.adapter import DrugCode
from rcm_shared.issues import has_errors
from rcm_shared.npi import is_valid_npi

DOS = date(2026, 3, 2)


def line(number: int = 1, *, charge: str = "100.00", units: int = 1,
         pointers: tuple[int, ...] = (1,), code: str = "99213",
         ndc: DrugCode | None = None) -> BuiltLine:
    return BuiltLine(number, code, (), units, Decimal(charge), pointers, DOS, ndc=ndc)


CLEAN = ScrubInput(
    diagnoses=("E11.9", "I10"),
    omitted_diagnoses=(),
    lines=(line(1), line(2, charge="25.50", pointers=(1, 2))),
    total_charge=Decimal("125.50"),
    billing_provider_npi="1234567893",
    rendering_provider_npi="1245319599",
    billing_provider=billing_party(),
    rendering_provider=rendering_party(),
    date_of_service=DOS,
    coverage=CoverageWindow(date(2026, 1, 1), None),
    payer_id="MOCK-PPO",
    payer_active=True,
    frequency_code="1",
    accepted_frequency_codes=("1", "7", "8"),
    patient_address=HOME_ADDRESS,
    relationship="self",
    subscriber_address=None,
    place_of_service="11",
    has_service_facility=False,
)


def rules(claim: ScrubInput) -> list[tuple[str, str]]:
    return [(f["rule"], f["path"]) for f in scrub(claim)]


def test_clean_claim_has_no_findings() -> None:
    assert scrub(CLEAN) == []
    assert not has_errors(scrub(CLEAN))


@pytest.mark.parametrize(("npi", "valid"), [
    ("1234567893", True), ("1245319599", True), ("1234567890", False),
    ("123456789", False), ("12345678930", False), ("12345A7893", False),
    ("１２３４５６７８９３", False),  # full-width digits pass str.isdigit()
])
def test_npi_check_digit(npi: str, valid: bool) -> None:
    assert is_valid_npi(npi) is valid


def test_bad_npis_are_named_by_field() -> None:
    claim = replace(CLEAN, billing_provider_npi="1234567890", rendering_provider_npi="999")
    assert rules(claim) == [("npi.check_digit", "$.billing_provider_npi"),
                            ("npi.check_digit", "$.rendering_provider_npi")]


@pytest.mark.parametrize(("window", "active"), [
    (CoverageWindow(date(2026, 3, 2), date(2026, 3, 2)), True),
    (CoverageWindow(date(2025, 1, 1), None), True),
    (CoverageWindow(date(2026, 3, 3), None), False),
    (CoverageWindow(date(2025, 1, 1), date(2026, 3, 1)), False),
])
def test_coverage_must_be_in_force_on_the_date_of_service(
    window: CoverageWindow, active: bool
) -> None:
    found = rules(replace(CLEAN, coverage=window))
    assert found == ([] if active else [("coverage.not_active", "$.coverage_id")])


def test_inactive_payer_is_an_error() -> None:
    assert rules(replace(CLEAN, payer_active=False)) == [("payer.inactive", "$.payer_id")]


def test_frequency_code_the_plan_does_not_take_is_an_error() -> None:
    claim = replace(CLEAN, frequency_code="7", accepted_frequency_codes=("1",))
    assert rules(claim) == [("payer.frequency_not_accepted", "$.frequency_code")]
    assert rules(replace(claim, accepted_frequency_codes=("1", "7"))) == []


def test_fifty_lines_pass_fifty_one_do_not() -> None:
    fifty = tuple(line(n, charge="1.00") for n in range(1, 51))
    ok = replace(CLEAN, lines=fifty, total_charge=Decimal("50.00"))
    assert rules(ok) == []
    too_many = replace(ok, lines=(*fifty, line(51, charge="1.00")), total_charge=Decimal("51.00"))
    assert rules(too_many) == [("service_lines.too_many", "$.lines")]


def test_no_lines_and_no_diagnoses_are_errors() -> None:
    assert ("service_lines.empty", "$.lines") in rules(replace(CLEAN, lines=()))
    assert ("diagnosis.empty", "$.diagnoses") in rules(
        replace(CLEAN, diagnoses=(), lines=(line(pointers=()),), total_charge=Decimal("100.00")))


def test_twelve_diagnoses_pass_more_do_not() -> None:
    twelve = tuple(f"Z{n:02d}.0" for n in range(12))
    assert rules(replace(CLEAN, diagnoses=twelve)) == []
    assert rules(replace(CLEAN, diagnoses=twelve, omitted_diagnoses=("Z12.0",))) == [
        ("diagnosis.too_many", "$.diagnoses")]


@pytest.mark.parametrize(("pointers", "expected"), [
    ((1,), []),
    ((1, 2), []),
    ((), [("pointer.count", "$.lines[0].diagnosis_pointers")]),
    ((1, 2, 1, 2, 1), [("pointer.count", "$.lines[0].diagnosis_pointers")]),
    ((3,), [("pointer.range", "$.lines[0].diagnosis_pointers[0]")]),
    ((1, 0), [("pointer.range", "$.lines[0].diagnosis_pointers[1]")]),
])
def test_each_line_points_at_one_to_four_existing_diagnoses(
    pointers: tuple[int, ...], expected: list[tuple[str, str]]
) -> None:
    claim = replace(CLEAN, lines=(line(1, pointers=pointers),), total_charge=Decimal("100.00"))
    assert rules(claim) == expected


def test_line_charge_and_units_must_be_positive() -> None:
    claim = replace(CLEAN, lines=(line(1, charge="0.00", units=0),), total_charge=Decimal("0.00"))
    assert rules(claim) == [("charge.positive", "$.lines[0].charge"),
                            ("units.minimum", "$.lines[0].units")]


def test_findings_carry_severity_and_a_message() -> None:
    finding = scrub(replace(CLEAN, payer_active=False))[0]
    assert finding["severity"] == "error"
    assert "MOCK-PPO" in finding["message"]


# --- the provider registry ----------------------------------------------------------------


def test_a_billing_provider_must_be_registered() -> None:
    assert rules(replace(CLEAN, billing_provider=None)) == [
        ("billing_provider.unregistered", "$.billing_provider_npi")]


def test_a_billing_provider_needs_zip_plus_four() -> None:
    five_digits = replace(CLINIC_ADDRESS, postal_code="62701")
    claim = replace(CLEAN, billing_provider=replace(billing_party(), address=five_digits))
    assert rules(claim) == [("billing_provider.zip_plus_four", "$.billing_provider_npi")]
    assert rules(replace(CLEAN, billing_provider=replace(billing_party(),
                                                         address=CLINIC_ADDRESS))) == []


def test_a_billing_provider_needs_a_tax_id() -> None:
    claim = replace(CLEAN, billing_provider=replace(billing_party(), tax_id=None))
    assert rules(claim) == [("billing_provider.tax_id", "$.billing_provider_npi")]


def test_a_rendering_person_needs_a_registration_and_a_taxonomy() -> None:
    assert rules(replace(CLEAN, rendering_provider=None)) == [
        ("rendering_provider.unregistered", "$.rendering_provider_npi")]
    assert rules(replace(CLEAN, rendering_provider=replace(rendering_party(),
                                                           taxonomy=None))) == [
        ("rendering_provider.taxonomy", "$.rendering_provider_npi")]
    assert rules(replace(CLEAN, rendering_provider=billing_party("1245319599"))) == [
        ("rendering_provider.person", "$.rendering_provider_npi")]


def test_the_billing_provider_rendering_the_care_needs_no_rendering_registration() -> None:
    claim = replace(CLEAN, rendering_provider_npi="1234567893", rendering_provider=None)
    assert rules(claim) == []


def test_an_invalid_npi_is_named_once_not_as_unregistered() -> None:
    claim = replace(CLEAN, billing_provider_npi="1234567890", billing_provider=None,
                    rendering_provider_npi="999", rendering_provider=None)
    assert rules(claim) == [("npi.check_digit", "$.billing_provider_npi"),
                            ("npi.check_digit", "$.rendering_provider_npi")]


# --- what the claim's loops need from the encounter and the coverage -------------------------


def test_a_claim_needs_the_patients_address() -> None:
    assert rules(replace(CLEAN, patient_address=None)) == [
        ("patient.address_missing", "$.patient.address")]
    assert has_errors(scrub(replace(CLEAN, patient_address=None)))


def test_a_dependents_claim_needs_the_subscribers_address() -> None:
    dependent = replace(CLEAN, relationship="child", subscriber_address=None)
    assert rules(dependent) == [("coverage.subscriber_address_missing", "$.coverage_id")]
    assert rules(replace(dependent, subscriber_address=HOME_ADDRESS)) == []
    # The patient's own address stands for a subscriber who is the patient.
    assert rules(replace(CLEAN, subscriber_address=None)) == []


@pytest.mark.parametrize(("code", "drug"), [
    ("J3301", True), ("J9035", True), ("Q5103", True), ("99213", False), ("Q0091", False),
    ("96372", False),
])
def test_a_drug_code_without_its_ndc_is_a_warning(code: str, drug: bool) -> None:
    claim = replace(CLEAN, lines=(line(1, code=code),), total_charge=Decimal("100.00"))
    found = scrub(claim)
    assert [(f["rule"], f["path"]) for f in found] == (
        [("ndc.missing", "$.lines[0].ndc")] if drug else [])
    assert not has_errors(found)
    with_ndc = replace(claim, lines=(line(1, code=code,
                                          ndc=DrugCode("00003029320", "ML", Decimal("1"))),))
    assert scrub(with_ndc) == []


@pytest.mark.parametrize(("place", "warned"), [
    ("21", True), ("22", True), ("23", True), ("11", False), ("02", False), ("19", False),
])
def test_a_hospital_place_of_service_without_a_facility_is_a_warning(place: str,
                                                                     warned: bool) -> None:
    claim = replace(CLEAN, place_of_service=place)
    found = scrub(claim)
    assert [(f["rule"], f["path"], f["severity"]) for f in found] == (
        [("service_facility.missing", "$.service_facility", "warning")] if warned else [])
    assert scrub(replace(claim, has_service_facility=True)) == []
