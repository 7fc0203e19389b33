"""The National Provider Identifier check digit (CMS NPI standard, ISO/IEC 7812 Luhn)."""

from __future__ import annotations

import re

from rcm_shared.ids import NPI_PATTERN

_TEN_ASCII_DIGITS = re.compile(NPI_PATTERN)
# An NPI is checked as if it were the 15-digit card-issuer number 80840 + NPI, so the prefix
# adds this constant to the Luhn sum of the first nine digits.
_PREFIX_LUHN_SUM = 24


def is_npi_format(npi: str) -> bool:
    """The form rcm_shared.ids.Npi checks in a request, for a value from elsewhere."""
    return _TEN_ASCII_DIGITS.fullmatch(npi) is not None


def is_valid_npi(npi: str) -> bool:
    """Ten digits whose last is the Luhn check digit of 80840 followed by the first nine."""
    if not is_npi_format(npi):
        return False
    total = _PREFIX_LUHN_SUM
    # Doubling starts at the rightmost of the nine payload digits.
    for position, char in enumerate(reversed(npi[:9])):
        digit = int(char)
        if position % 2 == 0:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return (10 - total % 10) % 10 == int(npi[9])
