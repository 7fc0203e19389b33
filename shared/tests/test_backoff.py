"""The one backoff formula of the retry schedules kept in the database."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rcm_shared.backoff import backoff


@pytest.mark.parametrize(("failures", "seconds"), [
    (0, 10), (1, 10), (2, 20), (3, 40), (7, 640), (9, 1000), (10_000, 1000),
])
def test_the_wait_doubles_with_each_failure_up_to_the_cap(failures: int, seconds: float) -> None:
    assert backoff(failures, base_seconds=10, max_seconds=1000, jitter=1.0) == timedelta(
        seconds=seconds)


def test_jitter_keeps_half_to_all_of_the_wait() -> None:
    assert backoff(3, base_seconds=10, max_seconds=1000, jitter=0.0) == timedelta(seconds=20)
    assert backoff(3, base_seconds=10, max_seconds=1000, jitter=0.5) == timedelta(seconds=30)
    drawn = {backoff(3, base_seconds=10, max_seconds=1000) for _ in range(50)}
    assert len(drawn) > 1
    assert all(timedelta(seconds=20) <= wait <= timedelta(seconds=40) for wait in drawn)
