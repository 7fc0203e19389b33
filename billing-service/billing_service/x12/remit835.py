"""835 (005010X221A1): the payer's remittance advice, written by the mock payer and read by
billing (from the payer adapter and from POST /v1/remittances alike). Pure.

One transaction set per payment (a payer paying one payee): BPR (the amount and how it is
paid) and TRN (its trace number), the payer (1000A) and the payee (1000B), then per claim a CLP
with its claim-level CAS and MOA remark codes and per service line an SVC with its CAS, the
line item control number billing sent (REF*6R), the allowed amount (AMT*B6) and remark codes
(LQ*HE); PLB segments last, for what the payer adjusts at the provider level. Balancing:
BPR02 = sum of CLP04 - sum of PLB amounts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from billing_service.payers.adapter import Adjustment, ClaimForPayer, ClaimStatus, Remittance
from billing_service.x12.config import Address
from billing_service.x12.syntax import (
    Envelope,
    Segment,
    TransactionSet,
    X12ReadError,
    amount,
    clean,
    d8,
    interchange,
    read_amount,
    read_d8,
    read_interchange,
    segment,
)
from rcm_shared.money import ZERO

VERSION = "005010X221A1"
FUNCTIONAL_ID = "HP"
REVERSAL = "22"
DENIED = "4"
# CLP02 of a processed claim by the payer's place in the claim's order of payers, and when it
# also forwarded the claim to the next payer itself (a crossover).
PROCESSED_AS = {"P": "1", "S": "2", "T": "3"}
PROCESSED_AND_FORWARDED = {"P": "19", "S": "20", "T": "21"}
SEQUENCE_OF_STATUS_CODE = {code: sequence
                           for table in (PROCESSED_AS, PROCESSED_AND_FORWARDED)
                           for sequence, code in table.items()}
# Three reason/amount/quantity triplets per CAS segment follow the group code, six at most.
CAS_TRIPLETS = 6
# PLB03..PLB14: six reason/amount pairs per PLB segment.
PLB_PAIRS = 6
MOA_REMARKS = 5


# --- writing --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PaidClaim:
    """One CLP loop: the payer's decision on a claim as billing sent it."""

    remittance: Remittance
    claim: ClaimForPayer
    line_item_control_numbers: tuple[str, ...]  # in the order of claim.lines
    claim_filing_indicator: str  # CLP06: 12 PPO, HM HMO, MB Medicare Part B, CI commercial
    received_on: date
    # NM1*TT: the payer a crossover forwarded the claim to (remittance.crossed_over_to).
    crossover_carrier_name: str | None = None


@dataclass(frozen=True, slots=True)
class ProviderAdjustment:
    """A PLB adjustment: a positive amount reduces the payment, a negative one adds to it."""

    reason: str  # e.g. FB forward balance, WO overpayment recovery, L6 interest
    reference: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Payer:
    payer_id: str
    name: str
    address: Address
    # TRN03: "1" followed by the payer's EIN.
    company_id: str
    contact_phone: str


@dataclass(frozen=True, slots=True)
class Payment:
    payer: Payer
    payee_npi: str
    payee_name: str
    trace_number: str  # TRN02: the check or EFT trace number
    paid_on: date
    claims: tuple[PaidClaim, ...]
    provider_adjustments: tuple[ProviderAdjustment, ...] = ()
    # PLB02: the last day of the provider's fiscal year.
    fiscal_period_end: date | None = None

    @property
    def total(self) -> Decimal:
        claims = sum((paid.remittance.paid for paid in self.claims), ZERO)
        return claims - sum((a.amount for a in self.provider_adjustments), ZERO)


def write_835(payments: Sequence[Payment], envelope: Envelope) -> str:
    """An interchange with one 835 transaction set per payment."""
    return interchange(envelope, "835", [_transaction(payment) for payment in payments],
                       version_in_st=False)


def _transaction(payment: Payment) -> list[str]:
    total = payment.total
    if total < ZERO:
        raise ValueError("an 835 cannot pay less than nothing; carry the balance in a PLB")
    handling, method = ("I", "CHK") if total > ZERO else ("H", "NON")
    payer = payment.payer
    body = [
        segment("BPR", handling, amount(total), "C", method, *([None] * 11),
                d8(payment.paid_on)),
        segment("TRN", "1", clean(payment.trace_number, 50), payer.company_id),
        segment("DTM", "405", d8(payment.paid_on)),
        segment("N1", "PR", clean(payer.name, 60)),
        segment("N3", clean(payer.address.line, 55)),
        segment("N4", clean(payer.address.city, 30), payer.address.state,
                payer.address.postal_code),
        segment("REF", "2U", clean(payer.payer_id, 50)),
        segment("PER", "BL", "CLAIMS", "TE", payer.contact_phone),
        segment("N1", "PE", clean(payment.payee_name, 60) or "PROVIDER", "XX", payment.payee_npi),
    ]
    if payment.claims:
        body.append(segment("LX", "1"))
    for paid in payment.claims:
        body += _claim_payment(paid)
    adjustments = list(payment.provider_adjustments)
    period_end = d8(payment.fiscal_period_end or date(payment.paid_on.year, 12, 31))
    for start in range(0, len(adjustments), PLB_PAIRS):
        pairs: list[str | tuple[str, ...]] = []
        for adjustment in adjustments[start:start + PLB_PAIRS]:
            pairs += [(adjustment.reason, clean(adjustment.reference, 50)),
                      amount(adjustment.amount)]
        body.append(segment("PLB", payment.payee_npi, period_end, *pairs))
    return body


def _status_code(remittance: Remittance) -> str:
    if remittance.status == "reversed":
        return REVERSAL
    if remittance.status == ClaimStatus.DENIED:
        return DENIED
    if remittance.crossed_over_to is not None:
        return PROCESSED_AND_FORWARDED[remittance.payer_sequence]
    return PROCESSED_AS[remittance.payer_sequence]


def _claim_payment(paid: PaidClaim) -> list[str]:
    remittance, claim = paid.remittance, paid.claim
    status = _status_code(remittance)
    segments = [
        segment("CLP", remittance.patient_control_number, status, amount(remittance.billed),
                amount(remittance.paid), amount(remittance.patient_responsibility),
                paid.claim_filing_indicator, remittance.payer_claim_control_number,
                claim.place_of_service, claim.frequency_code),
        *cas_segments(remittance.claim_adjustments),
    ]
    patient_is_subscriber = claim.relationship == "self"
    patient_id = ("MI", clean(claim.member_id, 80)) if patient_is_subscriber else ()
    segments.append(segment("NM1", "QC", "1", clean(claim.patient.last_name, 60),
                            clean(claim.patient.first_name, 35), None, None, None, *patient_id))
    if not patient_is_subscriber:
        segments.append(segment("NM1", "IL", "1", clean(claim.subscriber.last_name, 60),
                                clean(claim.subscriber.first_name, 35), None, None, None,
                                "MI", clean(claim.member_id, 80)))
    if remittance.crossed_over_to is not None:
        name = paid.crossover_carrier_name or remittance.crossed_over_to
        segments.append(segment("NM1", "TT", "2", clean(name, 60), None, None, None, None,
                                "PI", clean(remittance.crossed_over_to, 80)))
    if remittance.remark_codes:
        segments.append(segment("MOA", None, None, *remittance.remark_codes[:MOA_REMARKS]))
    segments.append(segment("DTM", "050", d8(paid.received_on)))
    lines = {line.line_number: (line, control) for line, control
             in zip(claim.lines, paid.line_item_control_numbers, strict=True)}
    for line_remittance in remittance.lines:
        line, control = lines[line_remittance.line_number]
        units = -line.units if remittance.status == "reversed" else line.units
        segments += [
            segment("SVC", ("HC", line.procedure_code, *line.modifiers),
                    amount(line_remittance.billed), amount(line_remittance.paid), None,
                    str(units)),
            segment("DTM", "472", d8(line.date_of_service)),
            *cas_segments(line_remittance.adjustments),
            segment("REF", "6R", control),
            segment("AMT", "B6", amount(line_remittance.allowed)),
            *(segment("LQ", "HE", code) for code in line_remittance.rarc),
        ]
    return segments


def cas_segments(adjustments: Iterable[Adjustment]) -> list[str]:
    by_group: dict[str, list[Adjustment]] = {}
    for adjustment in adjustments:
        by_group.setdefault(adjustment.group, []).append(adjustment)
    segments = []
    for group, items in by_group.items():
        for start in range(0, len(items), CAS_TRIPLETS):
            triplets: list[str | None] = []
            for item in items[start:start + CAS_TRIPLETS]:
                triplets += [item.carc, amount(item.amount), None]
            segments.append(segment("CAS", group, *triplets))
    return segments


# --- reading --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReadAdjustment:
    group: str
    carc: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class ServicePayment:
    """One SVC loop as the payer sent it."""

    position: int  # the SVC segment's number in the interchange
    procedure_code: str
    modifiers: tuple[str, ...]
    billed: Decimal
    paid: Decimal
    line_item_control_number: str | None
    allowed: Decimal | None
    adjustments: tuple[ReadAdjustment, ...]
    remark_codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ClaimPayment:
    """One CLP loop as the payer sent it."""

    position: int  # the CLP segment's number in the interchange
    patient_control_number: str
    status_code: str
    billed: Decimal
    paid: Decimal
    patient_responsibility: Decimal
    payer_claim_control_number: str
    adjustments: tuple[ReadAdjustment, ...]
    remark_codes: tuple[str, ...]
    services: tuple[ServicePayment, ...]
    # NM1*TT's id: the payer the claim was forwarded to (CLP02 19, 20 or 21).
    crossover_carrier_id: str | None = None

    @property
    def is_reversal(self) -> bool:
        return self.status_code == REVERSAL

    @property
    def forwarded(self) -> bool:
        return self.status_code in PROCESSED_AND_FORWARDED.values()


@dataclass(frozen=True, slots=True)
class ReadProviderAdjustment:
    position: int
    provider_id: str
    reason: str
    reference: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class PaymentAdvice:
    """One 835 transaction set."""

    position: int  # the BPR segment's number
    control_number: str
    handling_code: str
    total: Decimal
    payment_method: str
    paid_on: date | None
    trace_number: str
    payer_company_id: str
    payer_name: str
    # REF*2U of the payer loop: the payer's id as billing knows it (coverages' payer_id).
    payer_id: str | None
    payee_id: str
    payee_name: str
    claims: tuple[ClaimPayment, ...]
    provider_adjustments: tuple[ReadProviderAdjustment, ...]


@dataclass(frozen=True, slots=True)
class RemittanceFile:
    interchange_control_number: str
    sender_id: str
    advices: tuple[PaymentAdvice, ...]


def read_835(text: str) -> RemittanceFile:
    document = read_interchange(text)
    advices = []
    for group, transaction in document.transactions():
        if group.functional_id != FUNCTIONAL_ID or transaction.id != "835":
            raise X12ReadError(
                f"expected an 835 remittance, found transaction set {transaction.id}")
        advices.append(_read_advice(transaction))
    return RemittanceFile(document.control_number, document.sender_id.strip(), tuple(advices))


@dataclass
class _ServiceDraft:
    svc: Segment
    control_number: str | None = None
    allowed: Decimal | None = None
    adjustments: list[ReadAdjustment] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)

    def done(self) -> ServicePayment:
        service = self.svc.components(1)
        return ServicePayment(
            position=self.svc.position,
            procedure_code=service[1] if len(service) > 1 else "",
            modifiers=tuple(m for m in service[2:6] if m),
            billed=_amount(self.svc, 2),
            paid=_amount(self.svc, 3),
            line_item_control_number=self.control_number,
            allowed=self.allowed,
            adjustments=tuple(self.adjustments),
            remark_codes=tuple(self.remarks),
        )


@dataclass
class _ClaimDraft:
    clp: Segment
    adjustments: list[ReadAdjustment] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    services: list[_ServiceDraft] = field(default_factory=list)
    crossover_carrier_id: str | None = None

    def done(self) -> ClaimPayment:
        clp = self.clp
        return ClaimPayment(
            position=clp.position,
            patient_control_number=clp.element(1),
            status_code=clp.element(2),
            billed=_amount(clp, 3),
            paid=_amount(clp, 4),
            patient_responsibility=_amount(clp, 5) if clp.element(5) else ZERO,
            payer_claim_control_number=clp.element(7),
            adjustments=tuple(self.adjustments),
            remark_codes=tuple(self.remarks),
            services=tuple(service.done() for service in self.services),
            crossover_carrier_id=self.crossover_carrier_id,
        )


def _read_advice(transaction: TransactionSet) -> PaymentAdvice:
    segments = transaction.segments
    if not segments or segments[0].id != "BPR":
        raise X12ReadError("an 835 starts with BPR", segments[0].position if segments else None)
    bpr = segments[0]
    trace = next((s for s in segments if s.id == "TRN"), None)
    if trace is None:
        raise X12ReadError("the 835 has no TRN reassociation trace number", bpr.position)
    payer_name = payee_id = payee_name = ""
    payer_id: str | None = None
    in_payer_loop = False
    claims: list[_ClaimDraft] = []
    adjustments: list[ReadProviderAdjustment] = []
    for seg in segments[1:]:
        claim = claims[-1] if claims else None
        service = claim.services[-1] if claim and claim.services else None
        if seg.id == "N1" and seg.element(1) == "PR":
            payer_name = seg.element(2)
            in_payer_loop = True
        elif seg.id == "REF" and in_payer_loop and seg.element(1) == "2U":
            payer_id = seg.element(2) or None
        elif seg.id == "N1" and seg.element(1) == "PE":
            in_payer_loop = False
            payee_name, payee_id = seg.element(2), seg.element(4)
        elif seg.id == "CLP":
            claims.append(_ClaimDraft(seg))
        elif seg.id == "SVC" and claim is not None:
            claim.services.append(_ServiceDraft(seg))
        elif seg.id == "CAS" and claim is not None:
            (service.adjustments if service else claim.adjustments).extend(read_cas(seg))
        elif seg.id == "NM1" and claim is not None and service is None and seg.element(1) == "TT":
            claim.crossover_carrier_id = seg.element(9) or None
        elif seg.id == "MOA" and claim is not None:
            claim.remarks += [code for n in range(3, 8) if (code := seg.element(n))]
        elif seg.id == "REF" and service is not None and seg.element(1) == "6R":
            service.control_number = seg.element(2)
        elif seg.id == "AMT" and service is not None and seg.element(1) == "B6":
            service.allowed = _amount(seg, 2)
        elif seg.id == "LQ" and service is not None and seg.element(1) == "HE":
            service.remarks.append(seg.element(2))
        elif seg.id == "PLB":
            adjustments += _plb(seg)
    return PaymentAdvice(
        position=bpr.position,
        control_number=transaction.control_number,
        handling_code=bpr.element(1),
        total=_amount(bpr, 2),
        payment_method=bpr.element(4),
        paid_on=read_d8(bpr.element(16)) if bpr.element(16) else None,
        trace_number=trace.element(2),
        payer_company_id=trace.element(3),
        payer_name=payer_name,
        payer_id=payer_id,
        payee_id=payee_id,
        payee_name=payee_name,
        claims=tuple(claim.done() for claim in claims),
        provider_adjustments=tuple(adjustments),
    )


def read_cas(seg: Segment) -> list[ReadAdjustment]:
    group = seg.element(1)
    adjustments = []
    for start in range(2, 2 + 3 * CAS_TRIPLETS, 3):
        if seg.element(start) or seg.element(start + 1):
            adjustments.append(ReadAdjustment(group, seg.element(start), _amount(seg, start + 1)))
    return adjustments


def _plb(seg: Segment) -> list[ReadProviderAdjustment]:
    adjustments = []
    for start in range(3, 3 + 2 * PLB_PAIRS, 2):
        if seg.element(start):
            adjustments.append(ReadProviderAdjustment(
                position=seg.position,
                provider_id=seg.element(1),
                reason=seg.component(start, 1),
                reference=seg.component(start, 2),
                amount=_amount(seg, start + 1),
            ))
    return adjustments


def _amount(seg: Segment, number: int) -> Decimal:
    try:
        return read_amount(seg.element(number))
    except X12ReadError as exc:
        raise X12ReadError(f"{seg.id}{number:02d}: {exc.reason}", seg.position) from exc
