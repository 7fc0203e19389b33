"""Every ORM model of coding-service, imported so Alembic and the metadata see them all."""

from coding_service.models.base import Base
from coding_service.models.encounter import CodingVersion, Encounter, EncounterEvent, ProviderQuery
from coding_service.models.ncci import NcciLoad, NcciMueEdit, NcciPtpEdit

__all__ = [
    "Base",
    "CodingVersion",
    "Encounter",
    "EncounterEvent",
    "NcciLoad",
    "NcciMueEdit",
    "NcciPtpEdit",
    "ProviderQuery",
]
