"""coding-service settings: the shared base plus where code sets and their cache live."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import SettingsConfigDict

from rcm_shared.settings import ServiceSettings

PACKAGE_DIR = Path(__file__).resolve().parent


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True)

    database_url: str = "sqlite+aiosqlite:///./var/coding.db"
    # Where the compact ICD-10-CM index is cached after the first build.
    codeset_cache_dir: Path = Path("./var/cache")


@lru_cache
def get_settings() -> Settings:
    return Settings()
