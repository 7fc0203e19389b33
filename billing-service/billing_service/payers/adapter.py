"""The contract between billing and a payer (clearinghouse or the built-in mock payer).

Everything crossing it is X12 text: billing submits 837P interchanges and later pulls 277CA
acknowledgments and 835 remittances. The dataclasses are what those files carry:
ClaimForPayer is what billing writes into an 837P and a payer reads from one; Acknowledgment
and Remittance are one claim's status in a 277CA and its payment in an 835. Amounts are
Decimal to the cent; no floats.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal, Protocol

from billing_service.models.claim import ClaimStatus

__all__ = [
    "PAYER",
    "Acknowledgment",
    "Adjustment",
    "AppealDecision",
    "AppealRequest",
    "ClaimFilingIndicator",
    "ClaimForPayer",
    "ClaimStatus",
    "ClaimLineForPayer",
    "DrugCode",
    "ServiceFacility",
    "EstimateRequest",
    "LineRemittance",
    "PayerAdapter",
    "ResponseFile",
    "PayerInfo",
    "PayerResponse",
    "PayerRefused",
    "PayerUnavailable",
    "Person",
    "PlanInfo",
    "PriorPayerAdjudication",
    "PriorLineAdjudication",
    "PostalAddress",
    "ProviderParty",
    "Remittance",
    "RemittanceStatus",
    "SubmissionReceipt",
]


# The actor of every claim event a payer response records.
PAYER = "payer"


class PayerUnavailable(Exception):
    """The payer did not answer (timeout or 5xx). The submission may or may not have
    reached the payer, so the caller retries with the same submission_id."""


class PayerRefused(Exception):
    """The payer answered that it will not price the request (an unknown or inactive payer,
    a member it has no record of); the message says why, naming no one."""


@dataclass(frozen=True, slots=True)
class Person:
    first_name: str
    last_name: str
    # None when the file a payer read did not carry it (a subscriber who is not the patient).
    birth_date: date | None
    sex: str  # F|M|U


# SBR09 of an 837P and CLP06 of an 835, X12 code list 1032: 11 other non-federal programs,
# 12 PPO, 13 POS, 14 EPO, 15 indemnity, 16 HMO Medicare risk, 17 dental maintenance, AM auto
# medical, BL Blue Cross/Blue Shield, CH TRICARE, CI commercial, DS disability, FI federal
# employees, HM HMO, LM liability medical, MA Medicare Part A, MB Medicare Part B, MC Medicaid,
# OF other federal, TV title V, VA veterans affairs, WC workers' compensation, ZZ unknown.
ClaimFilingIndicator = Literal[
    "11", "12", "13", "14", "15", "16", "17", "AM", "BL", "CH", "CI", "DS", "FI", "HM", "LM",
    "MA", "MB", "MC", "OF", "TV", "VA", "WC", "ZZ",
]
# CLM05-3 of an 837P: 1 an original claim, 7 its replacement, 8 its void.
FrequencyCode = Literal["1", "7", "8"]


@dataclass(frozen=True, slots=True)
class PostalAddress:
    line1: str
    line2: str | None
    city: str
    state: str  # USPS two letters
    postal_code: str  # 5 or 9 digits


@dataclass(frozen=True, slots=True)
class ProviderParty:
    """A provider an 837P names: a person, or an organization (`last_name` holds its name)."""

    npi: str
    is_person: bool
    last_name: str
    first_name: str | None = None
    taxonomy: str | None = None  # NUCC code (PRV03)
    tax_id: str | None = None  # EIN (REF*EI)
    address: PostalAddress | None = None


@dataclass(frozen=True, slots=True)
class ServiceFacility:
    """Where the care was given when not at the billing provider's address (loop 2310C)."""

    name: str
    npi: str | None
    address: PostalAddress


@dataclass(frozen=True, slots=True)
class DrugCode:
    """The drug a line bills (loop 2410): its NDC and how much of it was given."""

    code: str  # 11 digits, 5-4-2
    unit: str  # F2 international unit, GR gram, ME milligram, ML millilitre, UN unit
    quantity: Decimal


@dataclass(frozen=True, slots=True)
class ClaimLineForPayer:
    line_number: int  # 1-based; also the line item control number suffix
    procedure_code: str
    modifiers: tuple[str, ...]
    units: int
    charge: Decimal
    diagnosis_pointers: tuple[int, ...]
    date_of_service: date
    # The last day when the line bills a range of days (DTP*472*RD8).
    date_of_service_to: date | None = None
    ndc: DrugCode | None = None


@dataclass(frozen=True, slots=True)
class PriorLineAdjudication:  # 837P loop 2430: what a payer before this one did with a line
    line_number: int
    procedure_code: str
    paid: Decimal
    adjustments: tuple["Adjustment", ...]
    adjudicated_on: date


@dataclass(frozen=True, slots=True)
class PriorPayerAdjudication:  # 837P loops 2320, 2330A and 2330B: a payer before this one
    payer_id: str
    payer_name: str
    member_id: str
    subscriber: Person  # 2330A: the subscriber of that payer's coverage
    relationship: str  # the patient's to that subscriber: self|spouse|child|other
    payer_sequence: Literal["P", "S"]
    claim_filing_indicator: str
    paid: Decimal  # AMT*D
    patient_responsibility: Decimal  # AMT*EAF: what the patient still owes after this payer
    claim_adjustments: tuple["Adjustment", ...]
    lines: tuple[PriorLineAdjudication, ...]


@dataclass(frozen=True, slots=True)
class ClaimForPayer:
    submission_id: str  # idempotency key of this submission: a retry reuses it
    patient_control_number: str  # CLM01: the billing-service claim id (short form ok)
    frequency_code: Literal["1", "7", "8"]
    original_payer_claim_number: str | None  # REF*F8 for 7 and 8
    payer_id: str
    plan_code: str | None
    member_id: str
    group_number: str | None
    relationship: str
    subscriber: Person
    patient: Person
    patient_id: str
    billing_provider_npi: str
    rendering_provider_npi: str
    place_of_service: str
    date_of_service: date
    diagnoses: tuple[str, ...]  # ICD-10-CM, dotted, first = principal
    lines: tuple[ClaimLineForPayer, ...]
    total_charge: Decimal
    # SBR01: P to the primary payer, S and T to the payers after it, each of which reads
    # what the payers before it did in prior_payers (in order).
    payer_sequence: Literal["P", "S", "T"] = "P"
    prior_payers: tuple[PriorPayerAdjudication, ...] = ()
    # SBR09: the kind of plan the claim is filed to, from the payer's plan.
    claim_filing_indicator: str = "CI"
    # 2010BA N3/N4 of a subscriber who is not the patient, from the coverage.
    subscriber_address: PostalAddress | None = None
    # The patient's own address, from the encounter (2010BA when self, else 2010CA).
    patient_address: PostalAddress | None = None
    referring_provider: ProviderParty | None = None  # 2310A, a person
    service_facility: ServiceFacility | None = None  # 2310C
    prior_authorization: str | None = None  # REF*G1
    # From the tenant's provider registry by NPI; None when the NPI is not registered.
    billing_provider: ProviderParty | None = None
    rendering_provider: ProviderParty | None = None


@dataclass(frozen=True, slots=True)
class SubmissionReceipt:  # transport-level: the payer has the file
    interchange_control_number: str
    received: bool


@dataclass(frozen=True, slots=True)
class ResponseFile:
    """A file the payer has for billing (a 277CA or an 835); `file_id` acknowledges it."""

    file_id: str
    content: str


@dataclass(frozen=True, slots=True)
class Adjustment:
    group: Literal["CO", "PR", "OA", "PI", "CR"]
    carc: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class LineRemittance:
    line_number: int
    procedure_code: str
    billed: Decimal
    allowed: Decimal
    paid: Decimal
    adjustments: tuple[Adjustment, ...]
    rarc: tuple[str, ...] = ()
    # invariant: billed == paid + sum(a.amount for a in adjustments)


@dataclass(frozen=True, slots=True)
class Acknowledgment:  # 277CA-like
    patient_control_number: str
    submission_id: str
    status: Literal["accepted", "rejected"]
    payer_claim_control_number: str | None  # assigned on acceptance
    # (code, message), e.g. ("A7:562", "Subscriber not found")
    errors: tuple[tuple[str, str], ...] = ()


# What a remittance says of its claim: the status adjudication left it in, or that it takes
# back an earlier remittance (CLP02 22).
RemittanceStatus = Literal[
    ClaimStatus.PAID, ClaimStatus.PARTIALLY_PAID, ClaimStatus.DENIED, "reversed"
]


@dataclass(frozen=True, slots=True)
class Remittance:  # 835-like, one claim
    patient_control_number: str
    payer_claim_control_number: str
    status: RemittanceStatus
    billed: Decimal
    paid: Decimal
    patient_responsibility: Decimal
    lines: tuple[LineRemittance, ...]
    claim_adjustments: tuple[Adjustment, ...] = ()
    remark_codes: tuple[str, ...] = ()
    remittance_id: str = ""  # unique per remittance (trace number); used to ignore duplicates
    paid_date: date | None = None
    # The payer's place in the claim's order of payers (CLP02 1, 2 or 3 when it pays).
    payer_sequence: Literal["P", "S", "T"] = "P"
    # Set when the payer forwarded the claim to the next payer itself (a crossover: CLP02 19
    # with remark MA18): that payer's id. Its own 835 follows; billing sends it nothing.
    crossed_over_to: str | None = None


PayerResponse = Acknowledgment | Remittance


@dataclass(frozen=True, slots=True)
class EstimateRequest:
    """Services a member is about to receive, to be priced as the payer would price them now
    (a predetermination): nothing is recorded and the member's totals do not move."""

    payer_id: str
    plan_code: str | None
    member_id: str
    date_of_service: date
    lines: tuple[ClaimLineForPayer, ...]


@dataclass(frozen=True, slots=True)
class PlanInfo:
    code: str
    name: str
    kind: str  # "ppo"|"hmo"|"medicare"|"supplement"
    claim_filing_indicator: ClaimFilingIndicator  # SBR09 of claims to the plan
    deductible: Decimal
    copay: Decimal
    coinsurance_percent: Decimal
    out_of_pocket_max: Decimal
    accepts_frequency_codes: tuple[FrequencyCode, ...]
    # Days from the date of service within which the plan takes a claim (CO-29 after).
    timely_filing_days: int | None = None


@dataclass(frozen=True, slots=True)
class PayerInfo:
    payer_id: str
    name: str
    active: bool
    plans: tuple[PlanInfo, ...]


@dataclass(frozen=True, slots=True)
class AppealRequest:
    """A provider's written appeal of the payer's decision on a claim it adjudicated: the
    letter, as a payer's appeals unit reads it, and what identifies the claim."""

    appeal_id: str  # billing's id: sending the same appeal again records it once
    payer_id: str
    payer_claim_control_number: str
    patient_control_number: str
    level: int  # 1, or 2 after the payer upheld level 1
    letter: str


AppealOutcome = Literal["overturned", "upheld"]


@dataclass(frozen=True, slots=True)
class AppealDecision:
    """The payer's decision on an appeal. An overturned decision's payment comes as an 835,
    the way every payment does."""

    outcome: AppealOutcome
    decided_on: date
    explanation: str


class PayerAdapter(Protocol):
    async def submit(self, interchange: str) -> SubmissionReceipt:
        """Hand an 837P interchange to the payer. Each claim's REF*D9 carries its
        submission id: sending the interchange again (a retry) never creates a second payer
        claim. Raises PayerUnavailable on a timeout or a 5xx."""
        ...

    async def fetch_responses(self) -> list[ResponseFile]:
        """The payer's X12 files for billing not acknowledged yet, 277CA acknowledgments and
        835 remittances, in the order the payer produced them: the ones that became
        available since the last call, and again any handed out before but never
        acknowledged (billing stopped before keeping them). A file handed out again is the
        same file, content and all."""
        ...

    async def acknowledge(self, file_ids: Sequence[str]) -> None:
        """Billing has kept these files: the payer stops offering them."""
        ...

    async def payers(self) -> list[PayerInfo]:
        """The payers and plans this adapter can reach (for GET /v1/payers)."""
        ...

    async def check_eligibility(self, inquiry: str) -> str:
        """Send a 270 eligibility inquiry; the payer's 271 answer, in real time. Raises
        PayerUnavailable on a timeout or a 5xx (nothing changes at the payer: send it
        again)."""
        ...

    async def claim_status(self, inquiry: str) -> str:
        """Send a 276 claim status inquiry; the payer's 277 answer, in real time. Raises
        PayerUnavailable as check_eligibility does."""
        ...

    async def appeal(self, request: AppealRequest) -> str:
        """Send an appeal; the payer's reference for it. Raises PayerRefused when the payer
        has no such adjudicated claim of the sender, PayerUnavailable as check_eligibility
        does (sending it again records it once)."""
        ...

    async def appeal_decision(self, reference: str) -> AppealDecision | None:
        """The payer's decision on the appeal of that reference; None while it is under
        review. Raises PayerUnavailable as check_eligibility does."""
        ...

    async def estimate(self, request: EstimateRequest) -> Remittance:
        """How the payer would adjudicate these services today, from its own fee schedule,
        plan and the member's totals; the remittance is not sent and changes nothing.
        Raises PayerRefused when the payer will not price them, PayerUnavailable as
        check_eligibility does."""
        ...
