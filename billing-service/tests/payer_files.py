"""Test helpers around the X12 files billing and the payer exchange: an 837P of claims built
to order, and the 277CA and 835 files a payer sends read back as acknowledgments and
remittances, in file order."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from billing_service.payers.adapter import (
    Acknowledgment,
    Adjustment,
    ClaimForPayer,
    LineRemittance,
    PayerInfo,
    PostalAddress,
    ProviderParty,
    Remittance,
    ResponseFile,
    SubmissionReceipt,
)
from billing_service.remittances.matching import remittance_status, trace_number
from billing_service.x12 import ack277, remit835
from billing_service.x12.ack277 import read_277ca
from billing_service.x12.claim837 import write_837p
from billing_service.x12.config import X12Config
from billing_service.x12.remit835 import read_835
from billing_service.x12.syntax import read_interchange
from mockpayer.loader import load_payer_rules
from rcm_shared.money import to_money

_control_numbers = itertools.count(900_000_001)
PAYER_NAMES = {payer_id: rules.info.name for payer_id, rules in load_payer_rules().items()}


CLINIC_ADDRESS = PostalAddress("100 MAIN STREET", None, "SPRINGFIELD", "IL", "627010001")


def billing_party(npi: str = "1234567893") -> ProviderParty:
    """A registered billing organization, as billing's demo tenants have."""
    return ProviderParty(npi, False, "DEMO CLINIC", None, "261QP2300X", "990000001",
                         CLINIC_ADDRESS)


def rendering_party(npi: str = "1245319599") -> ProviderParty:
    """A registered rendering physician, as an 837P names one (no address, no tax id)."""
    return ProviderParty(npi, True, "DIAZ", "ROSA", "207Q00000X")


HOME_ADDRESS = PostalAddress("42 ELM STREET", None, "SPRINGFIELD", "IL", "62704")


def billable(claim: ClaimForPayer) -> ClaimForPayer:
    """`claim` with what billing adds to an encounter's NPIs and a coverage, where it has
    none of its own: the registry's parties and the patient's (and subscriber's) address."""
    return replace(
        claim,
        billing_provider=claim.billing_provider or billing_party(claim.billing_provider_npi),
        rendering_provider=claim.rendering_provider or rendering_party(
            claim.rendering_provider_npi),
        patient_address=claim.patient_address or HOME_ADDRESS,
        subscriber_address=claim.subscriber_address or (
            None if claim.relationship == "self" else HOME_ADDRESS),
    )


def claim_file(*claims: ClaimForPayer, control_number: int | None = None) -> str:
    """The 837P billing would send for `claims` (each made billable)."""
    return write_837p(
        [billable(claim) for claim in claims], X12Config(),
        control_number=control_number or next(_control_numbers),
        created_at=datetime(2026, 11, 27, 9, 30, tzinfo=UTC), payer_names=PAYER_NAMES,
    )


def remittances_of(text: str) -> list[Remittance]:
    """Each claim payment of an 835 as a Remittance; the line number is read back from the
    REF*6R billing writes ("<patient control number>-<line number>")."""
    found = []
    for advice in read_835(text).advices:
        for payment in advice.claims:
            lines = tuple(
                LineRemittance(
                    line_number=int((service.line_item_control_number or "-0").rsplit("-")[-1]),
                    procedure_code=service.procedure_code,
                    billed=to_money(service.billed),
                    allowed=to_money(service.allowed if service.allowed is not None else 0),
                    paid=to_money(service.paid),
                    adjustments=tuple(Adjustment(a.group, a.carc, to_money(a.amount))  # type: ignore[arg-type]
                                      for a in service.adjustments),
                    rarc=service.remark_codes,
                )
                for service in payment.services
            )
            found.append(Remittance(
                patient_control_number=payment.patient_control_number,
                payer_claim_control_number=payment.payer_claim_control_number,
                status=remittance_status(payment),
                billed=to_money(payment.billed),
                paid=to_money(payment.paid),
                patient_responsibility=to_money(payment.patient_responsibility),
                lines=lines,
                claim_adjustments=tuple(Adjustment(a.group, a.carc, to_money(a.amount))  # type: ignore[arg-type]
                                        for a in payment.adjustments),
                remark_codes=payment.remark_codes,
                remittance_id=trace_number(advice, payment),
                paid_date=advice.paid_on,
            ))
    return found


def responses_of(files: Iterable[str]) -> list[Acknowledgment | Remittance]:
    responses: list[Acknowledgment | Remittance] = []
    for text in files:
        kind = read_interchange(text).groups[0].functional_id
        if kind == ack277.FUNCTIONAL_ID:
            responses += read_277ca(text)
        else:
            assert kind == remit835.FUNCTIONAL_ID, kind
            responses += remittances_of(text)
    return responses


class ClaimsInX12:
    """A payer adapter driven with ClaimForPayer values: each is sent as its 837P (the same
    text on a retry), and what the payer sends back is read into acknowledgments and
    remittances. `files` keeps every file the payer sent."""

    def __init__(self, adapter: Any) -> None:
        self.adapter = adapter
        self.sent: dict[str, str] = {}
        self.files: list[str] = []

    async def submit(self, claim: ClaimForPayer) -> SubmissionReceipt:
        text = self.sent.setdefault(claim.submission_id, claim_file(claim))
        receipt: SubmissionReceipt = await self.adapter.submit(text)
        return receipt

    async def fetch_responses(self) -> list[Acknowledgment | Remittance]:
        """What the payer offers, acknowledged at once, as billing acknowledges it once kept."""
        files = await self.adapter.fetch_responses()
        await self.adapter.acknowledge([file.file_id for file in files])
        self.files += [file.content for file in files]
        return responses_of(file.content for file in files)

    async def payers(self) -> list[PayerInfo]:
        payers: list[PayerInfo] = await self.adapter.payers()
        return payers


def valid_npi(first_nine: str) -> str:
    """`first_nine` with its Luhn check digit over the 80840 prefix."""
    total = 0
    for position, char in enumerate(reversed("80840" + first_nine)):
        digit = int(char)
        if position % 2 == 0:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return first_nine + str((10 - total % 10) % 10)


def denial_835(patient_control_number: str, payer_claim_number: str, trace: str, *,
               patient: tuple[str, str] = ("SILVA", "ANA"), member_id: str = "W1") -> str:
    """A payer's 835 denying a 150.00 office visit for timely filing (CO-29); `patient` is
    the (last, first) name it gives."""
    return "~\n".join([
        "ISA*00*          *00*          *ZZ*OTHERPAYER     *ZZ*RCMBILLING     *261127*1200*^*"
        "00501*000000077*0*T*:",
        "GS*HP*OTHERPAYER*RCMBILLING*20261127*1200*77*X*005010X221A1",
        "ST*835*0001",
        "BPR*H*0*C*NON************20261127",
        f"TRN*1*{trace}*1999999999",
        "N1*PR*OTHER PAYER", "N3*PO BOX 9", "N4*SPRINGFIELD*IL*62701",
        "PER*BL*CLAIMS*TE*5555550100",
        "N1*PE*DEMO CLINIC*XX*1234567893",
        "LX*1",
        f"CLP*{patient_control_number}*4*150*0*0*12*{payer_claim_number}*11*1",
        f"NM1*QC*1*{patient[0]}*{patient[1]}****MI*{member_id}",
        "SVC*HC:99213*150*0**1", "CAS*CO*29*150", f"REF*6R*{patient_control_number}-1",
        "SE*15*0001", "GE*1*77", "IEA*1*000000077",
    ]) + "~\n"


class Delivering:
    """The app's payer adapter, except that polls deliver the files queued in `files` (each
    once, the next poll), as the payer would hand them over."""

    def __init__(self, real: Any, files: list[str] | None = None) -> None:
        self.real = real
        self.files = files or []

    async def fetch_responses(self) -> list[ResponseFile]:
        files, self.files = self.files, []
        return [ResponseFile(f"test-{index}", text) for index, text in enumerate(files)]

    async def acknowledge(self, file_ids: Sequence[str]) -> None:
        pass

    async def submit(self, interchange: str) -> Any:
        return await self.real.submit(interchange)

    async def payers(self) -> list[Any]:
        return await self.real.payers()
