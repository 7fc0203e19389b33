"""Request and response bodies of /v1/claims."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from billing_service.claims.codes import describe_adjustment
from billing_service.claims.denials import DenialCategory
from billing_service.claims.state_machine import (
    PAYER_ACTIONS,
    TERMINAL,
    ClaimAction,
    ClaimStatus,
    allowed_actions,
)
from billing_service.claims.timely_filing import days_left
from billing_service.coverages.schemas import Sex
from billing_service.models.claim import Claim, ClaimEvent, PayerSequence, RemittancePosting
from billing_service.payers.adapter import FrequencyCode
from rcm_shared.address import Address
from rcm_shared.db import utcnow
from rcm_shared.ids import CodingVersion, EncounterId, ResourceId
from rcm_shared.issues import IssueOut
from rcm_shared.money import ZERO, Money, to_money
from rcm_shared.schemas import RequestModel


class ClaimCreate(RequestModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"encounter_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7"}]},
    )

    encounter_id: EncounterId = Field(
        description="coding-service's encounter id, in the form coding-service accepts")
    coverage_id: ResourceId | None = Field(
        default=None,
        description="Omit to use the patient's coverage in force on the date of service",
    )


class ClaimPatch(RequestModel):
    coverage_id: ResourceId = Field(
        description="Another coverage of the claim's patient; the claim is scrubbed again")


class CorrectionCreate(RequestModel):
    encounter_coding_version: CodingVersion


class PayerError(BaseModel):
    code: str
    message: str


class PatientOut(BaseModel):
    id: str
    first_name: str
    last_name: str
    birth_date: date
    sex: Sex
    address: Address | None = Field(description="The patient's own address, from the encounter")


class ReferringProviderOut(BaseModel):
    npi: str
    first_name: str
    last_name: str


class ServiceFacilityOut(BaseModel):
    name: str
    npi: str | None
    address: Address


class NdcOut(BaseModel):
    code: str = Field(description="11 digits, 5-4-2")
    unit: Literal["F2", "GR", "ME", "ML", "UN"]
    quantity: str = Field(description="A decimal, as sent")


class ClaimLineOut(BaseModel):
    line_number: int
    procedure_code: str
    modifiers: list[str]
    units: int
    charge: Money
    diagnosis_pointers: list[int]
    date_of_service: date
    date_of_service_to: date | None
    ndc: NdcOut | None


class DenialOut(BaseModel):
    """One thing the payer denied on the claim, from its standing remittance."""

    line: int | None = Field(description="The claim line denied; null for the whole claim")
    procedure_code: str | None = Field(description="The denied line's procedure code")
    group_code: str = Field(description="CAS01: CO contractual, OA other, PI payer initiated")
    carc: str = Field(description="The claim adjustment reason code (CAS02) of the denial")
    rarcs: list[str] = Field(description="The remark codes (RARC) the payer sent with it")
    amount: Money = Field(description="The amount denied")
    category: DenialCategory = Field(
        description="What kind of denial the CARC is: eligibility, authorization, coding, "
        "medical_necessity, timely_filing, duplicate, bundling or other")
    description: str = Field(description="The CARC in plain words")


class ClaimSplit(BaseModel):
    """This claim is part `index` of the `of` claims one encounter was billed as."""

    index: int
    of: int


class ClaimOut(BaseModel):
    id: str
    patient_control_number: str
    status: ClaimStatus
    allowed_actions: list[ClaimAction]
    frequency_code: FrequencyCode
    encounter_id: str
    coding_version: int
    coverage_id: str
    payer_id: str
    payer_sequence: PayerSequence
    split: ClaimSplit | None = Field(
        description="Which of the claims an encounter too large for one claim was billed as; "
        "null for a whole encounter")
    prior_claim_id: str | None = Field(description="The claim of the payer before this one")
    patient: PatientOut
    date_of_service: date
    place_of_service: str
    billing_provider_npi: str
    rendering_provider_npi: str
    referring_provider: ReferringProviderOut | None
    service_facility: ServiceFacilityOut | None
    prior_authorization: str | None
    diagnoses: list[str]
    lines: list[ClaimLineOut]
    total_charge: Money
    paid_amount: Money
    adjustment_amount: Money
    patient_responsibility: Money
    balance: Money = Field(description="total_charge minus posted payments and adjustments")
    payer_claim_control_number: str | None
    original_payer_claim_number: str | None
    replaces_claim_id: str | None
    replaced_by_claim_id: str | None
    submission_count: int
    first_submitted_at: datetime | None
    last_submitted_at: datetime | None
    scrub_issues: list[IssueOut]
    payer_errors: list[PayerError]
    denials: list[DenialOut] = Field(
        description="What the payer denied, per line (or the whole claim), with its category")
    timely_filing_days_left: int | None = Field(
        description="Days left, as of today, before the plan's timely filing limit counted "
        "from the date of service (negative once past it); null once the payer accepted the "
        "claim, or when the plan's limit is unknown")
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, claim: Claim) -> ClaimOut:
        status = ClaimStatus(claim.status)
        return cls(
            id=claim.id,
            patient_control_number=claim.patient_control_number,
            status=status,
            allowed_actions=[a for a in allowed_actions(status) if a in BILLER_ACTIONS],
            frequency_code=claim.frequency_code,  # type: ignore[arg-type]
            encounter_id=claim.encounter_id,
            coding_version=claim.coding_version,
            coverage_id=claim.coverage_id,
            payer_id=claim.payer_id,
            payer_sequence=PayerSequence(claim.payer_sequence),
            split=(ClaimSplit(index=claim.split_index, of=claim.split_count)
                   if claim.split_count > 1 else None),
            prior_claim_id=claim.prior_claim_id,
            patient=PatientOut(
                id=claim.patient_id, first_name=claim.patient_first_name,
                last_name=claim.patient_last_name, birth_date=claim.patient_birth_date,
                sex=claim.patient_sex,  # type: ignore[arg-type]
                address=(Address.model_validate(claim.patient_address)
                         if claim.patient_address is not None else None),
            ),
            date_of_service=claim.date_of_service,
            place_of_service=claim.place_of_service,
            billing_provider_npi=claim.billing_provider_npi,
            rendering_provider_npi=claim.rendering_provider_npi,
            referring_provider=(ReferringProviderOut.model_validate(claim.referring_provider)
                                if claim.referring_provider is not None else None),
            service_facility=(ServiceFacilityOut.model_validate(claim.service_facility)
                              if claim.service_facility is not None else None),
            prior_authorization=claim.prior_authorization,
            diagnoses=list(claim.diagnoses),
            lines=[
                ClaimLineOut(
                    line_number=line.line_number, procedure_code=line.procedure_code,
                    modifiers=list(line.modifiers), units=line.units, charge=line.charge,
                    diagnosis_pointers=list(line.diagnosis_pointers),
                    date_of_service=line.date_of_service,
                    date_of_service_to=line.date_of_service_to,
                    ndc=NdcOut.model_validate(line.ndc) if line.ndc is not None else None,
                )
                for line in claim.lines
            ],
            total_charge=claim.total_charge,
            paid_amount=claim.paid_amount,
            adjustment_amount=claim.adjustment_amount,
            patient_responsibility=claim.patient_responsibility,
            balance=open_balance(claim),
            payer_claim_control_number=claim.payer_claim_control_number,
            original_payer_claim_number=claim.original_payer_claim_number,
            replaces_claim_id=claim.replaces_claim_id,
            replaced_by_claim_id=claim.replaced_by_claim_id,
            submission_count=claim.submission_count,
            first_submitted_at=claim.first_submitted_at,
            last_submitted_at=claim.last_submitted_at,
            scrub_issues=[IssueOut(**i) for i in claim.scrub_issues],
            payer_errors=[PayerError(**e) for e in claim.payer_errors],
            denials=[DenialOut(**d, description=describe_adjustment(d["group_code"], d["carc"]))
                     for d in claim.denials],
            timely_filing_days_left=days_left(claim.timely_filing_days, claim.date_of_service,
                                              status, utcnow().date()),
            version=claim.version,
            created_at=claim.created_at,
            updated_at=claim.updated_at,
        )


# Actions a caller can take through the API; the others are the payer's.
BILLER_ACTIONS = frozenset(ClaimAction) - PAYER_ACTIONS


def open_balance(claim: Claim) -> Decimal:
    """What is still owed on the claim; nothing once a replacement or a void took its place."""
    if claim.status in TERMINAL:
        return ZERO
    return to_money(claim.total_charge - claim.paid_amount - claim.adjustment_amount)


class ClaimEventOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: int
    at: datetime
    actor: str
    action: str
    from_status: ClaimStatus | None = Field(serialization_alias="from")
    to_status: ClaimStatus = Field(serialization_alias="to")
    reason: str | None
    carc: list[str]
    rarc: list[str]
    data: dict[str, Any]

    @classmethod
    def of(cls, event: ClaimEvent) -> ClaimEventOut:
        return cls(
            id=event.id, at=event.occurred_at, actor=event.actor, action=event.action,
            from_status=(ClaimStatus(event.from_status)
                         if event.from_status is not None else None),
            to_status=ClaimStatus(event.to_status), reason=event.reason,
            carc=list(event.carc), rarc=list(event.rarc), data=dict(event.data),
        )


class AdjustmentOut(BaseModel):
    group: str
    carc: str
    amount: Money
    description: str


class RemittanceLineOut(BaseModel):
    line_number: int
    procedure_code: str
    billed: Money
    allowed: Money
    paid: Money
    adjustments: list[AdjustmentOut]
    rarc: list[str]
    expected: Money | None = Field(
        default=None, description="What the tenant's contract with the payer, as it stood when "
        "this was posted, makes the line: its rate times the units; null when not compared "
        "(no rate for the code, or the line denied)")
    underpaid: Money | None = Field(
        default=None, description="How far the payer's allowed amount fell below `expected` "
        "(0.00 when it did not); null when not compared")


class RemittanceOut(BaseModel):
    trace_number: str
    status: str
    payer_claim_control_number: str
    paid_date: date | None
    posted_at: datetime
    billed: Money
    allowed: Money
    paid: Money
    patient_responsibility: Money
    claim_adjustments: list[AdjustmentOut]
    remark_codes: list[str]
    lines: list[RemittanceLineOut]


class RemittanceTotals(BaseModel):
    """Net over every remittance posted to the claim (a reversal counts negative)."""

    billed: Money
    allowed: Money
    paid: Money
    patient_responsibility: Money
    adjustments: Money
    balance: Money
    underpaid: Money = Field(
        default=ZERO, description="What the lines were underpaid against the contract, over "
        "every remittance")


class PayerPartOut(BaseModel):
    """One payer's claim for the visit and what that payer paid and left to the patient."""

    claim_id: str
    payer_id: str
    payer_sequence: PayerSequence
    status: ClaimStatus
    paid: Money
    patient_responsibility: Money


class ClaimRemittanceOut(BaseModel):
    claim_id: str
    status: ClaimStatus
    remittances: list[RemittanceOut]
    totals: RemittanceTotals
    payers: list[PayerPartOut] = Field(description=(
        "Every payer billed for the visit, first payer first, this claim among them: the "
        "patient owes what the last one adjudicated leaves"))
    patient_owes: Money = Field(description=(
        "What the patient owes for the visit after every payer adjudicated so far"))


def remittance_out(posting: RemittancePosting) -> RemittanceOut:
    def adjustment(a: Any) -> AdjustmentOut:
        return AdjustmentOut(group=a.group_code, carc=a.carc, amount=a.amount,
                             description=describe_adjustment(a.group_code, a.carc))

    by_line: dict[int | None, list[AdjustmentOut]] = {}
    for a in posting.adjustments:
        by_line.setdefault(a.line_number, []).append(adjustment(a))
    lines = [
        RemittanceLineOut(
            line_number=line.line_number, procedure_code=line.procedure_code,
            billed=line.billed, allowed=line.allowed, paid=line.paid,
            adjustments=by_line.get(line.line_number, []), rarc=list(line.rarc),
            expected=line.expected, underpaid=line.underpaid,
        )
        for line in posting.lines
    ]
    return RemittanceOut(
        trace_number=posting.trace_number,
        status=posting.status,
        payer_claim_control_number=posting.payer_claim_control_number,
        paid_date=posting.paid_date,
        posted_at=posting.posted_at,
        billed=posting.billed,
        allowed=to_money(sum((line.allowed for line in posting.lines), ZERO)),
        paid=posting.paid,
        patient_responsibility=posting.patient_responsibility,
        claim_adjustments=by_line.get(None, []),
        remark_codes=list(posting.remark_codes),
        lines=lines,
    )
