"""277CA (005010X214): the payer's claim acknowledgment, written by the mock payer and read by
billing. Pure.

Levels: the payer (2000A) acknowledging a batch received from the submitter (2000B), per
billing provider (2000C), per claim (2000D). A claim's 2200D carries its patient control
number (TRN02), one STC per status (A2:20 accepted; A3/A6/A7 rejections, the message in
STC12), the payer claim control number (REF*1K) and the submission id billing sent in the
837P (REF*D9).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from billing_service.payers.adapter import Acknowledgment, ClaimForPayer
from billing_service.x12.syntax import (
    Envelope,
    Segment,
    X12ReadError,
    amount,
    clean,
    d8,
    interchange,
    read_interchange,
    segment,
)
from rcm_shared.money import ZERO

VERSION = "005010X214"
FUNCTIONAL_ID = "HN"
ACCEPTED = ("A2", "20")
# A1:19: the entity acknowledges receipt of the claims, at batch and provider level.
RECEIVED = ("A1", "19")
# Categories that return a claim to the provider: unprocessable, not found, missing or
# invalid information, split.
REJECTED_CATEGORIES = frozenset({"A3", "A4", "A6", "A7", "A8"})


@dataclass(frozen=True, slots=True)
class AcknowledgedClaim:
    acknowledgment: Acknowledgment
    claim: ClaimForPayer  # as the payer read it from the 837P
    billing_provider_name: str


@dataclass(frozen=True, slots=True)
class Submitter:
    id: str
    name: str


def write_277ca(
    acknowledged: Sequence[AcknowledgedClaim],
    *,
    envelope: Envelope,
    submitter: Submitter,
    payer_names: Mapping[str, str],
    received_on: date,
) -> str:
    """One transaction set acknowledging `acknowledged`, a payer loop per payer id."""
    created = envelope.created_at
    body = [segment("BHT", "0085", "08", str(envelope.control_number), d8(created.date()),
                    created.strftime("%H%M"), "TH")]
    level = 0
    by_payer: dict[str, list[AcknowledgedClaim]] = {}
    for item in acknowledged:
        by_payer.setdefault(item.claim.payer_id, []).append(item)
    for payer_id, payer_items in by_payer.items():
        level += 1
        payer_level = level
        body += [
            segment("HL", str(payer_level), None, "20", "1"),
            segment("NM1", "PR", "2", clean(payer_names.get(payer_id, payer_id), 60),
                    None, None, None, None, "PI", clean(payer_id, 80)),
            segment("TRN", "1", f"{envelope.control_number}-{payer_level}"),
            segment("DTP", "050", "D8", d8(received_on)),
            segment("DTP", "009", "D8", d8(created.date())),
        ]
        level += 1
        receiver_level = level
        body += [
            segment("HL", str(receiver_level), str(payer_level), "21", "1"),
            segment("NM1", "41", "2", clean(submitter.name, 60), None, None, None, None,
                    "46", clean(submitter.id, 80)),
            segment("TRN", "2", str(envelope.control_number)),
            segment("STC", RECEIVED, d8(created.date()), "WQ", amount(_charges(payer_items))),
            *_totals(payer_items, ("90", "AA")),
        ]
        by_provider: dict[str, list[AcknowledgedClaim]] = {}
        for item in payer_items:
            by_provider.setdefault(item.claim.billing_provider_npi, []).append(item)
        for npi, provider_items in by_provider.items():
            level += 1
            provider_level = level
            body += [
                segment("HL", str(provider_level), str(receiver_level), "19", "1"),
                segment("NM1", "85", "2", clean(provider_items[0].billing_provider_name, 60)
                        or "PROVIDER", None, None, None, None, "XX", npi),
                segment("TRN", "1", "0"),
                segment("STC", RECEIVED, None, "WQ", amount(_charges(provider_items))),
                *_totals(provider_items, ("QA", "QC")),
            ]
            for item in provider_items:
                level += 1
                body += _patient_level(item, level, provider_level, created)
    return interchange(envelope, "277", [body])


def _charges(items: Sequence[AcknowledgedClaim]) -> Decimal:
    return sum((item.claim.total_charge for item in items), ZERO)


def _totals(items: Sequence[AcknowledgedClaim], qualifiers: tuple[str, str]) -> list[str]:
    accepted = [i for i in items if i.acknowledgment.status == "accepted"]
    rejected = [i for i in items if i.acknowledgment.status != "accepted"]
    totals = []
    if accepted:
        totals.append(segment("QTY", qualifiers[0], str(len(accepted))))
    if rejected:
        totals.append(segment("QTY", qualifiers[1], str(len(rejected))))
    if accepted:
        totals.append(segment("AMT", "YU", amount(_charges(accepted))))
    if rejected:
        totals.append(segment("AMT", "YY", amount(_charges(rejected))))
    return totals


def _patient_level(
    item: AcknowledgedClaim, level: int, parent: int, created: datetime
) -> list[str]:
    ack, claim = item.acknowledgment, item.claim
    charge = amount(claim.total_charge)
    segments = [
        segment("HL", str(level), str(parent), "PT"),
        segment("NM1", "QC", "1", clean(claim.patient.last_name, 60),
                clean(claim.patient.first_name, 35), None, None, None, "MI",
                clean(claim.member_id, 80)),
        segment("TRN", "2", claim.patient_control_number),
    ]
    if ack.status == "accepted":
        segments.append(segment("STC", ACCEPTED, d8(created.date()), "WQ", charge))
    else:
        segments += [
            segment("STC", tuple(code.split(":")), d8(created.date()), "U", charge,
                    None, None, None, None, None, None, None, clean(message, 264))
            for code, message in ack.errors
        ]
    if ack.payer_claim_control_number:
        segments.append(segment("REF", "1K", ack.payer_claim_control_number))
    segments.append(segment("REF", "D9", ack.submission_id))
    first = min(line.date_of_service for line in claim.lines) if claim.lines else None
    last = max(line.date_of_service for line in claim.lines) if claim.lines else None
    if first is None or first == last:
        segments.append(segment("DTP", "472", "D8", d8(first or claim.date_of_service)))
    else:
        segments.append(segment("DTP", "472", "RD8", f"{d8(first)}-{d8(last or first)}"))
    return segments


# --- reading --------------------------------------------------------------------------


@dataclass
class _ClaimStatus:
    patient_control_number: str
    statuses: list[Segment] = field(default_factory=list)
    references: dict[str, str] = field(default_factory=dict)

    def acknowledgment(self) -> Acknowledgment:
        rejections = [
            seg for seg in self.statuses
            if seg.element(3) == "U" or seg.component(1, 1) in REJECTED_CATEGORIES
        ]
        errors = tuple(
            (":".join(part for part in seg.components(1) if part), seg.element(12))
            for seg in rejections
        )
        return Acknowledgment(
            patient_control_number=self.patient_control_number,
            submission_id=self.references.get("D9", ""),
            status="rejected" if rejections else "accepted",
            payer_claim_control_number=None if rejections else self.references.get("1K"),
            errors=errors,
        )


def read_277ca(text: str) -> list[Acknowledgment]:
    """The claim-level acknowledgments of a 277CA interchange, in file order."""
    document = read_interchange(text)
    claims: list[_ClaimStatus] = []
    for group, transaction in document.transactions():
        if group.functional_id != FUNCTIONAL_ID or transaction.id != "277":
            raise X12ReadError(
                f"expected a 277 acknowledgment, found transaction set {transaction.id}")
        level = ""
        for seg in transaction.segments:
            if seg.id == "HL":
                level = seg.element(3)
            elif level != "PT":
                continue
            elif seg.id == "TRN":
                claims.append(_ClaimStatus(seg.element(2)))
            elif seg.id == "STC" and claims:
                claims[-1].statuses.append(seg)
            elif seg.id == "REF" and claims:
                claims[-1].references[seg.element(1)] = seg.element(2)
    return [claim.acknowledgment() for claim in claims]
