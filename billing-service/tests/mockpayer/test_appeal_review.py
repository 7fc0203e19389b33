"""How the mock payer reviews a distinct-procedure modifier before paying it, and decides an
appeal: overturned for a distinct procedure NCCI allows by its modifier, upheld otherwise."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal as D

from payer_judging import TODAY, adjustments, judge

from mockpayer.engine import Accumulator, adjudicate, review_appeal

MET = Accumulator(D("500.00"), D("500.00"))


def test_a_distinct_procedure_modifier_waits_for_the_record_at_a_reviewing_payer(
        rules, make_claim):
    claim = make_claim(("97530", "60.00"), ("97140", "50.00", ("59",)), member_id="W100000002")
    activities, manual = judge(claim, rules, MET).remittance.lines
    assert adjustments(manual) == [("CO", "97", "50.00")]
    assert manual.rarc == ("M15", "M127")
    assert adjustments(activities) == [("CO", "45", "15.80"), ("PR", "2", "8.84")]
    # A payer that does not review modifiers pays the line on the modifier alone.
    trusting = {"MOCK-PPO": replace(rules["MOCK-PPO"], reviews_distinct_procedures=False)}
    _, paid = judge(claim, trusting, MET).remittance.lines
    assert adjustments(paid) == [("CO", "45", "14.90"), ("PR", "2", "7.02")]
    assert paid.paid == D("28.08")


def test_an_appeal_overturns_the_documented_distinct_procedure_and_pays_it(
        rules, make_claim):
    claim = make_claim(("97530", "60.00"), ("97140", "50.00", ("XU",)), member_id="W100000002")
    ppo = rules["MOCK-PPO"]
    review = review_appeal(claim, judge(claim, rules, MET).remittance, ppo)
    assert (review.outcome, review.overturned_lines) == ("overturned", frozenset({2}))
    assert "line 2" in review.explanation
    again = adjudicate(claim, ppo, accumulator=MET, received_on=TODAY, duplicate=False,
                       payer_claim_control_number="PPO0000000042", paid_date=TODAY,
                       reviewed_lines=review.overturned_lines).remittance
    assert again.status == "paid"
    assert (again.paid, again.patient_responsibility) == (D("63.44"), D("15.86"))


def test_an_appeal_of_a_bundling_no_modifier_bypasses_is_upheld(rules, make_claim):
    without = make_claim(("97530", "60.00"), ("97140", "50.00"), member_id="W100000002")
    review = review_appeal(without, judge(without, rules, MET).remittance, rules["MOCK-PPO"])
    assert review.outcome == "upheld" and "line 2 (97)" in review.explanation
    never = make_claim(("80053", "40.00"), ("82947", "15.00", ("59",)))
    review = review_appeal(never, judge(never, rules).remittance, rules["MOCK-PPO"])
    assert (review.outcome, review.overturned_lines) == ("upheld", frozenset())


def test_an_appeal_of_a_timely_filing_denial_is_upheld(rules, make_claim):
    claim = make_claim(("97530", "60.00"), ("97140", "50.00", ("59",)))
    late = judge(claim, rules, received_on=claim.date_of_service + timedelta(days=181))
    assert {a.carc for line in late.remittance.lines for a in line.adjustments} == {"29"}
    review = review_appeal(claim, late.remittance, rules["MOCK-PPO"])
    assert review.outcome == "upheld"
    assert "timely filing limit" in review.explanation
    assert review.explanation.count("line") == 2


def test_an_appeal_of_a_paid_claim_is_upheld_with_nothing_to_review(rules, make_claim):
    claim = make_claim(("99213", "150.00"))
    review = review_appeal(claim, judge(claim, rules).remittance, rules["MOCK-PPO"])
    assert (review.outcome, review.explanation) == (
        "upheld", "Upheld: nothing on the claim was denied.")


def test_an_appeal_overturns_only_the_lines_it_can_and_upholds_the_rest(rules, make_claim):
    claim = make_claim(("97530", "60.00"), ("97140", "50.00", ("XS",)), ("97810", "80.00"),
                       member_id="W100000002")
    ppo = rules["MOCK-PPO"]
    first = judge(claim, rules, MET).remittance
    assert [adjustments(line)[0][1] for line in first.lines[1:]] == ["97", "96"]
    review = review_appeal(claim, first, ppo)
    assert (review.outcome, review.overturned_lines) == ("overturned", frozenset({2}))
    assert "Upheld for line 3 (96): the plan does not cover the service" in review.explanation
    again = adjudicate(claim, ppo, accumulator=MET, received_on=TODAY, duplicate=False,
                       payer_claim_control_number="PPO0000000042", paid_date=TODAY,
                       reviewed_lines=review.overturned_lines).remittance
    assert again.status == "partially_paid"
    assert [line.paid for line in again.lines] == [D("35.36"), D("28.08"), D("0.00")]
