"""What pyx12 does not check, and what posting needs before it trusts an 835. Pure.

pyx12 validates structure and the code lists it ships; it does not know an NPI's check digit,
that a service line's pointers must stay within the HI segment's diagnoses, the code lists it
leaves open (claim frequency, claim adjustment reason codes), nor whether the money adds up.
Each finding is {rule, severity, path, message}.
"""

from __future__ import annotations

import re
from decimal import Decimal

from billing_service.payers.adapter import ClaimForPayer
from billing_service.x12.claim837 import FREQUENCY_CODES
from billing_service.x12.claim_shape import (
    MAX_CLAIM_DIAGNOSES,
    MAX_CLAIM_LINES,
    MAX_LINE_POINTERS,
)
from billing_service.x12.remit835 import ClaimPayment, PaymentAdvice, ReadAdjustment
from rcm_shared.issues import IssueDict, issue
from rcm_shared.money import ZERO
from rcm_shared.npi import is_valid_npi

MAX_MODIFIERS = 4
# CAS01 in 5010 (CR, corrections and reversals, was retired: a reversal is CLP02 = 22).
GROUP_CODES = frozenset({"CO", "OA", "PI", "PR"})
# CLP02: processed as primary/secondary/tertiary (and forwarded), denied, reversal, not our
# claim, predetermination.
CLAIM_STATUS_CODES = frozenset({"1", "2", "3", "4", "19", "20", "21", "22", "23", "25"})
# Claim statuses that carry no payment to post: the claim went elsewhere or was only priced.
NOT_POSTED_STATUS_CODES = frozenset({"23", "25"})
# Claim adjustment reason codes (X12 external code list 139), every family it has issued:
# numbered 1-999, and the lettered A0-A8, B1-B23, D1-D23, P1-P32, W1-W9, Y1-Y3.
CARC_PATTERN = re.compile(
    r"^([1-9]\d{0,2}|A[0-8]|B([1-9]|1\d|2[0-3])|D([1-9]|1\d|2[0-3])|P([1-9]|[12]\d|3[0-2])"
    r"|W[1-9]|Y[1-3])$"
)
# Remittance advice remark codes (list 411): M, MA and N families.
RARC_PATTERN = re.compile(r"^(M\d{1,3}|MA\d{2,3}|N\d{1,3})$")
MAX_CLAIM_NUMBER = 50
# An 835 pays at most 99999999.99, in cents.
MAX_AMOUNT = Decimal("99999999.99")
CENT = Decimal("0.01")


# --- the 837P billing writes ----------------------------------------------------------


def claim_issues(claim: ClaimForPayer) -> list[IssueDict]:
    """Why an 837P of `claim` would be refused; paths point into the claim resource."""
    findings = []
    if claim.frequency_code not in FREQUENCY_CODES:
        findings.append(issue("x12.frequency_code", "$.frequency_code",
                              f"Claim frequency code {claim.frequency_code!r} is not 1 "
                              "(original), 7 (replacement) or 8 (void)."))
    elif claim.frequency_code != "1" and not claim.original_payer_claim_number:
        findings.append(issue("x12.original_claim_number", "$.original_payer_claim_number",
                              "A replacement or void needs the payer claim control number of "
                              "the claim it refers to (REF*F8)."))
    for field, npi in (("billing_provider_npi", claim.billing_provider_npi),
                       ("rendering_provider_npi", claim.rendering_provider_npi)):
        if not is_valid_npi(npi):
            findings.append(issue("npi.check_digit", f"$.{field}",
                                  f"{npi!r} is not a valid NPI: ten digits with a Luhn check "
                                  "digit are required."))
    if claim.billing_provider is None and is_valid_npi(claim.billing_provider_npi):
        findings.append(issue("x12.billing_provider", "$.billing_provider_npi",
                              f"Billing NPI {claim.billing_provider_npi} is not registered: "
                              "loop 2010AA needs its name, address and tax id "
                              "(POST /v1/providers)."))
    if (claim.rendering_provider_npi != claim.billing_provider_npi
            and claim.rendering_provider is None and is_valid_npi(claim.rendering_provider_npi)):
        findings.append(issue("x12.rendering_provider", "$.rendering_provider_npi",
                              f"Rendering NPI {claim.rendering_provider_npi} is not registered: "
                              "loop 2310B needs the person's name (POST /v1/providers)."))
    # 2010BA N3/N4 (the subscriber is the patient) and 2010CA N3/N4 are required.
    if claim.patient_address is None:
        findings.append(issue("x12.patient_address", "$.patient.address",
                              "The patient's address is missing: the 837P carries it "
                              "(N3/N4 of loop 2010BA or 2010CA)."))
    if claim.relationship != "self" and claim.subscriber_address is None:
        findings.append(issue("x12.subscriber_address", "$.coverage_id",
                              "The subscriber is not the patient and the coverage has no "
                              "subscriber address (loop 2010BA N3/N4)."))
    count = len(claim.diagnoses)
    if not 1 <= count <= MAX_CLAIM_DIAGNOSES:
        findings.append(issue("x12.diagnosis_count", "$.diagnoses",
                              f"The HI segment carries 1 to {MAX_CLAIM_DIAGNOSES} diagnoses, "
                              f"not {count}."))
    if not 1 <= len(claim.lines) <= MAX_CLAIM_LINES:
        findings.append(issue("x12.line_count", "$.lines",
                              f"An 837P claim carries 1 to {MAX_CLAIM_LINES} service lines, "
                              f"not {len(claim.lines)}."))
    for index, line in enumerate(claim.lines):
        path = f"$.lines[{index}]"
        if not 1 <= len(line.diagnosis_pointers) <= MAX_LINE_POINTERS:
            findings.append(issue("x12.pointer_count", f"{path}.diagnosis_pointers",
                                  f"SV107 carries 1 to {MAX_LINE_POINTERS} diagnosis pointers, "
                                  f"not {len(line.diagnosis_pointers)}."))
        for position, pointer in enumerate(line.diagnosis_pointers):
            if not 1 <= pointer <= count:
                findings.append(issue(
                    "x12.pointer_range", f"{path}.diagnosis_pointers[{position}]",
                    f"Pointer {pointer} is outside the HI segment's {count} diagnoses."))
        if len(line.modifiers) > MAX_MODIFIERS:
            findings.append(issue("x12.modifier_count", f"{path}.modifiers",
                                  f"SV101 carries at most {MAX_MODIFIERS} modifiers, not "
                                  f"{len(line.modifiers)}."))
    return findings


# --- the 835 billing reads ------------------------------------------------------------


def _at(position: int, segment_id: str) -> str:
    return f"segment {position} ({segment_id})"


def _amount_issues(amounts: list[Decimal], path: str) -> list[IssueDict]:
    return [
        issue("x12.835.amount", path,
              f"{amount} is not an amount in cents of at most {MAX_AMOUNT}.")
        for amount in amounts
        if abs(amount) > MAX_AMOUNT or amount != amount.quantize(CENT)
    ]


def payment_issues(advice: PaymentAdvice) -> list[IssueDict]:
    """The payment's own amounts are money, and it balances: BPR02 = sum of CLP04 - sum of
    PLB amounts. A file failing this is corrupt, not merely wrong about one claim (a claim's
    own amounts are its claim_payment_issues)."""
    findings = _amount_issues([advice.total], _at(advice.position, "BPR"))
    for adjustment in advice.provider_adjustments:
        findings += _amount_issues([adjustment.amount], _at(adjustment.position, "PLB"))
    if findings:
        return findings
    claims = sum((claim.paid for claim in advice.claims), ZERO)
    provider = sum((a.amount for a in advice.provider_adjustments), ZERO)
    if advice.total == claims - provider:
        return []
    return [issue(
        "x12.835.payment_balance", _at(advice.position, "BPR"),
        f"BPR02 {advice.total} is not the claims' payments {claims} less the provider "
        f"adjustments {provider} (= {claims - provider}); the file is not posted.",
    )]


def claim_payment_issues(claim: ClaimPayment) -> list[IssueDict]:
    """Amounts, code values and balancing of one CLP loop: a claim with findings is not
    posted, and the file's other claims are."""
    clp = _at(claim.position, "CLP")
    amounts = _amount_issues([claim.billed, claim.paid, claim.patient_responsibility,
                              *(a.amount for a in claim.adjustments)], clp)
    for service in claim.services:
        allowed = [service.allowed] if service.allowed is not None else []
        amounts += _amount_issues([service.billed, service.paid, *allowed,
                                   *(a.amount for a in service.adjustments)],
                                  _at(service.position, "SVC"))
    if amounts:
        return amounts
    findings = []
    if claim.status_code not in CLAIM_STATUS_CODES:
        findings.append(issue("x12.835.claim_status", clp,
                              f"CLP02 {claim.status_code!r} is not a claim status code."))
    if not 1 <= len(claim.payer_claim_control_number) <= MAX_CLAIM_NUMBER:
        findings.append(issue("x12.835.claim_number", clp,
                              f"CLP07, the payer claim control number, has 1 to "
                              f"{MAX_CLAIM_NUMBER} characters."))
    findings += _adjustment_issues(claim.adjustments, clp)
    findings += _remark_issues(claim.remark_codes, clp)
    service_adjustments = ZERO
    for service in claim.services:
        svc = _at(service.position, "SVC")
        findings += _adjustment_issues(service.adjustments, svc)
        findings += _remark_issues(service.remark_codes, svc)
        adjusted = _sum(service.adjustments)
        service_adjustments += adjusted
        if service.billed != service.paid + adjusted:
            findings.append(issue(
                "x12.835.line_balance", svc,
                f"Line {service.line_item_control_number or service.procedure_code}: billed "
                f"{service.billed} is not paid {service.paid} plus adjustments {adjusted}."))
    claim_adjusted = _sum(claim.adjustments) + service_adjustments
    if claim.billed != claim.paid + claim_adjusted:
        findings.append(issue(
            "x12.835.claim_balance", clp,
            f"Claim {claim.patient_control_number}: billed {claim.billed} is not paid "
            f"{claim.paid} plus adjustments {claim_adjusted}."))
    return findings


def _sum(adjustments: tuple[ReadAdjustment, ...]) -> Decimal:
    return sum((a.amount for a in adjustments), ZERO)


def _adjustment_issues(
    adjustments: tuple[ReadAdjustment, ...], path: str
) -> list[IssueDict]:
    findings = []
    for adjustment in adjustments:
        if adjustment.group not in GROUP_CODES:
            findings.append(issue("x12.835.group_code", path,
                                  f"CAS group code {adjustment.group!r} is not CO, OA, PI "
                                  "or PR."))
        if not CARC_PATTERN.fullmatch(adjustment.carc):
            findings.append(issue("x12.835.carc", path,
                                  f"{adjustment.carc!r} is not a claim adjustment reason "
                                  "code."))
    return findings


def _remark_issues(codes: tuple[str, ...], path: str) -> list[IssueDict]:
    return [
        issue("x12.835.rarc", path, f"{code!r} is not a remittance advice remark code.")
        for code in codes if not RARC_PATTERN.fullmatch(code)
    ]
