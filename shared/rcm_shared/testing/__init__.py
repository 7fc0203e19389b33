"""Test support both services' suites use: a throwaway database per run, migrated by Alembic."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import BaseModel
from pydantic_settings import BaseSettings
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url

from rcm_shared.db import create_engine
from rcm_shared.migrations import upgrade_database as migrate

__all__ = ["environment_variables", "migrate", "throwaway_database"]


@contextmanager
def throwaway_database(prefix: str, tmp_dir: Path) -> Iterator[str]:
    """A new empty database: on TEST_DATABASE_URL's server when set, else a SQLite file.

    PostgreSQL databases are created here and dropped afterwards, so runs never share state.
    """
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        yield f"sqlite+aiosqlite:///{tmp_dir / f'{prefix}.db'}"
        return
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = make_url(server_url)
    asyncio.run(_execute_autocommit(admin, f'CREATE DATABASE "{name}"'))
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_execute_autocommit(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _execute_autocommit(url: URL, statement: str) -> None:
    engine = create_engine(url.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(statement))
    await engine.dispose()



def environment_variables(settings_class: type[BaseSettings]) -> set[str]:
    """The environment variable names a settings class reads, nested models flattened."""
    delimiter = settings_class.model_config.get("env_nested_delimiter") or "__"
    names: set[str] = set()
    for name, field in settings_class.model_fields.items():
        nested = field.annotation
        if isinstance(nested, type) and issubclass(nested, BaseModel):
            names |= {f"{name}{delimiter}{sub}".upper() for sub in nested.model_fields}
        else:
            names.add(name.upper())
    return names
