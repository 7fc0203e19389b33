"""Settings common to both services, read from the environment (pydantic-settings)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from rcm_shared.auth import ApiKeyRecord, demo_api_keys


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class ServiceSettings(BaseSettings):
    """Base settings; each service subclasses it and sets its own defaults."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True)

    environment: Environment = Environment.DEVELOPMENT
    database_url: str = "sqlite+aiosqlite:///./var/service.db"
    # JSON list of {"key_sha256", "tenant_id", "scopes"}; only hashes are ever configured.
    api_keys: list[ApiKeyRecord] = Field(default_factory=list)
    log_level: str = "INFO"
    cors_origins: list[str] = Field(default_factory=list)
    max_body_bytes: int = 1_048_576

    @model_validator(mode="after")
    def _production_needs_keys_and_database(self) -> ServiceSettings:
        if self.environment is not Environment.PRODUCTION:
            return self
        if not self.api_keys:
            raise ValueError("API_KEYS must be configured in production mode")
        # The SQLite default under ./var suits a laptop; production names its database.
        if "database_url" not in self.model_fields_set:
            raise ValueError("DATABASE_URL must be configured in production mode")
        return self

    def effective_api_keys(self) -> list[ApiKeyRecord]:
        """Configured keys, plus the documented demo keys in development mode."""
        if self.environment is Environment.DEVELOPMENT:
            return [*self.api_keys, *demo_api_keys()]
        return list(self.api_keys)
