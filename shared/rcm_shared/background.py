"""Background loops a service runs in its lifespan (webhook delivery, housekeeping).

Each round is a step function that claims its own work with row locks, so any number of
replicas can run the same loops against one database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any

logger = logging.getLogger("rcm.background")


async def run_every(interval_seconds: float, step: Callable[[], Awaitable[Any]], *,
                    name: str) -> None:
    """Run `step` forever, `interval_seconds` apart; a failed round is logged, not fatal."""
    while True:
        try:
            await step()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - the loop outlives a bad round
            # The type only: an exception's message may quote request data.
            logger.error("%s round failed", name, extra={"error_type": type(exc).__name__})
        await asyncio.sleep(interval_seconds)


@asynccontextmanager
async def running(*loops: Coroutine[Any, Any, None]) -> AsyncIterator[None]:
    """Run the loops as tasks while the block runs; cancel them and wait when it ends."""
    tasks = [asyncio.create_task(loop) for loop in loops]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
