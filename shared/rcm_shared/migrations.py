"""The body of each service's Alembic env.py: async engine, own version table, batch mode."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection

from rcm_shared.db import create_engine, is_sqlite


def run_alembic(metadata: MetaData, database_url: str, version_table: str) -> None:
    """Run the current Alembic command against database_url (offline mode writes SQL)."""
    options: dict[str, Any] = {
        "target_metadata": metadata,
        "version_table": version_table,
        # SQLite cannot ALTER most things; batch mode recreates tables instead.
        "render_as_batch": is_sqlite(database_url),
        "compare_type": True,
    }
    url = context.config.attributes.get("database_url", database_url)
    if context.is_offline_mode():
        context.configure(url=url, literal_binds=True, **options)
        with context.begin_transaction():
            context.run_migrations()
        return

    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run_sync(connection, options)
        return
    asyncio.run(_run_async(url, options))


def _run_sync(connection: Connection, options: dict[str, Any]) -> None:
    context.configure(connection=connection, **options)
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(url: str, options: dict[str, Any]) -> None:
    engine = create_engine(url, poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_run_sync, options)
        await connection.commit()
    await engine.dispose()


def upgrade_database(alembic_ini: Path, database_url: str, revision: str = "head") -> None:
    """Run a service's migrations up to revision against database_url."""
    config = Config(str(alembic_ini))
    config.attributes["database_url"] = database_url
    command.upgrade(config, revision)
