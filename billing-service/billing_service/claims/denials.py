"""What a payer denied on a claim and why, in the categories a biller works denials by. Pure.

A denial is an adjustment that is neither the patient's share (group PR) nor the contractual
write-down (CO-45): on the claim itself, or on a line the payer paid nothing for. Its
category comes from its claim adjustment reason code (CARC), by the code's published meaning;
a code not listed here is `other`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from billing_service.payers.adapter import Remittance
from rcm_shared.money import ZERO, to_money


class DenialCategory(StrEnum):
    ELIGIBILITY = "eligibility"
    AUTHORIZATION = "authorization"
    CODING = "coding"
    MEDICAL_NECESSITY = "medical_necessity"
    TIMELY_FILING = "timely_filing"
    DUPLICATE = "duplicate"
    BUNDLING = "bundling"
    OTHER = "other"


_CODES: dict[DenialCategory, tuple[str, ...]] = {
    # 26 before coverage began, 27 after it ended, 31 not identified as the payer's insured,
    # 32 not an eligible dependent, 33 no dependent coverage, 177 eligibility requirements not
    # met, 200 a lapse in coverage.
    DenialCategory.ELIGIBILITY: ("26", "27", "31", "32", "33", "177", "200"),
    # 15 authorization number missing or not for these services, 39 refused when
    # authorization was asked, 62 absent or exceeded authorization, 197 absent, 198 exceeded.
    DenialCategory.AUTHORIZATION: ("15", "39", "62", "197", "198"),
    # 4 modifier inconsistent or missing, 5 place of service, 6 age, 7 sex, 8 provider type,
    # 9 diagnosis and age, 10 diagnosis and sex, 11 diagnosis and procedure, 16 information
    # missing or a billing error, 146 diagnosis invalid on the date, 181 procedure code and
    # 182 modifier invalid on the date, 189 an unlisted code where a specific one exists.
    DenialCategory.CODING: ("4", "5", "6", "7", "8", "9", "10", "11", "16", "146", "181",
                            "182", "189"),
    # 50 not medically necessary, 55 experimental, 56 not proven effective, 57 and 150 the
    # level of service not supported, 58 an inappropriate place of service, 151 frequency not
    # supported, 167 the diagnosis is not covered.
    DenialCategory.MEDICAL_NECESSITY: ("50", "55", "56", "57", "58", "150", "151", "167"),
    # 29 the time limit for filing has expired.
    DenialCategory.TIMELY_FILING: ("29",),
    # 18 exact duplicate, B13 paid in an earlier payment.
    DenialCategory.DUPLICATE: ("18", "B13"),
    # 97 included in another service's payment, 231 mutually exclusive procedures, 234 not
    # paid separately, 236 incompatible with another procedure of the day under NCCI.
    DenialCategory.BUNDLING: ("97", "231", "234", "236"),
}
CATEGORY_OF_CARC: Mapping[str, DenialCategory] = {
    code: category for category, codes in _CODES.items() for code in codes}
# Adjustments of a processed line that deny nothing: the contractual write-down.
NOT_DENIALS = frozenset({("CO", "45")})


def category(carc: str) -> DenialCategory:
    return CATEGORY_OF_CARC.get(carc.strip().upper(), DenialCategory.OTHER)


@dataclass(frozen=True, slots=True)
class Denial:
    line: int | None  # None: the claim as a whole
    procedure_code: str | None
    group_code: str
    carc: str
    rarcs: tuple[str, ...]
    amount: Decimal
    category: DenialCategory


def denials(remittance: Remittance) -> list[Denial]:
    """The remittance's denials, claim-level first, then line by line; none for a reversal
    (it takes back an earlier remittance, denials and all)."""
    if remittance.status == "reversed":
        return []
    found = [
        Denial(None, None, a.group, a.carc, tuple(remittance.remark_codes), a.amount,
               category(a.carc))
        for a in remittance.claim_adjustments if _denies(a.group, a.carc)
    ]
    for line in remittance.lines:
        if line.paid != ZERO:
            continue
        found += [
            Denial(line.line_number, line.procedure_code, a.group, a.carc, tuple(line.rarc),
                   a.amount, category(a.carc))
            for a in line.adjustments if _denies(a.group, a.carc)
        ]
    return found


def denial_records(remittance: Remittance) -> list[dict[str, Any]]:
    """The remittance's denials as the claim keeps them (JSON, amounts as decimal strings)."""
    return [
        {"line": d.line, "procedure_code": d.procedure_code, "group_code": d.group_code,
         "carc": d.carc, "rarcs": list(d.rarcs), "amount": str(to_money(d.amount)),
         "category": d.category.value}
        for d in denials(remittance)
    ]


def _denies(group: str, carc: str) -> bool:
    return group != "PR" and (group, carc) not in NOT_DENIALS
