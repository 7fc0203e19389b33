"""A patient's age on the date of service, as the code sets' age edits count it."""

from __future__ import annotations

from datetime import date


def age_in_years(birth: date, on: date) -> int:
    """Completed years: a patient born 2020-05-10 is 3 on 2024-05-09 and 4 the day after."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def age_text(birth: date, on: date) -> str:
    years = age_in_years(birth, on)
    if years == 0:
        days = (on - birth).days
        return f"{days} day{'s' if days != 1 else ''} old"
    return f"{years} year{'s' if years != 1 else ''} old"
