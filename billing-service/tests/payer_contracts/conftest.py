"""Each test's contracts are removed after it: the database is the whole run's, and a contract
left loaded would compare every later test's postings with it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest


@pytest.fixture
async def contracts(client: httpx.AsyncClient) -> AsyncIterator[list[str]]:
    """The payer ids whose clinic-a contract a test loads."""
    loaded: list[str] = []
    yield loaded
    for payer_id in loaded:
        await client.delete(f"/v1/payers/{payer_id}/contract")
