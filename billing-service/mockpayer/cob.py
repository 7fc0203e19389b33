"""How the mock payer pays after another payer: coordination of benefits. Pure, no I/O.

A claim sent as secondary (or tertiary) carries what each payer before did with it (837P loops
2320 and 2430). The payer prices each line as it would as primary, then pays no more than the
patient still owes after the payer before it:

- a commercial plan (standard COB) pays the lesser of its own benefit as primary and what the
  patient still owes;
- a Medicare supplement plan pays what Medicare left to the patient as deductible and
  coinsurance, whatever its own pricing would say (it follows Medicare's decision).

What the payers before paid or adjusted is OA-23 (impact of prior payer adjudication); what the
patient still owes afterwards keeps the reason the payer before gave for it, the secondary
paying the deductible first, then coinsurance, then copay.
"""

from __future__ import annotations

from decimal import Decimal

from billing_service.payers.adapter import (
    Adjustment,
    ClaimLineForPayer,
    LineRemittance,
    PlanInfo,
    PriorLineAdjudication,
    PriorPayerAdjudication,
)
from rcm_shared.money import ZERO

CARC_PRIOR_PAYER = "23"
CARC_OTHER_PAYER_PRIMARY = "22"
# The order a later payer's payment settles what the patient owed after the payer before.
_SETTLED_FIRST = ("1", "2", "3")
# What a Medicare supplement pays of Medicare's patient share: the Part B deductible and the
# coinsurance.
_SUPPLEMENT_PAYS = frozenset({"1", "2"})


def prior_line(
    prior_payers: tuple[PriorPayerAdjudication, ...], line_number: int
) -> PriorLineAdjudication | None:
    """The last payer's decision on the line: what the patient owes after it is what is left."""
    if not prior_payers:
        return None
    return next(
        (line for line in prior_payers[-1].lines if line.line_number == line_number), None
    )


def coordinate_line(
    line: ClaimLineForPayer,
    as_primary: LineRemittance,
    before: PriorLineAdjudication,
    plan: PlanInfo,
) -> LineRemittance:
    """The line as this payer pays it after the payer before (`before`)."""
    owed = [a for a in before.adjustments if a.group == "PR" and a.amount > ZERO]
    owed_total = sum((a.amount for a in owed), ZERO)
    if plan.kind == "supplement":
        benefit = sum((a.amount for a in owed if a.carc in _SUPPLEMENT_PAYS), ZERO)
    else:
        benefit = as_primary.paid
    paid = min(benefit, owed_total)
    adjustments = [Adjustment("OA", CARC_PRIOR_PAYER, line.charge - owed_total)]
    adjustments.extend(_still_owed(owed, paid))
    # A supplement allows what Medicare allowed: what it paid plus what it left to the patient.
    allowed = before.paid + owed_total if plan.kind == "supplement" else as_primary.allowed
    return LineRemittance(
        line_number=line.line_number,
        procedure_code=line.procedure_code,
        billed=line.charge,
        allowed=allowed,
        paid=paid,
        adjustments=tuple(a for a in adjustments if a.amount != ZERO),
        rarc=as_primary.rarc if paid == ZERO else (),
    )


def _still_owed(owed: list[Adjustment], paid: Decimal) -> list[Adjustment]:
    """The patient's share after `paid` settled the items owed, each keeping its reason."""
    rank = {carc: position for position, carc in enumerate(_SETTLED_FIRST)}
    settling = sorted(owed, key=lambda a: rank.get(a.carc, len(rank)))
    left_to_settle = paid
    still: list[Adjustment] = []
    for item in settling:
        settled = min(item.amount, left_to_settle)
        left_to_settle -= settled
        if item.amount > settled:
            still.append(Adjustment("PR", item.carc, item.amount - settled))
    return still
