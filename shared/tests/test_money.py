from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError

from rcm_shared.money import Money, to_money


class Priced(BaseModel):
    amount: Money


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("125.00", "125.00"), ("125", "125.00"), ("0.5", "0.50"), (40, "40.00"), ("-3.10", "-3.10")],
)
def test_money_parses_strings_and_integers_to_cents(raw: object, expected: str) -> None:
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


def test_money_json_schema_answers_strings_and_takes_strings_or_whole_numbers() -> None:
    answered = Priced.model_json_schema(mode="serialization")["properties"]["amount"]
    assert answered["type"] == "string"
    taken = Priced.model_json_schema(mode="validation")["properties"]["amount"]
    assert [s["type"] for s in taken["anyOf"]] == ["string", "integer"]
    assert taken["anyOf"][1]["maximum"] == 9_999_999_999


@pytest.mark.parametrize("raw", [10**10, -(10**10)])
def test_whole_numbers_have_the_same_ten_digits_as_strings(raw: int) -> None:
    with pytest.raises(ValidationError):
        Priced(amount=raw)
    assert Priced(amount=raw - 1 if raw > 0 else raw + 1).amount.adjusted() == 9
