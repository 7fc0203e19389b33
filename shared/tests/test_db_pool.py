"""Pooled PostgreSQL connections are checked before use only after being idle a while."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from rcm_shared.db import create_engine
from rcm_shared.testing import throwaway_database


@pytest.fixture(scope="module")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with throwaway_database("shared_pool", tmp_path_factory.mktemp("pool")) as url:
        if not url.startswith("postgresql"):
            pytest.skip("pooled connection checks are for PostgreSQL")
        yield url


async def _backend_pid(engine) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def _terminate(url: str, pid: int) -> None:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    await admin.dispose()


async def test_a_connection_dropped_while_idle_is_replaced_before_use(postgres_url):
    engine = create_engine(postgres_url, pool_size=1, idle_ping_seconds=0)
    try:
        first = await _backend_pid(engine)
        await _terminate(postgres_url, first)
        assert await _backend_pid(engine) != first
    finally:
        await engine.dispose()


async def test_a_connection_used_moments_ago_is_not_checked_again(postgres_url):
    engine = create_engine(postgres_url, pool_size=1, idle_ping_seconds=3600)
    try:
        first = await _backend_pid(engine)
        await _terminate(postgres_url, first)
        # Trusted without a check, so the dropped connection fails this once...
        with pytest.raises(DBAPIError):
            await _backend_pid(engine)
        # ...and the pool, having seen the disconnect, connects anew.
        assert await _backend_pid(engine) != first
    finally:
        await engine.dispose()
