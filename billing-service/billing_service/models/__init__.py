"""Every ORM model of billing-service, imported so Alembic and the metadata see them all."""

from billing_service.models.appeal import Appeal
from billing_service.models.audit import AuditEntry
from billing_service.models.base import Base
from billing_service.models.claim import (
    Claim,
    ClaimDenialCount,
    ClaimEvent,
    ClaimLine,
    ClaimOpenBalance,
    PayerJob,
    RemittanceAdjustment,
    RemittanceLine,
    RemittancePosting,
)
from billing_service.models.claim_status import ClaimStatusInquiry
from billing_service.models.coding_event import CodingEvent, CodingFeedCursor
from billing_service.models.contract import PayerContractRate
from billing_service.models.coverage import Coverage
from billing_service.models.eligibility import EligibilityCheck
from billing_service.models.idempotency import IdempotencyRecord
from billing_service.models.ledger import PatientLedgerEntry
from billing_service.models.provider import Provider
from billing_service.models.x12 import (
    PayerFile,
    RemittanceFile,
    X12ControlNumber,
    X12Interchange,
)

__all__ = [
    "Appeal",
    "AuditEntry",
    "Base",
    "Claim",
    "ClaimEvent",
    "ClaimDenialCount",
    "ClaimLine",
    "ClaimOpenBalance",
    "ClaimStatusInquiry",
    "CodingEvent",
    "CodingFeedCursor",
    "Coverage",
    "EligibilityCheck",
    "IdempotencyRecord",
    "PatientLedgerEntry",
    "PayerContractRate",
    "PayerFile",
    "PayerJob",
    "Provider",
    "RemittanceAdjustment",
    "RemittanceFile",
    "RemittanceLine",
    "RemittancePosting",
    "X12ControlNumber",
    "X12Interchange",
]
