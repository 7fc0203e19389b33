"""The postal address both services take, and the checks an address must pass to be billed.

The request shape is lenient (any short text), so that coding-service can report a wrong state
or ZIP code as a validation issue the coder fixes, and billing-service as a 422 naming the field;
the checks themselves live here once.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import StringConstraints, field_validator

from rcm_shared.schemas import RequestModel

# USPS two-letter codes: the states, the District of Columbia, the territories and freely
# associated states, and the armed forces' "states" (AA, AE, AP), as USPS Publication 28 lists.
USPS_STATES = frozenset({
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN",
    "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV",
    "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN",
    "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "AS", "GU", "MP", "PR", "VI",
    "FM", "MH", "PW", "AA", "AE", "AP",
})
_ZIP = re.compile(r"[0-9]{5}(?:[0-9]{4})?")

# X12 005010 element sizes: N301/N302 address lines 1-55, N401 city 2-30.
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=55)]
City = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=30)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=12)]


class Address(RequestModel):
    line1: Line
    line2: Line | None = None
    city: City
    state: ShortText
    postal_code: ShortText

    @field_validator("state")
    @classmethod
    def _upper_state(cls, value: str) -> str:
        return value.upper()

    @field_validator("postal_code")
    @classmethod
    def _without_hyphen(cls, value: str) -> str:
        # Stored as sent but for the hyphen of ZIP+4 ("12345-6789" -> "123456789").
        return value.replace("-", "") if re.fullmatch(r"[0-9]{5}-[0-9]{4}", value) else value


def state_problem(state: str) -> str | None:
    """Why a state code is not a USPS one, or None."""
    if state in USPS_STATES:
        return None
    return f"'{state}' is not a USPS state code: use the two letters (e.g. NY, CA, PR)."


def postal_code_problem(postal_code: str, *, zip_plus_four: bool = False) -> str | None:
    """Why a ZIP code cannot be billed, or None. A billing provider needs all 9 digits."""
    if not _ZIP.fullmatch(postal_code):
        return (f"'{postal_code}' is not a ZIP code: 5 digits, or ZIP+4 as 9 digits or "
                "12345-6789.")
    if zip_plus_four and len(postal_code) != 9:
        return (f"'{postal_code}' has 5 digits; a billing provider's address needs the full "
                "ZIP+4 (9 digits), as the 837P requires for loop 2010AA.")
    return None
