"""Money as Decimal with two places: parsed from decimal strings, written as strings."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# Eight whole digits: the most an X12 amount (R18 with two decimals) and a NUMERIC(12,2)
# column carry, so no amount accepted here can fail downstream.
MONEY_PATTERN = r"^-?[0-9]{1,8}(\.[0-9]{1,2})?$"


def to_money(value: Decimal | int | str) -> Decimal:
    """Quantise to cents, rounding half up as payers do."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _parse(value: Any) -> Decimal:
    if isinstance(value, bool | float):
        raise ValueError("money must be a decimal string such as \"125.00\", not a float")
    if isinstance(value, Decimal):
        return to_money(value)
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(MONEY_PATTERN, text):
            raise ValueError("money must look like \"125.00\" (at most two decimal places)")
        try:
            return to_money(text)
        except InvalidOperation as exc:  # pragma: no cover - the pattern already excludes these
            raise ValueError("not a decimal amount") from exc
    # A JSON number is refused, whole or not: money is a decimal string both ways, as the
    # document says, so a client never learns to send numbers that a float would round.
    raise ValueError("money must be a decimal string such as \"125.00\"")


def format_money(value: Decimal) -> str:
    return str(to_money(value))


_MONEY_TEXT = {"type": "string", "pattern": MONEY_PATTERN, "examples": ["125.00"]}

Money = Annotated[
    Decimal,
    BeforeValidator(_parse),
    PlainSerializer(format_money, return_type=str),
    WithJsonSchema(_MONEY_TEXT),
]
