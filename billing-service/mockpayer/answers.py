"""The mock payer's answers in X12: who it is on a 277CA and an 835, how its payments are
grouped, and how a payee's recoupments are carried from one payment to the next. Pure."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from billing_service.payers.adapter import ClaimForPayer
from billing_service.x12.config import Address
from billing_service.x12.remit835 import PaidClaim, Payer, Payment, ProviderAdjustment
from mockpayer.engine import PayerRules, find_member, member_plan
from rcm_shared.money import ZERO

# ISA06 of everything the mock payer sends (billing's X12__RECEIVER_ID names it too).
INTERCHANGE_ID = "MOCKPAYER"
# Illustrative: one mailing address and claims line for every mock payer.
ADDRESS = Address(line="PO BOX 1000", city="SPRINGFIELD", state="IL", postal_code="627010000")
CONTACT_PHONE = "5555550199"
# CLP06 of a claim whose member the payer does not know.
COMMERCIAL = "CI"
# PLB03-1: a balance carried forward from or to another 835.
FORWARD_BALANCE = "FB"


def payer_of(payer_id: str, rules: PayerRules | None) -> Payer:
    # TRN03: "1" and a nine-digit number standing in for the payer's EIN, fixed per payer.
    number = int.from_bytes(hashlib.sha256(payer_id.encode()).digest()[:8], "big") % 10**9
    return Payer(
        payer_id=payer_id,
        name=rules.info.name if rules is not None else payer_id,
        address=ADDRESS,
        company_id=f"1{number:09d}",
        contact_phone=CONTACT_PHONE,
    )


def filing_indicator(claim: ClaimForPayer, rules: PayerRules | None) -> str:
    member = find_member(rules, claim.member_id) if rules is not None else None
    if rules is None or member is None:
        return COMMERCIAL
    return member_plan(rules, member, claim.plan_code).claim_filing_indicator


def forward_balance(net: Decimal, owed: Decimal) -> tuple[Decimal, Decimal]:
    """(the PLB FB amount, what the payee still owes after this payment) for claims netting
    `net` to a payee already owing `owed`: the payer takes back what it is owed from what it
    pays, and never pays less than nothing (a negative PLB adds the shortfall back and carries
    it forward)."""
    taken = min(net, owed)
    return taken, owed - taken


@dataclass(frozen=True, slots=True)
class PayeeClaims:
    """The claims one payer pays one payee in one 835, and what the payee owed before."""

    payer: Payer
    payee_npi: str
    payee_name: str
    claims: tuple[PaidClaim, ...]
    owed: Decimal


def payment(group: PayeeClaims, *, trace_number: str, paid_on: date) -> tuple[Payment, Decimal]:
    """The 835 payment of `group` and what the payee owes afterwards."""
    net = sum((paid.remittance.paid for paid in group.claims), ZERO)
    carried, owed = forward_balance(net, group.owed)
    adjustments = () if carried == ZERO else (
        ProviderAdjustment(FORWARD_BALANCE, trace_number, carried),
    )
    return Payment(
        payer=group.payer,
        payee_npi=group.payee_npi,
        payee_name=group.payee_name,
        trace_number=trace_number,
        paid_on=paid_on,
        claims=group.claims,
        provider_adjustments=adjustments,
    ), owed
