"""Whether a payer allowed less for a posted line than the clinic's contract with it. Pure.

The contract's rate for a line is the row of its code with one of the line's modifiers (in the
line's order), else the code's own row; the line is expected to be allowed that rate times its
units. The payer's allowed amount is the one its 835 states (AMT*B6) or, without one, the
charge less its own reductions: what it paid plus what it left to the patient. A line allowed
less than expected is underpaid by the difference; a line the payer denied, or one the contract
has no rate for, is not compared."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from billing_service.payers.adapter import LineRemittance
from rcm_shared.money import ZERO, to_money

# (procedure code, modifier or None for the code's own row) -> the allowed amount per unit.
Rates = Mapping[tuple[str, str | None], Decimal]


@dataclass(frozen=True, slots=True)
class Comparison:
    expected: Decimal  # the contract's rate times the units
    underpaid: Decimal  # how far the allowed amount fell below it; 0.00 when it did not

    def negated(self) -> Comparison:
        """What a reversal of the remittance takes back."""
        return Comparison(expected=-self.expected, underpaid=-self.underpaid)


def contract_rate(rates: Rates, procedure_code: str, modifiers: Sequence[str]) -> Decimal | None:
    """The rate per unit for a line of `procedure_code` with `modifiers`: a modifier's row
    wins over the code's own row; None when the contract prices neither."""
    for modifier in modifiers:
        rate = rates.get((procedure_code, modifier))
        if rate is not None:
            return rate
    return rates.get((procedure_code, None))


def denied(line: LineRemittance) -> bool:
    """Nothing paid and nothing left to the patient: the payer refused the line."""
    return line.paid == ZERO and not any(a.group == "PR" and a.amount != ZERO
                                         for a in line.adjustments)


def compare(line: LineRemittance, rate: Decimal | None, units: int) -> Comparison | None:
    """The line as posted against the contract's `rate` per unit for `units`; None when it is
    not compared."""
    if rate is None or denied(line):
        return None
    expected = to_money(rate * units)
    return Comparison(expected=expected,
                      underpaid=max(to_money(expected - line.allowed), ZERO))
