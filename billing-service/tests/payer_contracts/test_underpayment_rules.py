"""The comparison of a posted line with the contract, alone: which row prices the line, what
it is expected to be allowed, and by how much it was underpaid."""

from __future__ import annotations

from decimal import Decimal

from billing_service.contracts.underpayment import Comparison, compare, contract_rate, denied
from billing_service.payers.adapter import Adjustment, LineRemittance

RATES = {("99213", None): Decimal("130.00"), ("99213", "25"): Decimal("140.00"),
         ("20610", "RT"): Decimal("90.00"), ("36415", None): Decimal("3.33")}


def paid_line(allowed: str, paid: str, *adjustments: tuple[str, str, str],
              billed: str = "200.00") -> LineRemittance:
    return LineRemittance(
        line_number=1, procedure_code="99213", billed=Decimal(billed), allowed=Decimal(allowed),
        paid=Decimal(paid), adjustments=tuple(Adjustment(g, c, Decimal(a))  # type: ignore[arg-type]
                                              for g, c, a in adjustments))


def test_a_modifier_row_wins_over_the_code_row_and_the_code_row_prices_the_rest() -> None:
    assert contract_rate(RATES, "99213", ["25"]) == Decimal("140.00")
    assert contract_rate(RATES, "99213", ["59", "25"]) == Decimal("140.00")
    assert contract_rate(RATES, "99213", ["59"]) == Decimal("130.00")
    assert contract_rate(RATES, "99213", []) == Decimal("130.00")


def test_a_code_priced_only_with_a_modifier_has_no_rate_without_it() -> None:
    assert contract_rate(RATES, "20610", ["RT"]) == Decimal("90.00")
    assert contract_rate(RATES, "20610", ["LT"]) is None
    assert contract_rate(RATES, "20610", []) is None
    assert contract_rate(RATES, "99214", []) is None


def test_allowed_below_the_rate_times_the_units_is_underpaid_by_the_difference() -> None:
    line = paid_line("118.30", "94.64", ("CO", "45", "81.70"), ("PR", "2", "23.66"))
    assert compare(line, Decimal("130.00"), 1) == Comparison(Decimal("130.00"),
                                                             Decimal("11.70"))
    # Two units are expected twice the rate.
    assert compare(line, Decimal("130.00"), 2) == Comparison(Decimal("260.00"),
                                                             Decimal("141.70"))


def test_allowed_equal_to_or_above_the_contract_is_not_underpaid() -> None:
    line = paid_line("130.00", "104.00", ("CO", "45", "70.00"), ("PR", "2", "26.00"))
    assert compare(line, Decimal("130.00"), 1) == Comparison(Decimal("130.00"), Decimal("0.00"))
    assert compare(line, Decimal("129.99"), 1) == Comparison(Decimal("129.99"), Decimal("0.00"))
    assert compare(line, Decimal("130.01"), 1) == Comparison(Decimal("130.01"), Decimal("0.01"))


def test_the_expected_amount_is_exact_to_the_cent() -> None:
    # 3 x 3.33 is 9.99, not a float's 9.990000000000002: allowed 9.99 is paid in full.
    assert compare(paid_line("9.99", "9.99", ("CO", "45", "2.01"), billed="12.00"),
                   Decimal("3.33"), 3) == Comparison(Decimal("9.99"), Decimal("0.00"))
    assert compare(paid_line("9.98", "9.98", ("CO", "45", "2.02"), billed="12.00"),
                   Decimal("3.33"), 3) == Comparison(Decimal("9.99"), Decimal("0.01"))


def test_a_denied_line_is_not_compared_but_one_left_to_the_patient_is() -> None:
    refused = paid_line("0.00", "0.00", ("CO", "97", "200.00"))
    assert denied(refused)
    assert compare(refused, Decimal("130.00"), 1) is None
    # All of it to the deductible: the payer allowed it, and paid nothing.
    deductible = paid_line("118.30", "0.00", ("CO", "45", "81.70"), ("PR", "1", "118.30"))
    assert not denied(deductible)
    assert compare(deductible, Decimal("130.00"), 1) == Comparison(Decimal("130.00"),
                                                                   Decimal("11.70"))


def test_a_line_without_a_rate_is_not_compared() -> None:
    assert compare(paid_line("50.00", "50.00", ("CO", "45", "150.00")), None, 1) is None


def test_a_reversal_takes_back_what_was_found() -> None:
    assert Comparison(Decimal("130.00"), Decimal("11.70")).negated() == Comparison(
        Decimal("-130.00"), Decimal("-11.70"))
