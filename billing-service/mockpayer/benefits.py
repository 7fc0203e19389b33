"""How the mock payer answers an eligibility inquiry (270) from its member and plan data and
the member's plan-year accumulator: active or not, the plan, and what is left of the
deductible and the out-of-pocket maximum. Pure."""

from __future__ import annotations

from datetime import date

from billing_service.x12.eligibility import (
    INSURANCE_TYPES,
    INVALID_MEMBER_ID,
    INVALID_PAYER,
    MEMBER_NOT_FOUND,
    Amounts,
    EligibilityAnswer,
    EligibilityInquiry,
)
from mockpayer.engine import Accumulator, PayerRules, find_member, member_plan, opening_accumulator
from rcm_shared.money import ZERO


def member_of_inquiry(rules: PayerRules | None, inquiry: EligibilityInquiry) -> str | None:
    """The AAA reject reason when the inquiry cannot be answered, None when it can."""
    if rules is None or not rules.info.active:
        return INVALID_PAYER
    if find_member(rules, inquiry.member_id) is not None:
        return None
    scripted = rules.roster.get(inquiry.member_id)
    if scripted is None and not rules.member_id_pattern.fullmatch(inquiry.member_id):
        return INVALID_MEMBER_ID
    return MEMBER_NOT_FOUND


def answer(
    inquiry: EligibilityInquiry, rules: PayerRules | None, accumulator: Accumulator | None
) -> EligibilityAnswer:
    """`accumulator`: the member's totals for the plan year of the date of service, None when
    no claim counted toward it yet (the member's opening amounts then)."""
    refused = member_of_inquiry(rules, inquiry)
    member = find_member(rules, inquiry.member_id) if rules is not None else None
    if refused is not None or rules is None or member is None:
        return EligibilityAnswer(inquiry.trace_number, "error", (refused or INVALID_PAYER,))
    plan = member_plan(rules, member, None)
    insurance_type = INSURANCE_TYPES.get(plan.kind, "C1")
    if member.coverage_end is not None and inquiry.date_of_service > member.coverage_end:
        return EligibilityAnswer(inquiry.trace_number, "inactive", plan_code=plan.code,
                                 plan_name=plan.name, insurance_type=insurance_type,
                                 plan_end=member.coverage_end)
    totals = accumulator or opening_accumulator(member)
    return EligibilityAnswer(
        inquiry.trace_number,
        "active",
        plan_code=plan.code,
        plan_name=plan.name,
        insurance_type=insurance_type,
        plan_begin=date(inquiry.date_of_service.year, 1, 1),
        plan_end=member.coverage_end,
        deductible=Amounts(plan.deductible,
                           max(ZERO, plan.deductible - totals.deductible_met)),
        out_of_pocket=Amounts(plan.out_of_pocket_max,
                              max(ZERO, plan.out_of_pocket_max - totals.out_of_pocket_met)),
        copay=plan.copay,
        coinsurance_percent=plan.coinsurance_percent,
    )
