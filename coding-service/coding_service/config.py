"""coding-service settings: the shared base plus where code sets and their cache live."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from rcm_shared.settings import Environment, ServiceSettings, load_settings

PACKAGE_DIR = Path(__file__).resolve().parent


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True)

    database_url: str = "sqlite+aiosqlite:///./var/coding.db"
    # Where the compact ICD-10-CM index is cached after the first build.
    codeset_cache_dir: Path = Path("./var/cache")

    # The background worker that sends webhook deliveries (every replica may run it).
    webhook_worker_enabled: bool = True
    webhook_poll_interval_seconds: float = Field(default=1.0, gt=0)
    webhook_timeout_seconds: float = Field(default=5.0, gt=0)
    webhook_batch_size: int = Field(default=20, ge=1, le=500)
    # Retries wait base * 2^(attempt-1), at most max, less up to half of that as jitter
    # (rcm_shared.backoff).
    webhook_retry_base_seconds: float = Field(default=10.0, ge=0)
    webhook_retry_max_seconds: float = Field(default=3600.0, ge=0)
    # A subscription is disabled after this many failed attempts in a row.
    webhook_max_consecutive_failures: int = Field(default=10, ge=1)
    # Loopback and private-network webhook targets: allowed in development (a consumer on
    # this machine), refused in production unless set to true.
    webhook_allow_private_targets: bool | None = None
    # How often expired Idempotency-Key records are deleted.
    idempotency_purge_interval_seconds: float = Field(default=3600.0, gt=0)

    @property
    def private_webhook_targets_allowed(self) -> bool:
        if self.webhook_allow_private_targets is None:
            return self.environment is Environment.DEVELOPMENT
        return self.webhook_allow_private_targets


@lru_cache
def get_settings() -> Settings:
    return load_settings(Settings)
