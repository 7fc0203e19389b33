"""276/277 (005010X212): the claim status inquiry billing writes and the payer's answer. Pure.

Both name the payer (2100A), the submitter (2100B), the billing provider (2100C) and the
subscriber (2100D); the claim is found by its patient control number (REF*EJ) and, once the
payer gave one, its payer claim control number (REF*1K). The 277 answers with one STC: the
category (A1 received, P1 pending, F1 finalized and paid, F2 finalized and denied, A3
returned as unprocessable, A4 not found), the status code, the charge and, once finalized,
the payment and the date the claim was adjudicated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from billing_service.payers.adapter import Person
from billing_service.x12.syntax import (
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
from rcm_shared.money import to_money

VERSION = "005010X212"
INQUIRY_FUNCTIONAL_ID = "HR"
ANSWER_FUNCTIONAL_ID = "HN"
# Health care claim status categories (code source 507) and what each means to a biller.
CATEGORIES = {
    "A1": "received by the payer",
    "A2": "accepted into the payer's adjudication system",
    "A3": "returned as unprocessable",
    "A4": "not found at the payer",
    "A6": "rejected for missing information",
    "A7": "rejected for invalid information",
    "P1": "pending: in process at the payer",
    "F1": "finalized: paid",
    "F2": "finalized: denied",
}
# Health care claim status codes (code source 508) the mock payer answers with.
STATUS_CODES = {
    "19": "the entity acknowledges receipt of the claim",
    "20": "accepted for processing",
    "35": "claim not found",
    "65": "claim has been paid",
    "3": "claim has been adjudicated and is awaiting payment cycle",
    "1": "for more detailed information, see the remittance advice",
}


@dataclass(frozen=True, slots=True)
class StatusInquiry:
    trace_number: str
    payer_id: str
    payer_name: str
    submitter_id: str
    submitter_name: str
    provider_npi: str
    provider_name: str
    member_id: str
    subscriber: Person
    patient_control_number: str
    payer_claim_control_number: str | None
    total_charge: Decimal
    service_from: date
    service_to: date


@dataclass(frozen=True, slots=True)
class ClaimStatusAnswer:
    trace_number: str
    category: str  # STC01-1
    status_code: str  # STC01-2
    status_date: date  # STC02
    total_charge: Decimal | None = None  # STC04
    paid: Decimal | None = None  # STC05, once finalized
    adjudicated_on: date | None = None  # STC06
    payer_claim_control_number: str | None = None
    patient_control_number: str | None = None


def write_276(inquiry: StatusInquiry, envelope: Envelope) -> str:
    created = envelope.created_at
    person = inquiry.subscriber
    body = [
        segment("BHT", "0010", "13", inquiry.trace_number, d8(created.date()),
                created.strftime("%H%M")),
        *_parties(inquiry),
    ]
    if person.birth_date is not None:
        body.append(segment("DMG", "D8", d8(person.birth_date), person.sex))
    body += [
        _subscriber_name(inquiry),
        segment("TRN", "1", inquiry.trace_number),
    ]
    if inquiry.payer_claim_control_number:
        body.append(segment("REF", "1K", clean(inquiry.payer_claim_control_number, 50)))
    body += [
        segment("REF", "EJ", inquiry.patient_control_number),
        segment("AMT", "T3", amount(inquiry.total_charge)),
        _service_dates(inquiry),
    ]
    return interchange(envelope, "276", [body])


def read_276(text: str) -> StatusInquiry:
    values: dict[str, str] = {}
    birth_date: date | None = None
    sex = "U"
    service: tuple[date, date] | None = None
    for seg in _only_transaction(text, INQUIRY_FUNCTIONAL_ID, "276"):
        if seg.id == "NM1" and seg.element(1) in ("PR", "41", "1P"):
            values[f"{seg.element(1)}_name"] = seg.element(3)
            values[f"{seg.element(1)}_id"] = seg.element(9)
        elif seg.id == "NM1" and seg.element(1) == "IL":
            values["last"], values["first"] = seg.element(3), seg.element(4)
            values["member_id"] = seg.element(9)
        elif seg.id == "DMG":
            birth_date, sex = read_d8(seg.element(2)), seg.element(3) or "U"
        elif seg.id == "TRN":
            values["trace"] = seg.element(2)
        elif seg.id == "REF":
            values[f"ref_{seg.element(1)}"] = seg.element(2)
        elif seg.id == "AMT" and seg.element(1) == "T3":
            values["charge"] = seg.element(2)
        elif seg.id == "DTP" and seg.element(1) == "472":
            service = _read_dates(seg)
    for required, what in (("PR_id", "payer (NM1*PR)"), ("member_id", "subscriber (NM1*IL)"),
                           ("trace", "trace number (TRN)"),
                           ("ref_EJ", "patient control number (REF*EJ)"),
                           ("charge", "claim charge (AMT*T3)")):
        if not values.get(required):
            raise X12ReadError(f"the 276 has no {what}")
    if service is None:
        raise X12ReadError("the 276 has no date of service (DTP*472)")
    return StatusInquiry(
        trace_number=values["trace"],
        payer_id=values["PR_id"],
        payer_name=values.get("PR_name", ""),
        submitter_id=values.get("41_id", ""),
        submitter_name=values.get("41_name", ""),
        provider_npi=values.get("1P_id", ""),
        provider_name=values.get("1P_name", ""),
        member_id=values["member_id"],
        subscriber=Person(values.get("first", ""), values.get("last", ""), birth_date, sex),
        patient_control_number=values["ref_EJ"],
        payer_claim_control_number=values.get("ref_1K") or None,
        total_charge=to_money(read_amount(values["charge"])),
        service_from=service[0],
        service_to=service[1],
    )


def write_277(inquiry: StatusInquiry, answer: ClaimStatusAnswer, envelope: Envelope) -> str:
    created = envelope.created_at
    body = [
        segment("BHT", "0010", "08", inquiry.trace_number, d8(created.date()),
                created.strftime("%H%M"), "DG"),
        *_parties(inquiry),
        _subscriber_name(inquiry),
        segment("TRN", "2", inquiry.trace_number),
        segment(
            "STC", (answer.category, answer.status_code), d8(answer.status_date), None,
            amount(answer.total_charge if answer.total_charge is not None
                   else inquiry.total_charge),
            None if answer.paid is None else amount(answer.paid),
            None if answer.adjudicated_on is None else d8(answer.adjudicated_on),
        ),
    ]
    if answer.payer_claim_control_number:
        body.append(segment("REF", "1K", clean(answer.payer_claim_control_number, 50)))
    body += [
        segment("REF", "EJ", inquiry.patient_control_number),
        _service_dates(inquiry),
    ]
    return interchange(envelope, "277", [body])


def read_277(text: str) -> ClaimStatusAnswer:
    """The claim status of a 277 answering one 276."""
    trace = ""
    stc: Segment | None = None
    references: dict[str, str] = {}
    for seg in _only_transaction(text, ANSWER_FUNCTIONAL_ID, "277"):
        if seg.id == "TRN" and seg.element(1) == "2":
            trace = seg.element(2)
        elif seg.id == "STC" and stc is None:
            stc = seg
        elif seg.id == "REF":
            references[seg.element(1)] = seg.element(2)
    if stc is None or not stc.component(1, 1) or not stc.component(1, 2):
        raise X12ReadError("the 277 gives no claim status (STC01)")
    return ClaimStatusAnswer(
        trace_number=trace,
        category=stc.component(1, 1),
        status_code=stc.component(1, 2),
        status_date=read_d8(stc.element(2)),
        total_charge=_money(stc.element(4)),
        paid=_money(stc.element(5)),
        adjudicated_on=read_d8(stc.element(6)) if stc.element(6) else None,
        payer_claim_control_number=references.get("1K"),
        patient_control_number=references.get("EJ"),
    )


def _money(text: str) -> Decimal | None:
    return to_money(read_amount(text)) if text else None


def _parties(inquiry: StatusInquiry) -> list[str]:
    return [
        segment("HL", "1", None, "20", "1"),
        segment("NM1", "PR", "2", clean(inquiry.payer_name or inquiry.payer_id, 60), None,
                None, None, None, "PI", clean(inquiry.payer_id, 80)),
        segment("HL", "2", "1", "21", "1"),
        segment("NM1", "41", "2", clean(inquiry.submitter_name, 60) or "SUBMITTER", None, None,
                None, None, "46", clean(inquiry.submitter_id, 80)),
        segment("HL", "3", "2", "19", "1"),
        segment("NM1", "1P", "2", clean(inquiry.provider_name, 60) or "PROVIDER", None, None,
                None, None, "XX", inquiry.provider_npi),
        segment("HL", "4", "3", "22", "0"),
    ]


def _subscriber_name(inquiry: StatusInquiry) -> str:
    person = inquiry.subscriber
    return segment("NM1", "IL", "1", clean(person.last_name, 60), clean(person.first_name, 35),
                   None, None, None, "MI", clean(inquiry.member_id, 80))


def _service_dates(inquiry: StatusInquiry) -> str:
    if inquiry.service_from == inquiry.service_to:
        return segment("DTP", "472", "D8", d8(inquiry.service_from))
    return segment("DTP", "472", "RD8", f"{d8(inquiry.service_from)}-{d8(inquiry.service_to)}")


def _read_dates(seg: Segment) -> tuple[date, date]:
    if seg.element(2) == "RD8":
        first, _, last = seg.element(3).partition("-")
        return read_d8(first), read_d8(last)
    day = read_d8(seg.element(3))
    return day, day


def _only_transaction(text: str, functional_id: str, transaction_id: str) -> tuple[Segment, ...]:
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
