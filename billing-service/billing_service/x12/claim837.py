"""837P (005010X222A1): professional claims written by billing, read by the mock payer. Pure.

One transaction set carries every claim of the batch: a billing provider loop (2000A) per
billing NPI, a subscriber loop (2000B) per claim, a patient loop (2000C) when the patient is
not the subscriber, then the claim (2300), its rendering provider (2310B) and lines (2400).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal, cast

from billing_service.payers.adapter import (
    ClaimForPayer,
    ClaimLineForPayer,
    DrugCode,
    Person,
    PostalAddress,
    ProviderParty,
    ServiceFacility,
)
from billing_service.x12.claim_shape import dotted_icd
from billing_service.x12.cob837 import PriorPayersReader, line_adjudications, other_payer_loops
from billing_service.x12.config import X12Config
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

VERSION = "005010X222A1"
FUNCTIONAL_ID = "HC"
# SBR02 (subscriber is the patient) and PAT01 (the patient's relationship to the subscriber).
SELF_CODE = "18"
PATIENT_RELATIONSHIP_CODES = {"spouse": "01", "child": "19", "other": "G8"}
RELATIONSHIPS = {code: name for name, code in PATIENT_RELATIONSHIP_CODES.items()}
# SBR09 of a claim to a plan the payer directory does not list: commercial insurance.
COMMERCIAL = "CI"
FREQUENCY_CODES = ("1", "7", "8")

Frequency = Literal["1", "7", "8"]
# SBR01: the payer's place in the claim's order of payers.
PayerPlace = Literal["P", "S", "T"]
PAYER_PLACES = ("P", "S", "T")


def line_item_control_number(patient_control_number: str, line_number: int) -> str:
    """REF*6R of a service line: the payer returns it on the line's 835 SVC loop."""
    return f"{patient_control_number}-{line_number}"


def write_837p(
    claims: Sequence[ClaimForPayer],
    config: X12Config,
    *,
    control_number: int,
    created_at: datetime,
    payer_names: Mapping[str, str],
) -> str:
    """One interchange holding `claims`, under `control_number` (ISA13 = GS06 = BHT03)."""
    envelope = Envelope(
        sender_id=config.submitter_id, receiver_id=config.receiver_id,
        control_number=control_number, created_at=created_at,
        functional_id=FUNCTIONAL_ID, version=VERSION, usage=config.usage,
    )
    body = [
        segment("BHT", "0019", "00", str(control_number), d8(created_at.date()),
                created_at.strftime("%H%M"), "CH"),
        segment("NM1", "41", "2", clean(config.submitter_name, 60), None, None, None, None,
                "46", clean(config.submitter_id, 80)),
        segment("PER", "IC", clean(config.submitter_contact_name, 60), "TE",
                config.submitter_contact_phone),
        segment("NM1", "40", "2", clean(config.receiver_name, 60), None, None, None, None,
                "46", clean(config.receiver_id, 80)),
    ]
    hierarchy = _Hierarchy()
    for provider, provider_claims in _by_billing_provider(claims):
        body.append(hierarchy.open(None, "20", has_children=True))
        if provider.taxonomy:
            body.append(segment("PRV", "BI", "PXC", provider.taxonomy))
        body.append(_provider_name("85", provider))
        body += _address(provider.address)
        if provider.tax_id:
            body.append(segment("REF", "EI", provider.tax_id))
        parent = hierarchy.current
        for claim in provider_claims:
            body += _subscriber_and_claim(claim, payer_names, hierarchy, parent)
    return interchange(envelope, "837", [body])


class UnregisteredBillingProvider(ValueError):
    """A claim whose billing NPI has no registration: loop 2010AA cannot be written (the
    scrubber and claim_issues refuse such a claim before it gets here)."""


@dataclass
class _Hierarchy:
    """HL numbering: each level's id and its parent's."""

    current: int = 0

    def open(self, parent: int | None, level: str, *, has_children: bool) -> str:
        self.current += 1
        return segment("HL", str(self.current), str(parent) if parent else None, level,
                       "1" if has_children else "0")


def _by_billing_provider(
    claims: Sequence[ClaimForPayer],
) -> list[tuple[ProviderParty, list[ClaimForPayer]]]:
    grouped: dict[str, tuple[ProviderParty, list[ClaimForPayer]]] = {}
    for claim in claims:
        provider = claim.billing_provider
        if provider is None:
            raise UnregisteredBillingProvider(claim.billing_provider_npi)
        grouped.setdefault(claim.billing_provider_npi, (provider, []))[1].append(claim)
    return list(grouped.values())


def _provider_name(entity: str, provider: ProviderParty) -> str:
    if provider.is_person:
        return segment("NM1", entity, "1", clean(provider.last_name, 60),
                       clean(provider.first_name or "", 35) or None, None, None, None,
                       "XX", provider.npi)
    return segment("NM1", entity, "2", clean(provider.last_name, 60), None, None, None, None,
                   "XX", provider.npi)


def _address(address: PostalAddress | None) -> list[str]:
    """N3 and N4 of a loop; none when the address is not known."""
    if address is None:
        return []
    return [
        segment("N3", clean(address.line1, 55),
                clean(address.line2, 55) if address.line2 else None),
        segment("N4", clean(address.city, 30), address.state, address.postal_code),
    ]


def _person_name(entity: str, person: Person, *extra: str) -> str:
    return segment("NM1", entity, "1", clean(person.last_name, 60),
                   clean(person.first_name, 35), None, None, None, *extra)


def _demographics(person: Person) -> str:
    return segment("DMG", "D8", d8(person.birth_date) if person.birth_date else None, person.sex)


def _subscriber_and_claim(
    claim: ClaimForPayer,
    payer_names: Mapping[str, str],
    hierarchy: _Hierarchy,
    provider_level: int,
) -> list[str]:
    is_self = claim.relationship == "self"
    segments = [
        hierarchy.open(provider_level, "22", has_children=not is_self),
        segment("SBR", claim.payer_sequence, SELF_CODE if is_self else None,
                clean(claim.group_number, 50) if claim.group_number else None,
                None, None, None, None, None, claim.claim_filing_indicator),
        _person_name("IL", claim.subscriber, "MI", clean(claim.member_id, 80)),
    ]
    # 2010BA N3/N4: the subscriber's address; when the subscriber is the patient, the
    # patient's own (the guide requires it then).
    segments += _address(claim.patient_address if is_self else claim.subscriber_address)
    if is_self:
        segments.append(_demographics(claim.subscriber))
    payer_name = payer_names.get(claim.payer_id, claim.payer_id)
    segments.append(segment("NM1", "PR", "2", clean(payer_name, 60), None, None, None, None,
                            "PI", clean(claim.payer_id, 80)))
    if not is_self:
        segments += [
            hierarchy.open(hierarchy.current, "23", has_children=False),
            segment("PAT", PATIENT_RELATIONSHIP_CODES.get(claim.relationship, "G8")),
            _person_name("QC", claim.patient),
            # The patient's own address, never another party's (checks.claim_issues refuses
            # a dependent's claim without it).
            *_address(claim.patient_address),
            _demographics(claim.patient),
        ]
    return segments + _claim(claim)


def _claim(claim: ClaimForPayer) -> list[str]:
    segments = [
        segment("CLM", claim.patient_control_number, amount(claim.total_charge), None, None,
                (claim.place_of_service, "B", claim.frequency_code), "Y", "A", "Y", "Y"),
    ]
    # The guide's order of the 2300 REF segments: G1, F8, D9, EA.
    if claim.prior_authorization:
        segments.append(segment("REF", "G1", clean(claim.prior_authorization, 50)))
    if claim.frequency_code != "1" and claim.original_payer_claim_number:
        segments.append(segment("REF", "F8", clean(claim.original_payer_claim_number, 50)))
    if claim.submission_id:
        segments.append(segment("REF", "D9", claim.submission_id))
    if claim.patient_id:
        segments.append(segment("REF", "EA", clean(claim.patient_id, 50)))
    segments.append(segment("HI", *(
        ("ABK" if position == 0 else "ABF", code.replace(".", ""))
        for position, code in enumerate(claim.diagnoses)
    )))
    if claim.referring_provider is not None:
        segments.append(_provider_name("DN", claim.referring_provider))
    # The guide leaves 2310B out when the billing provider rendered the care itself.
    rendering = claim.rendering_provider
    if claim.rendering_provider_npi != claim.billing_provider_npi and rendering is not None:
        segments.append(_provider_name("82", rendering))
        if rendering.taxonomy:
            segments.append(segment("PRV", "PE", "PXC", rendering.taxonomy))
    facility = claim.service_facility
    if facility is not None:
        segments.append(segment("NM1", "77", "2", clean(facility.name, 60), None, None, None,
                                None, "XX" if facility.npi else None, facility.npi))
        segments += _address(facility.address)
    for prior in claim.prior_payers:
        segments += other_payer_loops(prior)
    for line in claim.lines:
        segments += _line(claim.patient_control_number, line)
        segments += line_adjudications(line, claim.prior_payers)
    return segments


def _line(patient_control_number: str, line: ClaimLineForPayer) -> list[str]:
    if line.date_of_service_to is not None and line.date_of_service_to != line.date_of_service:
        service_date = segment("DTP", "472", "RD8",
                               f"{d8(line.date_of_service)}-{d8(line.date_of_service_to)}")
    else:
        service_date = segment("DTP", "472", "D8", d8(line.date_of_service))
    segments = [
        segment("LX", str(line.line_number)),
        segment("SV1", ("HC", line.procedure_code, *line.modifiers), amount(line.charge), "UN",
                str(line.units), None, None,
                tuple(str(pointer) for pointer in line.diagnosis_pointers)),
        service_date,
        segment("REF", "6R", line_item_control_number(patient_control_number,
                                                      line.line_number)),
    ]
    if line.ndc is not None:
        # Loop 2410: the drug by its 11-digit NDC, and the units of it given.
        segments += [
            segment("LIN", None, "N4", line.ndc.code),
            segment("CTP", None, None, None, amount(line.ndc.quantity), line.ndc.unit),
        ]
    return segments


# --- reading --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReceivedClaim:
    """A claim as a payer reads it from an 837P, with what it needs to answer it."""

    claim: ClaimForPayer
    billing_provider_name: str
    line_item_control_numbers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReceivedBatch:
    interchange_control_number: str
    submitter_id: str  # ISA06
    submitter_name: str  # loop 1000A
    claims: tuple[ReceivedClaim, ...]


def read_837p(text: str) -> ReceivedBatch:
    """Every claim of an 837P interchange. A claim without REF*D9 gets
    "<ISA13>-<CLM01>" as its submission id."""
    document = read_interchange(text)
    claims: list[ReceivedClaim] = []
    submitter_name = ""
    for group, transaction in document.transactions():
        if group.functional_id != FUNCTIONAL_ID or transaction.id != "837":
            raise X12ReadError(f"expected an 837 claim, found transaction set {transaction.id}")
        submitter_name = submitter_name or next(
            (seg.element(3) for seg in transaction.segments
             if seg.id == "NM1" and seg.element(1) == "41"), "")
        claims += _Reader(transaction, document.control_number).read()
    return ReceivedBatch(document.control_number, document.sender_id, submitter_name,
                         tuple(claims))


@dataclass
class _Party:
    first_name: str = ""
    last_name: str = ""
    birth_date: date | None = None
    sex: str = "U"
    address: PostalAddress | None = None

    def person(self) -> Person:
        return Person(self.first_name, self.last_name, self.birth_date, self.sex)


@dataclass
class _Provider:
    npi: str = ""
    is_person: bool = False
    last_name: str = ""
    first_name: str = ""
    taxonomy: str | None = None
    tax_id: str | None = None
    address: PostalAddress | None = None

    def party(self) -> ProviderParty:
        return ProviderParty(self.npi, self.is_person, self.last_name, self.first_name or None,
                             self.taxonomy, self.tax_id, self.address)


@dataclass
class _Line:
    line_number: int
    procedure_code: str = ""
    modifiers: tuple[str, ...] = ()
    units: int = 0
    charge: str = "0"
    pointers: tuple[int, ...] = ()
    service_date: date | None = None
    service_date_to: date | None = None
    control_number: str = ""
    ndc: DrugCode | None = None


@dataclass
class _ClaimDraft:
    clm: Segment
    references: dict[str, str] = field(default_factory=dict)
    diagnoses: tuple[str, ...] = ()
    referring: _Provider | None = None
    rendering: _Provider | None = None
    facility: _Provider | None = None
    lines: list[_Line] = field(default_factory=list)


class _Reader:
    """Walks one 837 transaction set, keeping the loops a claim inherits from."""

    def __init__(self, transaction: TransactionSet, interchange_control_number: str) -> None:
        self.segments = transaction.segments
        self.interchange_control_number = interchange_control_number
        self.billing = _Provider()
        # The loop whose N3/N4 come next, and the N3 read before its N4.
        self.addressed: _Provider | _Party | None = None
        self.street: tuple[str, str | None] = ("", None)
        self.subscriber = _Party()
        self.patient: _Party | None = None
        self.member_id = ""
        self.group_number: str | None = None
        self.relationship = "self"
        self.claim_filing_indicator = ""
        self.payer_id = ""
        self.named: _Party | None = None
        self.payer_sequence = "P"
        self.draft: _ClaimDraft | None = None
        self.prior_payers = PriorPayersReader()
        self.claims: list[ReceivedClaim] = []

    def read(self) -> list[ReceivedClaim]:
        for seg in self.segments:
            self._take(seg)
        self._finish_claim()
        return self.claims

    def _take(self, seg: Segment) -> None:
        if self.draft is not None and self.prior_payers.take(seg):
            return
        handler = getattr(self, f"_{seg.id.lower()}", None)
        if handler is not None:
            handler(seg)

    def _hl(self, seg: Segment) -> None:
        self._finish_claim()
        level = seg.element(3)
        if level == "20":
            self.billing = _Provider()
        elif level == "22":
            self.subscriber, self.patient, self.relationship = _Party(), None, "self"
        elif level == "23":
            self.patient = _Party()

    def _sbr(self, seg: Segment) -> None:
        self.payer_sequence = seg.element(1)
        self.group_number = seg.element(3) or None
        self.claim_filing_indicator = seg.element(9)
        self.relationship = "self" if seg.element(2) == SELF_CODE else "other"

    def _pat(self, seg: Segment) -> None:
        self.relationship = RELATIONSHIPS.get(seg.element(1), "other")

    def _prv(self, seg: Segment) -> None:
        if seg.element(1) == "BI":
            self.billing.taxonomy = seg.element(3)
        elif seg.element(1) == "PE" and self.draft is not None and self.draft.rendering:
            self.draft.rendering.taxonomy = seg.element(3)

    def _n3(self, seg: Segment) -> None:
        self.street = (seg.element(1), seg.element(2) or None)

    def _n4(self, seg: Segment) -> None:
        if self.addressed is not None:
            self.addressed.address = PostalAddress(self.street[0], self.street[1],
                                                   seg.element(1), seg.element(2),
                                                   seg.element(3))

    def _nm1(self, seg: Segment) -> None:
        entity = seg.element(1)
        self.addressed = None
        if entity in ("85", "82", "DN", "77"):
            provider = _Provider(npi=seg.element(9), is_person=seg.element(2) == "1",
                                 last_name=seg.element(3), first_name=seg.element(4))
            if entity == "85":
                provider.taxonomy = self.billing.taxonomy
                self.billing = self.addressed = provider
            elif self.draft is not None and entity == "82":
                self.draft.rendering = provider
            elif self.draft is not None and entity == "DN":
                self.draft.referring = provider
            elif self.draft is not None:
                self.draft.facility = self.addressed = provider
        elif entity == "IL":
            self.subscriber.last_name, self.subscriber.first_name = seg.element(3), seg.element(4)
            self.member_id = seg.element(9)
            self.named = self.addressed = self.subscriber
        elif entity == "QC":
            self.patient = self.patient or _Party()
            self.patient.last_name, self.patient.first_name = seg.element(3), seg.element(4)
            self.named = self.addressed = self.patient
        elif entity == "PR":
            self.payer_id = seg.element(9)

    def _dmg(self, seg: Segment) -> None:
        if self.named is not None and seg.element(2):
            self.named.birth_date = read_d8(seg.element(2))
            self.named.sex = seg.element(3) or "U"

    def _clm(self, seg: Segment) -> None:
        self._finish_claim()
        self.draft = _ClaimDraft(seg)
        self.prior_payers = PriorPayersReader()

    def _ref(self, seg: Segment) -> None:
        if self.draft is None:
            if seg.element(1) == "EI":
                self.billing.tax_id = seg.element(2)
            return
        if seg.element(1) == "6R" and self.draft.lines:
            self.draft.lines[-1].control_number = seg.element(2)
        elif not self.draft.lines:
            self.draft.references[seg.element(1)] = seg.element(2)

    def _hi(self, seg: Segment) -> None:
        if self.draft is not None and seg.component(1, 1) == "ABK":
            self.draft.diagnoses = tuple(
                dotted_icd(seg.component(n, 2)) for n in range(1, len(seg.elements) + 1)
                if seg.component(n, 2)
            )

    def _lx(self, seg: Segment) -> None:
        if self.draft is not None:
            self.draft.lines.append(_Line(_integer(seg, 1)))
            self.prior_payers.start_line(_integer(seg, 1))

    def _sv1(self, seg: Segment) -> None:
        if self.draft is None or not self.draft.lines:
            raise X12ReadError("SV1 outside a service line", seg.position)
        line = self.draft.lines[-1]
        service = seg.components(1)
        line.procedure_code = service[1] if len(service) > 1 else ""
        line.modifiers = tuple(m for m in service[2:6] if m)
        line.charge = seg.element(2)
        line.units = _integer(seg, 4)
        line.pointers = tuple(int(p) for p in seg.components(7) if p.isdigit())

    def _dtp(self, seg: Segment) -> None:
        if self.draft is not None and self.draft.lines and seg.element(1) == "472":
            line = self.draft.lines[-1]
            first, _, last = seg.element(3).partition("-")
            line.service_date = read_d8(first)
            if seg.element(2) == "RD8":
                line.service_date_to = read_d8(last)

    def _lin(self, seg: Segment) -> None:
        if self.draft is not None and self.draft.lines and seg.element(2) == "N4":
            self.draft.lines[-1].ndc = DrugCode(seg.element(3), "", Decimal(0))

    def _ctp(self, seg: Segment) -> None:
        line = self.draft.lines[-1] if self.draft is not None and self.draft.lines else None
        if line is not None and line.ndc is not None:
            line.ndc = DrugCode(line.ndc.code, seg.component(5, 1), read_amount(seg.element(4)))

    def _finish_claim(self) -> None:
        draft, self.draft = self.draft, None
        if draft is None:
            return
        clm = draft.clm
        frequency = clm.component(5, 3)
        if frequency not in FREQUENCY_CODES:
            raise X12ReadError(f"claim frequency code {frequency!r} is not 1, 7 or 8",
                               clm.position)
        dates = [line.service_date for line in draft.lines if line.service_date is not None]
        if len(dates) != len(draft.lines) or not dates:
            raise X12ReadError("every service line needs its DTP*472 date", clm.position)
        subscriber = self.subscriber.person()
        patient = subscriber if self.patient is None else self.patient.person()
        pcn = clm.element(1)
        lines = tuple(
            ClaimLineForPayer(
                line_number=line.line_number,
                procedure_code=line.procedure_code,
                modifiers=line.modifiers,
                units=line.units,
                charge=read_amount(line.charge),
                diagnosis_pointers=line.pointers,
                date_of_service=cast(date, line.service_date),
                date_of_service_to=line.service_date_to,
                ndc=line.ndc,
            )
            for line in draft.lines
        )
        claim = ClaimForPayer(
            submission_id=draft.references.get(
                "D9", f"{self.interchange_control_number}-{pcn}"),
            patient_control_number=pcn,
            frequency_code=cast(Frequency, frequency),
            original_payer_claim_number=draft.references.get("F8"),
            payer_id=self.payer_id,
            plan_code=None,
            member_id=self.member_id,
            group_number=self.group_number,
            relationship=self.relationship,
            subscriber=subscriber,
            patient=patient,
            patient_id=draft.references.get("EA", ""),
            billing_provider_npi=self.billing.npi,
            rendering_provider_npi=(draft.rendering or self.billing).npi,
            place_of_service=clm.component(5, 1),
            date_of_service=min(dates),
            diagnoses=draft.diagnoses,
            lines=lines,
            total_charge=read_amount(clm.element(2)),
            claim_filing_indicator=self.claim_filing_indicator,
            subscriber_address=self.subscriber.address if self.patient is not None else None,
            patient_address=(self.subscriber if self.patient is None else self.patient).address,
            referring_provider=draft.referring.party() if draft.referring else None,
            service_facility=(
                ServiceFacility(draft.facility.last_name, draft.facility.npi or None,
                                draft.facility.address)
                if draft.facility is not None and draft.facility.address is not None else None),
            prior_authorization=draft.references.get("G1"),
            billing_provider=self.billing.party(),
            rendering_provider=(draft.rendering or self.billing).party(),
            payer_sequence=cast(PayerPlace, self.payer_sequence
                                if self.payer_sequence in PAYER_PLACES else "P"),
            prior_payers=self.prior_payers.done(),
        )
        self.claims.append(ReceivedClaim(
            claim=claim,
            billing_provider_name=self.billing.last_name,
            line_item_control_numbers=tuple(line.control_number for line in draft.lines),
        ))


def _integer(seg: Segment, number: int) -> int:
    text = seg.element(number)
    try:
        return int(read_amount(text)) if text else 0
    except X12ReadError as exc:
        raise X12ReadError(exc.reason, seg.position) from exc
