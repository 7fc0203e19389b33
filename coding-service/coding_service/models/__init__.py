"""Every ORM model of coding-service, imported so Alembic and the metadata see them all."""

from coding_service.models.base import Base
from coding_service.models.encounter import CodingVersion, Encounter, EncounterEvent, ProviderQuery

__all__ = ["Base", "CodingVersion", "Encounter", "EncounterEvent", "ProviderQuery"]
