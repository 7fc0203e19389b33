"""The background loop: send due submissions, pull payer responses, sleep, repeat."""

from __future__ import annotations

import asyncio
import logging

from starlette.datastructures import State

from billing_service.submissions.service import poll_payer_once, run_outbox_once

logger = logging.getLogger("billing.worker")


async def payer_loop(state: State, interval_seconds: float) -> None:
    while True:
        try:
            await run_outbox_once(state)
            await poll_payer_once(state)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - the loop outlives a bad round
            logger.error("payer round failed", extra={"error_type": type(exc).__name__})
        await asyncio.sleep(interval_seconds)
