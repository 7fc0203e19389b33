"""270/271 (005010X279A1): the eligibility inquiry billing writes and the payer's answer. Pure.

A 270 names the payer (2100A), the provider asking (2100B) and the subscriber (2100C: member
id, group, birth date and sex, the date of service), with one EQ per service type asked about.
The 271 echoes those levels and answers in 2100C/2110C: AAA when the request cannot be
answered (72 malformed member id, 75 member not found, 79 the payer id is not one that answers
inquiries), else EB segments: 1 active coverage (or 6 inactive, with the plan's end date,
DTP*347), C the deductible and G the out-of-pocket maximum, each for the calendar year (time
period 23) and what remains of it (29), B the copay per visit (27), A the coinsurance (EB08,
a fraction: 0.2 is 20%).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from billing_service.payers.adapter import Person
from billing_service.x12.syntax import (
    REPETITION,
    Envelope,
    Segment,
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

VERSION = "005010X279A1"
INQUIRY_FUNCTIONAL_ID = "HS"
ANSWER_FUNCTIONAL_ID = "HB"
HUNDRED = Decimal(100)
# AAA03 reject reasons the payer answers, and what each tells the person who asked.
INVALID_MEMBER_ID = "72"
MEMBER_NOT_FOUND = "75"
INVALID_PAYER = "79"
REJECT_REASONS = {
    INVALID_MEMBER_ID: "The member id is not in the payer's format; check the insurance card.",
    MEMBER_NOT_FOUND: "The payer has no member with this id; check the insurance card.",
    INVALID_PAYER: "The payer does not answer eligibility inquiries under this payer id "
                   "(it is not known or no longer active); ask the patient for their current "
                   "insurance.",
}
# EB04 insurance type of each plan kind the payer has.
INSURANCE_TYPES = {"ppo": "PR", "hmo": "HM", "medicare": "MB", "supplement": "SP"}
# EB06 time periods.
CALENDAR_YEAR = "23"
REMAINING = "29"
VISIT = "27"

EligibilityStatus = Literal["active", "inactive", "error"]


@dataclass(frozen=True, slots=True)
class EligibilityInquiry:
    trace_number: str  # TRN02: the answer's TRN echoes it
    payer_id: str
    payer_name: str
    provider_npi: str
    provider_name: str
    # TRN03 after its "1" (an EIN) or "9" (another identifier): nine characters.
    provider_tax_id: str
    member_id: str
    group_number: str | None
    subscriber: Person
    date_of_service: date
    service_type_codes: tuple[str, ...]
    # A provider who is a person: provider_name is the last name, this the first.
    provider_first_name: str | None = None


@dataclass(frozen=True, slots=True)
class Amounts:
    amount: Decimal
    remaining: Decimal


@dataclass(frozen=True, slots=True)
class EligibilityAnswer:
    trace_number: str
    status: EligibilityStatus
    reject_reasons: tuple[str, ...] = ()  # AAA03 codes, when status is "error"
    plan_code: str | None = None
    plan_name: str | None = None
    insurance_type: str | None = None
    plan_begin: date | None = None
    plan_end: date | None = None
    deductible: Amounts | None = None
    out_of_pocket: Amounts | None = None
    copay: Decimal | None = None
    coinsurance_percent: Decimal | None = None


# --- the 270 ----------------------------------------------------------------------------


def write_270(inquiry: EligibilityInquiry, envelope: Envelope) -> str:
    created = envelope.created_at
    person = inquiry.subscriber
    body = [
        segment("BHT", "0022", "13", inquiry.trace_number, d8(created.date()),
                created.strftime("%H%M")),
        *_source_and_receiver(inquiry),
        segment("HL", "3", "2", "22", "0"),
        segment("TRN", "1", inquiry.trace_number, _originator(inquiry)),
        _subscriber_name(inquiry),
    ]
    if inquiry.group_number:
        body.append(segment("REF", "6P", clean(inquiry.group_number, 50)))
    if person.birth_date is not None:
        body.append(segment("DMG", "D8", d8(person.birth_date), person.sex))
    body.append(segment("DTP", "291", "D8", d8(inquiry.date_of_service)))
    body += [segment("EQ", code) for code in inquiry.service_type_codes]
    return interchange(envelope, "270", [body])


def read_270(text: str) -> EligibilityInquiry:
    """The one inquiry of a 270 interchange."""
    transaction = _only_transaction(text, INQUIRY_FUNCTIONAL_ID, "270")
    values: dict[str, str] = {}
    codes: list[str] = []
    birth_date: date | None = None
    sex = "U"
    level = ""
    for seg in transaction:
        if seg.id == "HL":
            level = seg.element(3)
        elif seg.id == "NM1" and seg.element(1) == "PR":
            values["payer_name"], values["payer_id"] = seg.element(3), seg.element(9)
        elif seg.id == "NM1" and seg.element(1) == "1P":
            values["provider_name"], values["provider_npi"] = seg.element(3), seg.element(9)
            values["provider_first"] = seg.element(4)
        elif seg.id == "TRN" and level == "22":
            values["trace"], values["company"] = seg.element(2), seg.element(3)
        elif seg.id == "NM1" and seg.element(1) == "IL":
            values["last"], values["first"] = seg.element(3), seg.element(4)
            values["member_id"] = seg.element(9)
        elif seg.id == "REF" and seg.element(1) == "6P":
            values["group"] = seg.element(2)
        elif seg.id == "DMG":
            birth_date, sex = read_d8(seg.element(2)), seg.element(3) or "U"
        elif seg.id == "DTP" and seg.element(1) == "291":
            values["date"] = seg.element(3)
        elif seg.id == "EQ":
            codes.extend(seg.element(1).split(REPETITION))
    for required, what in (("payer_id", "payer (NM1*PR)"), ("member_id", "subscriber (NM1*IL)"),
                           ("trace", "trace number (TRN)"), ("date", "date of service (DTP*291)")):
        if not values.get(required):
            raise X12ReadError(f"the 270 has no {what}")
    if not codes:
        raise X12ReadError("the 270 asks about no service type (EQ)")
    return EligibilityInquiry(
        trace_number=values["trace"],
        payer_id=values["payer_id"],
        payer_name=values.get("payer_name", ""),
        provider_npi=values.get("provider_npi", ""),
        provider_name=values.get("provider_name", ""),
        provider_tax_id=values.get("company", "")[1:] if values.get("company", "")[:1] == "1"
        else "",
        member_id=values["member_id"],
        group_number=values.get("group") or None,
        subscriber=Person(values.get("first", ""), values.get("last", ""), birth_date, sex),
        date_of_service=read_d8(values["date"]),
        service_type_codes=tuple(codes),
        provider_first_name=values.get("provider_first") or None,
    )


# --- the 271 ----------------------------------------------------------------------------


def write_271(inquiry: EligibilityInquiry, answer: EligibilityAnswer, envelope: Envelope) -> str:
    created = envelope.created_at
    body = [
        segment("BHT", "0022", "11", inquiry.trace_number, d8(created.date()),
                created.strftime("%H%M")),
        segment("HL", "1", None, "20", "1"),
        segment("NM1", "PR", "2", clean(inquiry.payer_name or inquiry.payer_id, 60), None,
                None, None, None, "PI", clean(inquiry.payer_id, 80)),
    ]
    payer_refused = INVALID_PAYER in answer.reject_reasons
    if payer_refused:
        body.append(segment("AAA", "N", None, INVALID_PAYER, "N"))
    body += [
        segment("HL", "2", "1", "21", "1"),
        _provider_name(inquiry),
        segment("HL", "3", "2", "22", "0"),
        segment("TRN", "2", inquiry.trace_number, _originator(inquiry)),
        _subscriber_name(inquiry),
    ]
    if answer.plan_code:
        body.append(segment("REF", "18", clean(answer.plan_code, 50)))
    body += [segment("AAA", "N", None, code, "C")
             for code in answer.reject_reasons if code != INVALID_PAYER]
    person = inquiry.subscriber
    if answer.status != "error" and person.birth_date is not None:
        body.append(segment("DMG", "D8", d8(person.birth_date), person.sex))
    if answer.plan_begin is not None:
        body.append(segment("DTP", "346", "D8", d8(answer.plan_begin)))
    if answer.plan_end is not None:
        body.append(segment("DTP", "347", "D8", d8(answer.plan_end)))
    if answer.status != "error":
        body += _benefits(answer, REPETITION.join(inquiry.service_type_codes))
    return interchange(envelope, "271", [body])


def _benefits(answer: EligibilityAnswer, service_types: str) -> list[str]:
    if answer.status == "inactive":
        return [segment("EB", "6", "IND", service_types, answer.insurance_type,
                        clean(answer.plan_name or "", 50))]
    benefits = [segment("EB", "1", "IND", service_types, answer.insurance_type,
                        clean(answer.plan_name or "", 50))]
    for code, amounts in (("C", answer.deductible), ("G", answer.out_of_pocket)):
        if amounts is not None:
            benefits += [
                segment("EB", code, "IND", service_types, None, None, CALENDAR_YEAR,
                        amount(amounts.amount)),
                segment("EB", code, "IND", service_types, None, None, REMAINING,
                        amount(amounts.remaining)),
            ]
    if answer.copay is not None:
        benefits.append(segment("EB", "B", "IND", service_types, None, None, VISIT,
                                amount(answer.copay)))
    if answer.coinsurance_percent is not None:
        benefits.append(segment("EB", "A", "IND", service_types, None, None, None, None,
                                amount(answer.coinsurance_percent / HUNDRED)))
    return benefits


@dataclass
class _Reading:
    trace_number: str = ""
    status: EligibilityStatus | None = None
    reasons: list[str] = field(default_factory=list)
    plan_code: str | None = None
    plan_name: str | None = None
    insurance_type: str | None = None
    dates: dict[str, date] = field(default_factory=dict)
    amounts: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    copay: Decimal | None = None
    coinsurance: Decimal | None = None

    def take_benefit(self, seg: Segment) -> None:
        code = seg.element(1)
        if code in ("1", "6"):
            if self.status is None:
                self.status = "active" if code == "1" else "inactive"
                self.insurance_type = seg.element(4) or None
                self.plan_name = seg.element(5) or None
        elif code in ("C", "G") and seg.element(7):
            self.amounts.setdefault((code, seg.element(6)), read_amount(seg.element(7)))
        elif code == "B" and seg.element(7) and self.copay is None:
            self.copay = read_amount(seg.element(7))
        elif code == "A" and seg.element(8) and self.coinsurance is None:
            self.coinsurance = read_amount(seg.element(8)) * HUNDRED

    def pair(self, code: str) -> Amounts | None:
        total = self.amounts.get((code, CALENDAR_YEAR))
        remaining = self.amounts.get((code, REMAINING))
        if total is None or remaining is None:
            return None
        return Amounts(total, remaining)


def read_271(text: str) -> EligibilityAnswer:
    """The answer of a 271 interchange: an error when any AAA refuses the request."""
    reading = _Reading()
    for seg in _only_transaction(text, ANSWER_FUNCTIONAL_ID, "271"):
        if seg.id == "TRN" and seg.element(1) == "2":
            reading.trace_number = seg.element(2)
        elif seg.id == "AAA" and seg.element(3):
            reading.reasons.append(seg.element(3))
        elif seg.id == "REF" and seg.element(1) == "18":
            reading.plan_code = seg.element(2)
        elif seg.id == "DTP" and seg.element(1) in ("346", "347"):
            reading.dates[seg.element(1)] = read_d8(seg.element(3))
        elif seg.id == "EB":
            reading.take_benefit(seg)
    if reading.reasons:
        return EligibilityAnswer(reading.trace_number, "error", tuple(reading.reasons))
    if reading.status is None:
        raise X12ReadError("the 271 says neither active nor inactive coverage (EB01 1 or 6)")
    return EligibilityAnswer(
        trace_number=reading.trace_number,
        status=reading.status,
        plan_code=reading.plan_code,
        plan_name=reading.plan_name,
        insurance_type=reading.insurance_type,
        plan_begin=reading.dates.get("346"),
        plan_end=reading.dates.get("347"),
        deductible=reading.pair("C"),
        out_of_pocket=reading.pair("G"),
        copay=reading.copay,
        coinsurance_percent=None if reading.coinsurance is None
        else reading.coinsurance.quantize(Decimal("0.01")),
    )


# --- shared ---------------------------------------------------------------------------


def _source_and_receiver(inquiry: EligibilityInquiry) -> list[str]:
    return [
        segment("HL", "1", None, "20", "1"),
        segment("NM1", "PR", "2", clean(inquiry.payer_name or inquiry.payer_id, 60), None,
                None, None, None, "PI", clean(inquiry.payer_id, 80)),
        segment("HL", "2", "1", "21", "1"),
        _provider_name(inquiry),
    ]


def _provider_name(inquiry: EligibilityInquiry) -> str:
    if inquiry.provider_first_name:
        return segment("NM1", "1P", "1", clean(inquiry.provider_name, 60) or "PROVIDER",
                       clean(inquiry.provider_first_name, 35), None, None, None, "XX",
                       inquiry.provider_npi)
    return segment("NM1", "1P", "2", clean(inquiry.provider_name, 60) or "PROVIDER", None, None,
                   None, None, "XX", inquiry.provider_npi)


def _originator(inquiry: EligibilityInquiry) -> str:
    """TRN03: "1" and the provider's EIN, or "9" and nine characters of its NPI."""
    if len(inquiry.provider_tax_id) == 9 and inquiry.provider_tax_id.isdigit():
        return f"1{inquiry.provider_tax_id}"
    return f"9{inquiry.provider_npi[-9:]}"


def _subscriber_name(inquiry: EligibilityInquiry) -> str:
    person = inquiry.subscriber
    return segment("NM1", "IL", "1", clean(person.last_name, 60), clean(person.first_name, 35),
                   None, None, None, "MI", clean(inquiry.member_id, 80))


def _only_transaction(text: str, functional_id: str, transaction_id: str) -> Sequence[Segment]:
    document = read_interchange(text)
    found = list(document.transactions())
    if len(found) != 1:
        raise X12ReadError(f"expected one {transaction_id} transaction set, found {len(found)}")
    group, transaction = found[0]
    if group.functional_id != functional_id or transaction.id != transaction_id:
        raise X12ReadError(
            f"expected a {transaction_id}, found transaction set {transaction.id} in a "
            f"{group.functional_id} group")
    return transaction.segments
