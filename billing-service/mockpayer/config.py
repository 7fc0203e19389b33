"""Settings of the mock payer: how it behaves (MockPayerConfig, MOCK_PAYER__... in both ways
of running it) and, for `mockpayer serve` and `mockpayer migrate`, the process's own database
and the account credentials it accepts."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import SettingsConfigDict

from rcm_shared.settings import ServiceSettings, load_settings

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./var/mockpayer.db"


class MockPayerConfig(BaseModel):
    """Timing and fault injection. Faults are off by default; every fault decision is a
    hash of (seed, submission id, kind of attempt, attempt number), so runs repeat exactly."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    seed: int = 0
    latency_ms: int = Field(default=0, ge=0, le=60_000)
    # Raised after the submission is recorded: the payer has the claim, the caller did not hear.
    submit_timeout_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    # Raised before the submission is recorded: a 5xx, the payer has nothing.
    submit_error_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    # An acknowledgment held back on the poll it was due and delivered on the next one.
    drop_ack_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    # Polls between a claim's acknowledgment and its remittance; 0 sends both in one poll.
    adjudication_delay_polls: int = Field(default=1, ge=0, le=100)
    max_submissions_per_poll: int = Field(default=200, ge=1, le=10_000)
    # A directory holding replacement data files (same names and layout as the shipped ones).
    data_dir: Path | None = None


class Settings(ServiceSettings):
    """The mock clearinghouse process. API_KEYS are the account credentials: a key's
    tenant_id is the account whose submissions and files it reaches."""

    model_config = SettingsConfigDict(
        env_file=None, extra="ignore", frozen=True, env_nested_delimiter="__"
    )

    database_url: str = DEFAULT_DATABASE_URL
    mock_payer: MockPayerConfig = Field(default_factory=MockPayerConfig)


@lru_cache
def get_settings() -> Settings:
    return load_settings(Settings)
