"""Settings common to both services, read from the environment (pydantic-settings); settings
a service cannot start with are told in one line naming each bad one."""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from rcm_shared.auth import ApiKeyRecord, demo_api_keys
from rcm_shared.command import ConfigurationError
from rcm_shared.problems import error_message

SettingsT = TypeVar("SettingsT", bound=BaseSettings)


class _UnreadableSetting(Exception):
    # Not a ValueError, which pydantic-settings would wrap into a message naming the field
    # but not the variable, with a traceback through its sources.
    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")


class _EnvironmentSource(EnvSettingsSource):
    def prepare_field_value(self, field_name: str, field: FieldInfo, value: Any,
                            value_is_complex: bool) -> Any:
        try:
            return super().prepare_field_value(field_name, field, value, value_is_complex)
        except ValueError as exc:
            json_error = isinstance(exc, json.JSONDecodeError)
            reason = f"not valid JSON ({exc})" if json_error else str(exc)
            raise _UnreadableSetting(field_name.upper(), reason) from None


LOCAL_ORIGIN_PATTERN = r"http://(localhost|127\.0\.0\.1|\[::1\])(:[0-9]{1,5})?"


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
    # Comma-separated (https://a.example,https://b.example) or a JSON list.
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    max_body_bytes: int = 1_048_576

    @classmethod
    def settings_customise_sources(
        cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, _EnvironmentSource(settings_cls), dotenv_settings,
                file_secret_settings)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origins_list(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if value.lstrip().startswith("["):
            try:
                return json.loads(value)
            except json.JSONDecodeError as exc:
                raise ValueError(f"not a valid JSON list ({exc})") from None
        return [origin.strip() for origin in value.split(",") if origin.strip()]

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

    def local_origin_pattern(self) -> str | None:
        """Browser origins allowed besides CORS_ORIGINS: in development a front-end's dev
        server on this machine (any port of localhost), so it calls the API with no setting;
        none in production."""
        if self.environment is Environment.DEVELOPMENT:
            return LOCAL_ORIGIN_PATTERN
        return None

    def effective_api_keys(self) -> list[ApiKeyRecord]:
        """Configured keys, plus the documented demo keys in development mode."""
        if self.environment is Environment.DEVELOPMENT:
            return [*self.api_keys, *demo_api_keys()]
        return list(self.api_keys)


def _setting_name(settings_class: type[BaseSettings], loc: Sequence[int | str]) -> str:
    """The environment variable behind an error's location, with the place inside its value:
    mock_payer.latency_ms is MOCK_PAYER__LATENCY_MS, api_keys.0.tenant_id API_KEYS[0].tenant_id."""
    nested = settings_class.model_config.get("env_nested_delimiter")
    names: list[str] = []
    model: type[BaseModel] | None = settings_class
    rest = list(loc)
    while rest and model is not None:
        name = rest[0]
        if not isinstance(name, str) or name not in model.model_fields:
            break
        names.append(name)
        rest.pop(0)
        annotation = model.model_fields[name].annotation
        model = None
        if nested and isinstance(annotation, type) and issubclass(annotation, BaseModel):
            model = annotation  # MODEL__FIELD names a field inside it
    inside = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in rest)
    return (nested or "__").join(names).upper() + inside


def load_settings(settings_class: type[SettingsT]) -> SettingsT:
    """The settings from the environment, or ConfigurationError saying which are bad."""
    try:
        return settings_class()
    except _UnreadableSetting as exc:
        raise ConfigurationError(f"bad setting: {exc}") from None
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = _setting_name(settings_class, error["loc"])
            message = error_message(error)
            problems.append(f"{name}: {message}" if name else message)
        noun = "setting" if len(problems) == 1 else "settings"
        raise ConfigurationError(f"bad {noun}: {'; '.join(problems)}") from None

