"""An 837P's coordination of benefits: what each payer before this one did with the claim.

Written per payer before (in order) after the claim's own loops: 2320 (its SBR, claim-level
CAS, AMT*D what it paid, AMT*EAF what the patient still owed after it, OI), 2330A (the
subscriber of that coverage) and 2330B (that payer); and per service line, after the line's
own segments, a 2430 per payer before (SVD what it paid on the line, CAS, DTP*573 when it
adjudicated, AMT*EAF). Balanced as the 005010X222A1 guide requires: a line's charge less its
2430 adjustments is its SVD02, and the claim's charge less the 2320 and 2430 adjustments is
the 2320 AMT*D.

A payer reading the file gets the same PriorPayerAdjudication tuples back (PriorPayersReader).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from billing_service.payers.adapter import (
    Adjustment,
    ClaimLineForPayer,
    Person,
    PriorLineAdjudication,
    PriorPayerAdjudication,
)
from billing_service.x12 import remit835
from billing_service.x12.remit835 import cas_segments
from billing_service.x12.syntax import Segment, amount, clean, d8, read_amount, read_d8, segment
from rcm_shared.money import ZERO

SELF_CODE = "18"
PATIENT_RELATIONSHIP_CODES = {"spouse": "01", "child": "19", "other": "G8"}
RELATIONSHIPS = {code: name for name, code in PATIENT_RELATIONSHIP_CODES.items()}
# AMT01: what the payer paid; what the patient was left to pay after it.
PAYER_PAID = "D"
REMAINING_PATIENT_LIABILITY = "EAF"
ADJUDICATION_DATE = "573"


def other_payer_loops(prior: PriorPayerAdjudication) -> list[str]:
    """Loops 2320, 2330A and 2330B of one payer before this one."""
    relationship = (SELF_CODE if prior.relationship == "self"
                    else PATIENT_RELATIONSHIP_CODES.get(prior.relationship, "G8"))
    return [
        segment("SBR", prior.payer_sequence, relationship, None, None, None, None, None,
                None, prior.claim_filing_indicator),
        *cas_segments(prior.claim_adjustments),
        segment("AMT", PAYER_PAID, amount(prior.paid)),
        segment("AMT", REMAINING_PATIENT_LIABILITY, amount(prior.patient_responsibility)),
        segment("OI", None, None, "Y", None, None, "Y"),
        segment("NM1", "IL", "1", clean(prior.subscriber.last_name, 60),
                clean(prior.subscriber.first_name, 35), None, None, None, "MI",
                clean(prior.member_id, 80)),
        segment("NM1", "PR", "2", clean(prior.payer_name, 60), None, None, None, None, "PI",
                clean(prior.payer_id, 80)),
    ]


def line_adjudications(
    line: ClaimLineForPayer, prior_payers: tuple[PriorPayerAdjudication, ...]
) -> list[str]:
    """A 2430 loop per payer before this one that adjudicated the line."""
    segments: list[str] = []
    for prior in prior_payers:
        adjudicated = next(
            (item for item in prior.lines if item.line_number == line.line_number), None
        )
        if adjudicated is None:
            continue
        still_owed = sum((a.amount for a in adjudicated.adjustments if a.group == "PR"), ZERO)
        segments += [
            segment("SVD", clean(prior.payer_id, 80), amount(adjudicated.paid),
                    ("HC", line.procedure_code, *line.modifiers), None, str(line.units)),
            *cas_segments(adjudicated.adjustments),
            segment("DTP", ADJUDICATION_DATE, "D8", d8(adjudicated.adjudicated_on)),
            segment("AMT", REMAINING_PATIENT_LIABILITY, amount(still_owed)),
        ]
    return segments


# --- reading --------------------------------------------------------------------------


@dataclass
class _PayerDraft:
    sequence: str
    relationship: str
    filing_indicator: str
    adjustments: list[Adjustment] = field(default_factory=list)
    paid: Decimal = ZERO
    patient_responsibility: Decimal = ZERO
    subscriber: Person = field(default_factory=lambda: Person("", "", None, "U"))
    member_id: str = ""
    payer_id: str = ""
    payer_name: str = ""
    lines: list[PriorLineAdjudication] = field(default_factory=list)


@dataclass
class _LineDraft:
    payer_id: str
    line_number: int
    procedure_code: str
    paid: Decimal
    adjustments: list[Adjustment] = field(default_factory=list)
    adjudicated_on: date | None = None


class PriorPayersReader:
    """Takes the segments of one claim loop (CLM onward) that belong to its payers before:
    `take` answers whether the segment was theirs."""

    def __init__(self) -> None:
        self.payers: list[_PayerDraft] = []
        self.in_other_payer = False
        self.line: _LineDraft | None = None
        self.line_number = 0

    def start_line(self, line_number: int) -> None:
        self._finish_line()
        self.in_other_payer = False
        self.line_number = line_number

    def take(self, seg: Segment) -> bool:
        if seg.id == "LX":  # a service line starts: the claim reader's, then start_line
            return False
        if self.line_number == 0:
            return self._claim_level(seg)
        return self._line_level(seg)

    def _claim_level(self, seg: Segment) -> bool:
        if seg.id == "SBR":
            relationship = seg.element(2)
            self.payers.append(_PayerDraft(
                sequence=seg.element(1),
                relationship="self" if relationship == SELF_CODE
                else RELATIONSHIPS.get(relationship, "other"),
                filing_indicator=seg.element(9),
            ))
            self.in_other_payer = True
            return True
        if not self.in_other_payer:
            return False
        payer = self.payers[-1]
        if seg.id == "CAS":
            payer.adjustments += read_cas(seg)
        elif seg.id == "AMT" and seg.element(1) == PAYER_PAID:
            payer.paid = read_amount(seg.element(2))
        elif seg.id == "AMT" and seg.element(1) == REMAINING_PATIENT_LIABILITY:
            payer.patient_responsibility = read_amount(seg.element(2))
        elif seg.id == "NM1" and seg.element(1) == "IL":
            payer.subscriber = Person(seg.element(4), seg.element(3), None, "U")
            payer.member_id = seg.element(9)
        elif seg.id == "NM1" and seg.element(1) == "PR":
            payer.payer_name, payer.payer_id = seg.element(3), seg.element(9)
        # OI, N3, N4, REF and DTP of loops 2320-2330 carry nothing the payer uses.
        return True

    def _line_level(self, seg: Segment) -> bool:
        if seg.id == "SVD":
            self._finish_line()
            service = seg.components(3)
            self.line = _LineDraft(seg.element(1), self.line_number,
                                   service[1] if len(service) > 1 else "",
                                   read_amount(seg.element(2)))
            return True
        if self.line is None:
            return False
        if seg.id == "CAS":
            self.line.adjustments += read_cas(seg)
        elif seg.id == "DTP" and seg.element(1) == ADJUDICATION_DATE:
            self.line.adjudicated_on = read_d8(seg.element(3))
        return True

    def _finish_line(self) -> None:
        line, self.line = self.line, None
        if line is None:
            return
        payer = next((p for p in self.payers if p.payer_id == line.payer_id), None)
        if payer is not None and line.adjudicated_on is not None:
            payer.lines.append(PriorLineAdjudication(
                line.line_number, line.procedure_code, line.paid, tuple(line.adjustments),
                line.adjudicated_on))

    def done(self) -> tuple[PriorPayerAdjudication, ...]:
        self._finish_line()
        return tuple(
            PriorPayerAdjudication(
                payer_id=payer.payer_id,
                payer_name=payer.payer_name,
                member_id=payer.member_id,
                subscriber=payer.subscriber,
                relationship=payer.relationship,
                payer_sequence="S" if payer.sequence == "S" else "P",
                claim_filing_indicator=payer.filing_indicator,
                paid=payer.paid,
                patient_responsibility=payer.patient_responsibility,
                claim_adjustments=tuple(payer.adjustments),
                lines=tuple(payer.lines),
            )
            for payer in self.payers
        )


def read_cas(seg: Segment) -> list[Adjustment]:
    return [Adjustment(a.group, a.carc, a.amount)  # type: ignore[arg-type]
            for a in remit835.read_cas(seg)]
