"""billing-service settings: the shared base plus coding-service access, the payer adapter,
the X12 parties and the background workers. Nested settings use "__" (MOCK_PAYER__LATENCY_MS=50)."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from billing_service.x12.config import X12Config
from mockpayer.config import DEFAULT_DATABASE_URL as MOCK_PAYER_DATABASE_URL
from mockpayer.config import MockPayerConfig
from rcm_shared.ids import TenantId
from rcm_shared.settings import ServiceSettings, load_settings


class CodingTenant(BaseModel):
    """How billing reaches one tenant's encounters in coding-service on its own, when an event
    (webhook or feed) and no caller's request asks it to build a claim."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # The tenant's coding-service API key with coding:read.
    api_key: SecretStr
    # The secret of the tenant's webhook subscription to billing; more than one while it is
    # rotated. Empty: the tenant's webhooks are refused (its feed can still be followed).
    webhook_secrets: list[SecretStr] = Field(default_factory=list)


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_file=None, extra="ignore", frozen=True, env_nested_delimiter="__"
    )

    database_url: str = "sqlite+aiosqlite:///./var/billing.db"

    coding_service_url: str = "http://127.0.0.1:8001"
    coding_connect_timeout_seconds: float = Field(default=2.0, gt=0)
    coding_timeout_seconds: float = Field(default=5.0, gt=0)
    # Attempts in all (the first call included) on connection errors, timeouts and 5xx.
    coding_retries: int = Field(default=3, ge=1, le=10)
    coding_backoff_seconds: float = Field(default=0.2, ge=0)
    # What a 503 tells the caller when coding-service could not be reached.
    coding_retry_after_seconds: int = Field(default=5, ge=1)

    # Tenants whose finalized encounters billing turns into claims by itself, from
    # coding-service's webhooks and (FOLLOW_CODING_FEED) its event feed. JSON:
    # {"clinic-a": {"api_key": "...", "webhook_secrets": ["whsec_..."]}}
    coding_tenants: dict[TenantId, CodingTenant] = Field(default_factory=dict)
    # How far a webhook's signature timestamp may be from now.
    coding_webhook_tolerance_seconds: int = Field(default=300, ge=1)
    # The background loop reading each configured tenant's GET /v1/events.
    follow_coding_feed: bool = False
    coding_feed_interval_seconds: float = Field(default=5.0, gt=0)
    coding_feed_page_size: int = Field(default=100, ge=1, le=200)

    # Who answers billing's claims: the mock payer inside this process (inprocess), or a
    # clearinghouse over HTTP (http), such as the mock one `mockpayer serve` runs.
    payer_adapter: Literal["inprocess", "http"] = "inprocess"
    clearinghouse_url: str | None = Field(default=None, pattern=r"^https?://")
    # The account's credential at the clearinghouse (sent as a Bearer key).
    clearinghouse_api_key: SecretStr | None = None
    clearinghouse_timeout_seconds: float = Field(default=10.0, gt=0)
    # inprocess: the mock payer's own database (`billing-service migrate` migrates it too)
    # and how it behaves (MOCK_PAYER__...).
    mock_payer_database_url: str = MOCK_PAYER_DATABASE_URL
    mock_payer: MockPayerConfig = Field(default_factory=MockPayerConfig)
    # Submitter, receiver and provider names and addresses on the 837P (X12__...).
    x12: X12Config = Field(default_factory=X12Config)

    # The background loops that send queued submissions and pull payer responses, in the API
    # process; `billing-service worker` runs them in a process of its own whatever this says.
    payer_worker_enabled: bool = True
    payer_poll_interval_seconds: float = Field(default=2.0, gt=0)
    # A failed submission or payer file is tried again after base * 2^(attempt-1) seconds,
    # at most max, less up to half of that as jitter (rcm_shared.backoff).
    payer_retry_base_seconds: float = Field(default=1.0, ge=0)
    payer_retry_max_seconds: float = Field(default=300.0, ge=0)

    # Development mode only: register the providers the README and `make demo` bill with for
    # the demo tenants at start-up (billing_service.providers.demo), those not registered yet.
    seed_demo_providers: bool = True

    worklist_unanswered_days: int = Field(default=30, ge=1)
    # The payer worker asks the payer (276) about a claim still unanswered this many days
    # after it was sent, and again each as many days later; it looks for such claims this
    # often.
    status_inquiry_after_days: int = Field(default=21, ge=1)
    status_inquiry_interval_seconds: float = Field(default=3600.0, gt=0)
    # POST /v1/remittances: the largest 835 taken (413 beyond it), and how its claim payments
    # are posted: this many to a transaction, with a pause after each, so one tenant's big
    # file never holds SQLite's single write lock for long and the writers it kept waiting
    # (SQLite's busy wait naps up to 100 ms between tries) get their turn.
    remittance_max_bytes: int = Field(default=5_242_880, ge=1024)
    remittance_chunk_claims: int = Field(default=500, ge=1)
    remittance_chunk_pause_seconds: float = Field(default=0.1, ge=0)
    # How often Idempotency-Key records past their 24 hours are deleted.
    idempotency_purge_interval_seconds: float = Field(default=3600.0, gt=0)

    @model_validator(mode="after")
    def _http_needs_a_clearinghouse(self) -> Settings:
        if self.payer_adapter == "http" and (
            self.clearinghouse_url is None or self.clearinghouse_api_key is None
        ):
            raise ValueError(
                "PAYER_ADAPTER=http needs CLEARINGHOUSE_URL and CLEARINGHOUSE_API_KEY")
        return self


@lru_cache
def get_settings() -> Settings:
    return load_settings(Settings)
