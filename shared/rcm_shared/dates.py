"""ISO 8601 dates and times as the only accepted input.

Pydantic also takes a number (or a numeric string) as Unix time, so `"date_of_service": 0`
would quietly become 1 January 1970. These types refuse anything but ISO 8601 text (or a
date/datetime object, when a model is built in code).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")


def _iso_date(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        return value
    raise ValueError("expected an ISO 8601 date such as 2026-03-02")


def _iso_datetime(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        return value
    raise ValueError("expected an ISO 8601 date and time such as 2026-03-02T14:30:00Z")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
def _with_offset(value: datetime) -> datetime:
    # A time without its UTC offset is ambiguous across a clinic's time zones.
    if value.tzinfo is None:
        raise ValueError("the date and time needs its UTC offset, e.g. 2026-03-02T14:30:00Z")
    return value


IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime), AfterValidator(_with_offset)]
