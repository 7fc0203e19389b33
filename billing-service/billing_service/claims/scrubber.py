"""The claim scrubber: what a payer would reject, caught before the claim leaves. Pure.

Each finding is {rule, severity, path, message}; paths point into the claim resource
(GET /v1/claims/{id}). An error keeps the claim from being submitted; a warning does not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from billing_service.claims.builder import BuiltLine
from billing_service.payers.adapter import PostalAddress, ProviderParty
from billing_service.x12.claim_shape import (
    MAX_CLAIM_DIAGNOSES,
    MAX_CLAIM_LINES,
    MAX_LINE_POINTERS,
)
from rcm_shared.issues import IssueDict, Severity, issue
from rcm_shared.money import ZERO
from rcm_shared.npi import is_valid_npi

# CLM02 of the 837P and CLP03 of the 835 carry at most this, as does one amount of money.
MAX_CLAIM_TOTAL = Decimal("99999999.99")
# Places of service where the care is given in someone else's facility (inpatient and
# outpatient hospital, emergency room), so the claim names it (loop 2310C).
FACILITY_PLACES = frozenset({"21", "22", "23"})
# Drug HCPCS codes billed by the unit given, which payers price by the NDC: the J-codes
# (drugs other than oral, chemotherapy) and the Q51xx biosimilars.
DRUG_CODE = re.compile(r"J[0-9]{4}|Q51[0-9]{2}")
# A claim no payer file can carry: refused when it is built, not stored to fail later.
TOTAL_TOO_LARGE = "claim.total_too_large"


@dataclass(frozen=True, slots=True)
class CoverageWindow:
    effective_from: date
    effective_to: date | None


@dataclass(frozen=True, slots=True)
class ScrubInput:
    diagnoses: Sequence[str]
    omitted_diagnoses: Sequence[str]
    lines: Sequence[BuiltLine]
    total_charge: Decimal
    billing_provider_npi: str
    rendering_provider_npi: str
    # The registry's entries for those NPIs; None when not registered.
    billing_provider: ProviderParty | None
    rendering_provider: ProviderParty | None
    date_of_service: date
    coverage: CoverageWindow
    payer_id: str
    payer_active: bool
    frequency_code: str
    accepted_frequency_codes: Sequence[str]
    # The patient's own address (the encounter's), and, when the subscriber is not the
    # patient, the subscriber's (the coverage's).
    patient_address: PostalAddress | None
    relationship: str
    subscriber_address: PostalAddress | None
    place_of_service: str
    has_service_facility: bool


def scrub(claim: ScrubInput) -> list[IssueDict]:
    findings: list[IssueDict] = []
    findings += _coverage_rules(claim)
    findings += _address_rules(claim)
    findings += _provider_rules(claim)
    findings += _diagnosis_rules(claim)
    findings += _line_rules(claim)
    findings += _facility_rules(claim)
    return findings


def _address_rules(claim: ScrubInput) -> list[IssueDict]:
    """The 837P carries the patient's address (2010BA when self, else 2010CA) and a
    dependent's subscriber's (2010BA)."""
    findings = []
    if claim.patient_address is None:
        findings.append(issue(
            "patient.address_missing", "$.patient.address",
            "The encounter has no patient address and the claim must carry it; add "
            "patient.address to the encounter in coding-service and bill its new coding "
            "version.",
        ))
    if claim.relationship != "self" and claim.subscriber_address is None:
        findings.append(issue(
            "coverage.subscriber_address_missing", "$.coverage_id",
            f"The subscriber is the patient's {claim.relationship} and the coverage has no "
            "subscriber address; add subscriber.address (PATCH /v1/coverages/{id}).",
        ))
    return findings


def _facility_rules(claim: ScrubInput) -> list[IssueDict]:
    if claim.place_of_service in FACILITY_PLACES and not claim.has_service_facility:
        return [issue(
            "service_facility.missing", "$.service_facility",
            f"Place of service {claim.place_of_service} is a hospital or emergency room, and "
            "payers expect where the care was given (loop 2310C); add service_facility to "
            "the encounter.",
            Severity.WARNING,
        )]
    return []


def _coverage_rules(claim: ScrubInput) -> list[IssueDict]:
    findings = []
    window = claim.coverage
    if claim.date_of_service < window.effective_from or (
        window.effective_to is not None and claim.date_of_service > window.effective_to
    ):
        until = window.effective_to.isoformat() if window.effective_to else "open-ended"
        findings.append(issue(
            "coverage.not_active", "$.coverage_id",
            f"The coverage runs from {window.effective_from.isoformat()} to {until}; the date "
            f"of service {claim.date_of_service.isoformat()} is outside it. Pick the coverage "
            "in force on that day or fix the coverage dates.",
        ))
    if not claim.payer_active:
        findings.append(issue(
            "payer.inactive", "$.payer_id",
            f"Payer {claim.payer_id} no longer accepts claims; bill the patient's current payer.",
        ))
    if claim.frequency_code not in claim.accepted_frequency_codes:
        accepted = ", ".join(claim.accepted_frequency_codes) or "none"
        findings.append(issue(
            "payer.frequency_not_accepted", "$.frequency_code",
            f"The plan accepts claim frequency codes {accepted}, not "
            f"{claim.frequency_code}.",
        ))
    return findings


def _provider_rules(claim: ScrubInput) -> list[IssueDict]:
    findings = [
        issue(
            "npi.check_digit", f"$.{field}",
            f"{npi!r} is not a valid NPI: ten digits with a Luhn check digit are required.",
        )
        for field, npi in (
            ("billing_provider_npi", claim.billing_provider_npi),
            ("rendering_provider_npi", claim.rendering_provider_npi),
        )
        if not is_valid_npi(npi)
    ]
    return findings + _billing_provider_rules(claim) + _rendering_provider_rules(claim)


def _billing_provider_rules(claim: ScrubInput) -> list[IssueDict]:
    """Loop 2010AA: the payer pays this name, at this address, under this tax id."""
    npi, provider = claim.billing_provider_npi, claim.billing_provider
    path = "$.billing_provider_npi"
    if not is_valid_npi(npi):
        return []  # npi.check_digit says why: no such NPI can be registered
    if provider is None:
        return [issue("billing_provider.unregistered", path,
                      f"Billing NPI {npi} is not in the provider registry; register its name, "
                      "address and tax id (POST /v1/providers).")]
    findings = []
    if provider.address is None or len(provider.address.postal_code) != 9:
        findings.append(issue("billing_provider.zip_plus_four", path,
                              f"Billing provider {npi} has a 5-digit ZIP code; loop 2010AA "
                              f"needs the full ZIP+4 (PATCH /v1/providers/{npi})."))
    if not provider.tax_id:
        findings.append(issue("billing_provider.tax_id", path,
                              f"Billing provider {npi} has no tax id; loop 2010AA needs its "
                              f"EIN (REF*EI) (PATCH /v1/providers/{npi})."))
    return findings


def _rendering_provider_rules(claim: ScrubInput) -> list[IssueDict]:
    """Loop 2310B names the person who rendered the care, with the taxonomy (PRV*PE) payers
    price by; it is left out when the billing provider rendered it."""
    npi, provider = claim.rendering_provider_npi, claim.rendering_provider
    if npi == claim.billing_provider_npi or not is_valid_npi(npi):
        return []
    path = "$.rendering_provider_npi"
    if provider is None:
        return [issue("rendering_provider.unregistered", path,
                      f"Rendering NPI {npi} is not in the provider registry; register the "
                      "person with a taxonomy (POST /v1/providers).")]
    if not provider.is_person:
        return [issue("rendering_provider.person", path,
                      f"Rendering NPI {npi} is registered as an organization; the rendering "
                      "provider is a person (loop 2310B, NM1*82*1).")]
    if not provider.taxonomy:
        return [issue("rendering_provider.taxonomy", path,
                      f"Rendering provider {npi} has no taxonomy; loop 2310B needs it "
                      f"(PRV*PE) (PATCH /v1/providers/{npi}).")]
    return []


def _diagnosis_rules(claim: ScrubInput) -> list[IssueDict]:
    if not claim.diagnoses:
        return [issue("diagnosis.empty", "$.diagnoses",
                      "A claim needs at least one diagnosis; code the encounter first.")]
    if claim.omitted_diagnoses or len(claim.diagnoses) > MAX_CLAIM_DIAGNOSES:
        omitted = ", ".join(claim.omitted_diagnoses)
        return [issue(
            "diagnosis.too_many", "$.diagnoses",
            f"A professional claim carries at most {MAX_CLAIM_DIAGNOSES} diagnoses and its "
            f"service lines point at more (left out: {omitted}); each line points at "
            f"{MAX_LINE_POINTERS} at most.",
        )]
    return []


def _line_rules(claim: ScrubInput) -> list[IssueDict]:
    findings = []
    if not claim.lines:
        findings.append(issue("service_lines.empty", "$.lines",
                              "A claim needs at least one service line."))
    if len(claim.lines) > MAX_CLAIM_LINES:
        findings.append(issue(
            "service_lines.too_many", "$.lines",
            f"A professional claim carries at most {MAX_CLAIM_LINES} lines, this one has "
            f"{len(claim.lines)}; split it.",
        ))
    for index, line in enumerate(claim.lines):
        path = f"$.lines[{index}]"
        if line.charge <= ZERO:
            findings.append(issue("charge.positive", f"{path}.charge",
                                  f"Line {line.line_number} must have a charge above 0.00."))
        if line.units < 1:
            findings.append(issue("units.minimum", f"{path}.units",
                                  f"Line {line.line_number} must bill at least 1 unit."))
        findings += _pointer_rules(line, path, len(claim.diagnoses))
        if line.ndc is None and DRUG_CODE.fullmatch(line.procedure_code):
            findings.append(issue(
                "ndc.missing", f"{path}.ndc",
                f"Line {line.line_number} bills the drug code {line.procedure_code} without "
                "its NDC; Medicaid and many payers deny drug lines without one (LIN/CTP of "
                "loop 2410). Add ndc to the encounter's line.",
                Severity.WARNING,
            ))
    if claim.total_charge > MAX_CLAIM_TOTAL:
        findings.append(issue(
            TOTAL_TOO_LARGE, "$.total_charge",
            f"The lines add up to {claim.total_charge}; a claim carries at most "
            f"{MAX_CLAIM_TOTAL}. Split the services over several claims.",
        ))
    return findings


def _pointer_rules(line: BuiltLine, path: str, diagnosis_count: int) -> list[IssueDict]:
    pointers = line.diagnosis_pointers
    findings = []
    if not 1 <= len(pointers) <= MAX_LINE_POINTERS:
        findings.append(issue(
            "pointer.count", f"{path}.diagnosis_pointers",
            f"Line {line.line_number} must point at 1 to {MAX_LINE_POINTERS} diagnoses, "
            f"not {len(pointers)}.",
        ))
    for position, pointer in enumerate(pointers):
        if not 1 <= pointer <= diagnosis_count:
            findings.append(issue(
                "pointer.range", f"{path}.diagnosis_pointers[{position}]",
                f"Line {line.line_number} points at diagnosis {pointer}, but the claim has "
                f"{diagnosis_count}.",
            ))
    return findings
