"""How many days a claim has left to reach its payer within the plan's timely filing limit.
Pure."""

from __future__ import annotations

from datetime import date

from billing_service.claims.state_machine import ClaimStatus

# A claim in these still has to be accepted by its payer; in any other the payer has it
# (accepted or adjudicated), forwarded it itself (crossover) or it ended (canceled, voided,
# replaced): the limit no longer runs for it.
STILL_TO_FILE = frozenset({ClaimStatus.READY, ClaimStatus.SUBMITTED, ClaimStatus.REJECTED})


def days_left(
    limit_days: int | None, date_of_service: date, status: ClaimStatus, today: date
) -> int | None:
    """The limit less the days since the date of service, as of `today` (negative once past
    it); None when the limit is unknown or no longer runs."""
    if limit_days is None or status not in STILL_TO_FILE:
        return None
    return limit_days - (today - date_of_service).days
