from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError

from rcm_shared.money import MONEY_PATTERN, Money, to_money


class Priced(BaseModel):
    amount: Money


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("125.00", "125.00"), ("125", "125.00"), ("0.5", "0.50"), (Decimal("40"), "40.00"),
     ("-3.10", "-3.10")],
)
def test_money_parses_decimal_strings_to_cents(raw: object, expected: str) -> None:
    model = Priced(amount=raw)
    assert model.amount == Decimal(expected)
    assert model.model_dump(mode="json") == {"amount": expected}


@pytest.mark.parametrize("raw", [12.5, True, "12.345", "1e3", "abc", "", None, "12,00"])
def test_money_refuses_floats_and_malformed_amounts(raw: object) -> None:
    with pytest.raises(ValidationError):
        Priced(amount=raw)


def test_to_money_rounds_half_up_to_the_cent() -> None:
    assert to_money(Decimal("0.125")) == Decimal("0.13")
    assert to_money(Decimal("0.124")) == Decimal("0.12")
    assert to_money(Decimal("-0.125")) == Decimal("-0.13")


def test_money_json_schema_is_a_patterned_string_both_ways() -> None:
    for mode in ("serialization", "validation"):
        amount = Priced.model_json_schema(mode=mode)["properties"]["amount"]
        assert (amount["type"], amount["pattern"]) == ("string", MONEY_PATTERN)
        assert "anyOf" not in amount


@pytest.mark.parametrize("number", [125, 0, 180.5, True])
def test_a_number_is_not_money(number: object) -> None:
    with pytest.raises(ValidationError, match="decimal string"):
        Priced.model_validate({"amount": number})
    assert Priced.model_validate({"amount": "125"}).amount == Decimal("125.00")


@pytest.mark.parametrize("raw", ["100000000", "-100000000", "100000000.00"])
def test_amounts_have_at_most_eight_whole_digits(raw: str) -> None:
    with pytest.raises(ValidationError):
        Priced(amount=raw)


def test_the_largest_amount_an_x12_file_carries_is_accepted() -> None:
    assert Priced(amount="99999999.99").amount == Decimal("99999999.99")
    assert Priced(amount="-99999999").amount == Decimal("-99999999.00")


def test_only_ascii_digits_make_money() -> None:
    with pytest.raises(ValidationError):
        Priced(amount="١٢٣.٠٠")
