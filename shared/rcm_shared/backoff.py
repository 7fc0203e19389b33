"""The wait before the next try of a retry schedule kept in the database (coding-service's
webhook deliveries, billing's payer submissions and payer files): one formula for all of them.
In-process retries (billing's coding-service client) use stamina instead."""

from __future__ import annotations

import random
from datetime import timedelta

# 2**64 times any base is past any cap; a larger exponent would only overflow the float.
_MAX_DOUBLINGS = 64


def backoff(failures: int, *, base_seconds: float, max_seconds: float,
            jitter: float | None = None) -> timedelta:
    """The wait after the failures-th failure in a row: base * 2^(failures-1), at most
    max_seconds, less up to half of it at random (jitter in [0, 1] keeps half to all of it;
    drawn when None), so tries that failed together do not all come back together."""
    doublings = min(max(failures - 1, 0), _MAX_DOUBLINGS)
    full = min(max_seconds, base_seconds * 2.0 ** doublings)
    kept = random.random() if jitter is None else jitter
    return timedelta(seconds=full / 2 * (1 + kept))
