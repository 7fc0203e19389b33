"""ISO 8601 only: a number is never taken as a Unix time."""

from datetime import UTC, date, datetime

import pytest
from pydantic import BaseModel, ValidationError

from rcm_shared.dates import IsoDate, IsoDateTime


class Visit(BaseModel):
    on: IsoDate | None = None
    at: IsoDateTime | None = None


@pytest.mark.parametrize("value", ["2026-03-02", date(2026, 3, 2)])
def test_iso_dates_are_taken(value: object) -> None:
    assert Visit(on=value).on == date(2026, 3, 2)


@pytest.mark.parametrize("value", [0, 1_772_409_600, "0", "1772409600", "2026-3-2", "03/02/2026",
                                   2026.0, True, datetime(2026, 3, 2, tzinfo=UTC)])
def test_anything_else_is_refused_as_a_date(value: object) -> None:
    with pytest.raises(ValidationError, match="ISO 8601 date"):
        Visit(on=value)


@pytest.mark.parametrize("value", ["2026-03-02T13:30:00Z", "2026-03-02 14:30:00+01:00",
                                   datetime(2026, 3, 2, 13, 30, tzinfo=UTC)])
def test_iso_datetimes_are_taken(value: object) -> None:
    assert Visit(at=value).at == datetime(2026, 3, 2, 13, 30, tzinfo=UTC)


@pytest.mark.parametrize("value", [0, "1772409600", "2026-03-02", "yesterday"])
def test_anything_else_is_refused_as_a_datetime(value: object) -> None:
    with pytest.raises(ValidationError, match="ISO 8601 date and time"):
        Visit(at=value)


def test_the_json_schema_still_says_date() -> None:
    properties = Visit.model_json_schema()["properties"]
    assert properties["on"]["anyOf"][0] == {"format": "date", "type": "string"}
    assert properties["at"]["anyOf"][0] == {"format": "date-time", "type": "string"}
