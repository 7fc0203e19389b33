"""Background loops: a failed round is logged and the loop goes on; stopping cancels it."""

import asyncio
import logging

import pytest

from rcm_shared.background import run_every, running


async def test_a_failed_round_is_logged_and_the_next_one_runs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    rounds: list[int] = []
    third = asyncio.Event()

    async def step() -> None:
        rounds.append(len(rounds) + 1)
        if len(rounds) == 1:
            raise ValueError("patient Ada Lovelace")  # a message that must not be logged
        if len(rounds) == 3:
            third.set()

    caplog.set_level(logging.ERROR, logger="rcm.background")
    async with running(run_every(0, step, name="test loop")):
        await asyncio.wait_for(third.wait(), 5)
    assert rounds[:3] == [1, 2, 3]
    failures = [r for r in caplog.records if r.name == "rcm.background"]
    assert len(failures) == 1
    assert failures[0].error_type == "ValueError"
    assert "Ada" not in failures[0].getMessage()


async def test_leaving_the_block_stops_the_loop() -> None:
    calls = 0
    started = asyncio.Event()

    async def step() -> None:
        nonlocal calls
        calls += 1
        started.set()

    async with running(run_every(3600, step, name="slow loop")):
        await asyncio.wait_for(started.wait(), 5)
    await asyncio.sleep(0)
    assert calls == 1
