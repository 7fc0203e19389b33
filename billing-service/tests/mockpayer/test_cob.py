"""The mock payer as a second payer: a Medicare supplement, standard commercial coordination of
benefits, and the denial of a claim sent to the wrong payer first. Every amount to the cent."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from payer_judging import NOTHING_MET, TODAY, adjustments, judge

from billing_service.payers.adapter import (
    ClaimForPayer,
    PriorLineAdjudication,
    PriorPayerAdjudication,
    Remittance,
)
from mockpayer.engine import Accumulator, PayerRules, give_back

D = Decimal
MEDICARE_MEMBER = "1AC2DE3FG45"


def after(
    primary: Remittance, claim: ClaimForPayer, payer_id: str, member_id: str, sequence: str = "S"
) -> ClaimForPayer:
    """The claim as billing sends it to the next payer, carrying the first payer's decision."""
    prior = PriorPayerAdjudication(
        payer_id=claim.payer_id,
        payer_name=claim.payer_id,
        member_id=claim.member_id,
        subscriber=claim.subscriber,
        relationship=claim.relationship,
        payer_sequence="P",
        claim_filing_indicator="MB",
        paid=primary.paid,
        patient_responsibility=primary.patient_responsibility,
        claim_adjustments=primary.claim_adjustments,
        lines=tuple(
            PriorLineAdjudication(
                line_number=line.line_number,
                procedure_code=line.procedure_code,
                paid=line.paid,
                adjustments=line.adjustments,
                adjudicated_on=TODAY,
            )
            for line in primary.lines
        ),
    )
    return replace(
        claim, payer_id=payer_id, member_id=member_id, plan_code=None,
        payer_sequence=sequence, prior_payers=(prior,),  # type: ignore[arg-type]
    )


def test_the_supplement_pays_medicares_deductible_and_coinsurance(rules, make_claim):
    claim = make_claim(("99214", "200.00"), payer_id="MOCK-MCR", member_id=MEDICARE_MEMBER)
    medicare = judge(claim, rules, Accumulator(D("200.00"), D("200.00"))).remittance
    # Medicare allows 129.00: 57.00 deductible left, 20% of 72.00 = 14.40, pays 57.60.
    assert medicare.paid == D("57.60") and medicare.patient_responsibility == D("71.40")

    supplement = judge(after(medicare, claim, "MOCK-SUPP", "S100000001"), rules).remittance
    (line,) = supplement.lines
    assert line.paid == D("71.40")
    assert line.allowed == D("129.00")
    assert adjustments(line) == [("OA", "23", "128.60")]
    assert supplement.patient_responsibility == D("0.00")
    assert supplement.status == "paid" and supplement.payer_sequence == "S"
    # Together the two payers pay what Medicare allowed; the patient owes nothing.
    assert medicare.paid + supplement.paid == line.allowed


def test_the_supplement_pays_nothing_where_medicare_left_the_patient_nothing(rules, make_claim):
    claim = make_claim(("99214", "200.00"), payer_id="MOCK-MCR", member_id="1EG4TE5MK73")
    medicare = judge(claim, rules, Accumulator(D("257.00"), D("257.00"))).remittance
    medicare_line = replace(medicare.lines[0], adjustments=medicare.lines[0].adjustments[:1],
                            paid=D("129.00"))
    medicare = replace(medicare, lines=(medicare_line,), paid=D("129.00"),
                       patient_responsibility=D("0.00"))
    (line,) = judge(after(medicare, claim, "MOCK-SUPP", "S100000001"), rules).remittance.lines
    assert line.paid == D("0.00")
    assert adjustments(line) == [("OA", "23", "200.00")]


def test_commercial_secondary_pays_its_own_benefit_when_that_is_less(rules, make_claim):
    # Medicare leaves 71.40 (57.00 deductible, 14.40 coinsurance). As primary, the PPO would
    # allow 167.70 and, its 500.00 deductible not met, pay nothing: the patient owes it all.
    claim = make_claim(("99214", "200.00"), payer_id="MOCK-MCR", member_id=MEDICARE_MEMBER)
    medicare = judge(claim, rules, Accumulator(D("200.00"), D("200.00"))).remittance
    ppo = judge(after(medicare, claim, "MOCK-PPO", "W123456789"), rules, NOTHING_MET)
    (line,) = ppo.remittance.lines
    assert line.paid == D("0.00")
    assert adjustments(line) == [("OA", "23", "128.60"), ("PR", "1", "57.00"),
                                 ("PR", "2", "14.40")]
    assert ppo.remittance.patient_responsibility == D("71.40")
    # The member's totals grow by what the member still owes, not by the PPO's own pricing.
    assert ppo.accumulator == Accumulator(D("57.00"), D("71.40"))


def test_commercial_secondary_never_pays_more_than_the_patient_still_owes(rules, make_claim):
    # Deductible met at the PPO: as primary it would pay 80% of 167.70 = 134.16; the patient
    # owes only 71.40 after Medicare, so that is what it pays, deductible first.
    claim = make_claim(("99214", "200.00"), payer_id="MOCK-MCR", member_id=MEDICARE_MEMBER)
    medicare = judge(claim, rules, Accumulator(D("200.00"), D("200.00"))).remittance
    ppo = judge(after(medicare, claim, "MOCK-PPO", "W100000002"), rules,
                Accumulator(D("500.00"), D("500.00")))
    (line,) = ppo.remittance.lines
    assert line.paid == D("71.40")
    assert adjustments(line) == [("OA", "23", "128.60")]
    assert ppo.accumulator == Accumulator(D("500.00"), D("500.00"))


def test_commercial_secondary_settles_the_deductible_before_the_coinsurance(rules, make_claim):
    # PPO deductible 490.00 met: as primary it allows 167.70, takes 10.00 deductible and
    # 20% of 157.70 = 31.54, paying 126.16; after the HMO it pays at most what is owed.
    claim = make_claim(("99214", "200.00"), payer_id="MOCK-HMO", member_id="H12345678")
    hmo = judge(claim, rules, NOTHING_MET).remittance
    owed = hmo.patient_responsibility
    ppo = judge(after(hmo, claim, "MOCK-PPO", "W100000002"), rules,
                Accumulator(D("490.00"), D("490.00")))
    (line,) = ppo.remittance.lines
    assert line.paid == min(D("126.16"), owed)
    assert line.billed == line.paid + sum((a.amount for a in line.adjustments), D(0))


def test_a_line_the_secondary_excludes_leaves_the_patient_share_with_its_reason(rules,
                                                                                make_claim):
    claim = make_claim(("99214", "200.00"), ("S9999", "50.00"), payer_id="MOCK-MCR",
                       member_id=MEDICARE_MEMBER)
    medicare = judge(claim, rules, Accumulator(D("200.00"), D("200.00"))).remittance
    secondary = judge(after(medicare, claim, "MOCK-PPO", "W100000002"), rules,
                      Accumulator(D("500.00"), D("500.00"))).remittance
    excluded = secondary.lines[1]
    assert excluded.paid == D("0.00")
    owed_after_medicare = sum(
        (a.amount for a in medicare.lines[1].adjustments if a.group == "PR"), D(0)
    )
    assert sum((a.amount for a in excluded.adjustments if a.group == "PR"), D(0)) == (
        owed_after_medicare
    )


def test_a_member_whose_other_plan_is_primary_is_denied_co_22_as_primary(rules, make_claim):
    claim = make_claim(("99213", "150.00"), payer_id="MOCK-PPO", member_id="W100000004")
    remittance = judge(claim, rules).remittance
    assert remittance.status == "denied"
    (line,) = remittance.lines
    assert adjustments(line) == [("CO", "22", "150.00")]
    assert remittance.remark_codes == ("MA04",)


def test_the_same_member_is_paid_when_the_claim_comes_as_secondary(rules, make_claim):
    first = make_claim(("99213", "150.00"), payer_id="MOCK-HMO", member_id="H12345678")
    hmo = judge(first, rules).remittance
    claim = after(hmo, first, "MOCK-PPO", "W100000004")
    remittance = judge(claim, rules).remittance
    assert remittance.status == "paid"
    assert adjustments(remittance.lines[0])[0] == ("OA", "23", str(
        D("150.00") - hmo.patient_responsibility))


def test_a_supplement_never_pays_first(rules, make_claim):
    claim = make_claim(("99213", "150.00"), payer_id="MOCK-SUPP", member_id="S100000001")
    remittance = judge(claim, rules).remittance
    assert remittance.status == "denied"
    assert adjustments(remittance.lines[0]) == [("CO", "22", "150.00")]


def test_reversing_a_secondary_payment_gives_back_what_it_added(rules, make_claim):
    claim = make_claim(("99214", "200.00"), payer_id="MOCK-MCR", member_id=MEDICARE_MEMBER)
    medicare = judge(claim, rules, Accumulator(D("200.00"), D("200.00"))).remittance
    start = Accumulator(D("100.00"), D("150.00"))
    ppo = judge(after(medicare, claim, "MOCK-PPO", "W123456789"), rules, start)
    assert give_back(ppo.accumulator, ppo.remittance) == start


def test_a_secondary_claim_is_judged_on_its_own_coverage_dates(rules: dict[str, PayerRules],
                                                               make_claim):
    claim = make_claim(("99213", "150.00"), payer_id="MOCK-MCR", member_id=MEDICARE_MEMBER,
                       date_of_service=date(2026, 4, 2))
    medicare = judge(claim, rules, received_on=date(2026, 4, 20)).remittance
    # W100000001's PPO coverage ended on 2026-03-31.
    secondary = judge(after(medicare, claim, "MOCK-PPO", "W100000001"), rules,
                      received_on=date(2026, 4, 20)).remittance
    assert secondary.status == "denied"
    assert adjustments(secondary.lines[0]) == [("CO", "27", "150.00")]
