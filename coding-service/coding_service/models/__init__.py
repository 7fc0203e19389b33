"""Every ORM model of coding-service, imported so Alembic and the metadata see them all."""

from coding_service.models.audit import AuditEntry
from coding_service.models.base import Base
from coding_service.models.encounter import CodingVersion, Encounter, EncounterEvent, ProviderQuery
from coding_service.models.idempotency import IdempotencyRecord
from coding_service.models.ncci import NcciLoad, NcciMueEdit, NcciPtpEdit
from coding_service.models.webhook import WebhookDelivery, WebhookSubscription

__all__ = [
    "AuditEntry",
    "Base",
    "CodingVersion",
    "Encounter",
    "EncounterEvent",
    "IdempotencyRecord",
    "NcciLoad",
    "NcciMueEdit",
    "NcciPtpEdit",
    "ProviderQuery",
    "WebhookDelivery",
    "WebhookSubscription",
]
