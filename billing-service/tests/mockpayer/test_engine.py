"""The mock payer's adjudication rules on the shipped data, every amount to the cent."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from payer_judging import NOTHING_MET, TODAY, adjustments, assert_balanced, judge

from mockpayer.engine import (
    Accumulator,
    OriginalClaim,
    duplicate_key,
    front_end_errors,
    give_back,
    reverse,
)

D = Decimal


# --- pricing and cost sharing -------------------------------------------------------------


def test_clean_ppo_claim_pays_coinsurance_after_a_met_deductible(rules, make_claim):
    # W100000002 starts every plan year with the 500.00 deductible met.
    claim = make_claim(("99213", "150.00"), ("36415", "10.00"), member_id="W100000002")
    result = judge(claim, rules, Accumulator(D("500.00"), D("500.00")))
    remittance = result.remittance
    visit, draw = remittance.lines
    assert (visit.allowed, visit.paid) == (D("118.30"), D("94.64"))
    assert adjustments(visit) == [("CO", "45", "31.70"), ("PR", "2", "23.66")]
    assert (draw.allowed, draw.paid) == (D("3.90"), D("3.12"))
    assert adjustments(draw) == [("CO", "45", "6.10"), ("PR", "2", "0.78")]
    assert remittance.status == "paid"
    assert (remittance.billed, remittance.paid) == (D("160.00"), D("97.76"))
    assert remittance.patient_responsibility == D("24.44")
    assert remittance.remittance_id == "PPO0000000042"
    assert remittance.paid_date == TODAY
    assert result.accumulator == Accumulator(D("500.00"), D("524.44"))


def test_billed_below_the_fee_schedule_is_allowed_as_billed(rules, make_claim):
    result = judge(make_claim(("99213", "100.00")), rules, Accumulator(D("500.00"), D("500.00")))
    (line,) = result.remittance.lines
    assert line.allowed == D("100.00")
    assert adjustments(line) == [("PR", "2", "20.00")]
    assert line.paid == D("80.00")


def test_units_multiply_the_fee_schedule(rules, make_claim):
    claim = make_claim(("97110", "120.00", (), 3))  # PPO 37.70 a unit
    result = judge(claim, rules, Accumulator(D("500.00"), D("500.00")))
    (line,) = result.remittance.lines
    assert line.allowed == D("113.10")
    assert adjustments(line) == [("CO", "45", "6.90"), ("PR", "2", "22.62")]


def test_a_code_without_a_fee_is_allowed_a_share_of_its_charge(rules, make_claim):
    # 99499 is not on the PPO fee schedule: allowed 60% of the charge.
    result = judge(make_claim(("99499", "100.01")), rules, Accumulator(D("500.00"), D("500.00")))
    (line,) = result.remittance.lines
    assert line.allowed == D("60.01")  # 60.006 rounded half up
    assert adjustments(line) == [("CO", "45", "40.00"), ("PR", "2", "12.00")]


def test_whole_allowed_to_the_deductible_is_paid_zero_not_denied(rules, make_claim):
    result = judge(make_claim(("99213", "150.00")), rules)
    remittance = result.remittance
    (line,) = remittance.lines
    assert remittance.status == "paid"
    assert remittance.paid == D("0.00")
    assert remittance.patient_responsibility == D("118.30")
    assert adjustments(line) == [("CO", "45", "31.70"), ("PR", "1", "118.30")]
    assert result.accumulator == Accumulator(D("118.30"), D("118.30"))


def test_deductible_partly_met_then_coinsurance(rules, make_claim):
    result = judge(make_claim(("99213", "150.00")), rules, Accumulator(D("400.00"), D("400.00")))
    (line,) = result.remittance.lines
    assert adjustments(line) == [("CO", "45", "31.70"), ("PR", "1", "100.00"), ("PR", "2", "3.66")]
    assert line.paid == D("14.64")
    assert result.accumulator == Accumulator(D("500.00"), D("503.66"))


def test_the_deductible_accumulates_across_two_claims_of_one_member(rules, make_claim):
    first = judge(make_claim(("99204", "300.00"), ("73560", "60.00"), ("71046", "55.00")), rules)
    assert first.remittance.paid == D("0.00")
    assert first.remittance.patient_responsibility == D("302.90")
    assert first.accumulator == Accumulator(D("302.90"), D("302.90"))

    second = judge(make_claim(("99215", "300.00")), rules, first.accumulator)
    (line,) = second.remittance.lines
    # 500.00 - 302.90 = 197.10 left of the deductible, then 20% of the remaining 39.50.
    assert adjustments(line) == [("CO", "45", "63.40"), ("PR", "1", "197.10"), ("PR", "2", "7.90")]
    assert line.paid == D("31.60")
    assert second.accumulator == Accumulator(D("500.00"), D("507.90"))


def test_hmo_copay_is_taken_once_per_visit_on_the_e_m_line(rules, make_claim):
    claim = make_claim(
        ("36415", "10.00"),
        ("99213", "150.00"),
        ("99212", "90.00", ("25",)),
        ("85025", "20.00"),
        payer_id="MOCK-HMO",
        member_id="H12345678",
    )
    draw, visit, second_visit, count = judge(claim, rules).remittance.lines
    assert adjustments(draw) == [("CO", "45", "6.55"), ("PR", "2", "0.35")]  # 0.345 half up
    assert draw.paid == D("3.10")
    assert adjustments(visit) == [("CO", "45", "45.35"), ("PR", "3", "25.00"), ("PR", "2", "7.97")]
    assert visit.paid == D("71.68")
    # 99212 at 64.40: no second copay, only the 10% coinsurance.
    assert adjustments(second_visit) == [("CO", "45", "25.60"), ("PR", "2", "6.44")]
    assert second_visit.paid == D("57.96")
    assert adjustments(count) == [("CO", "45", "11.06"), ("PR", "2", "0.89")]
    assert count.paid == D("8.05")


def test_hmo_copay_is_never_more_than_the_allowed_amount(rules, make_claim):
    claim = make_claim(("99211", "20.00"), payer_id="MOCK-HMO", member_id="H12345678")
    (line,) = judge(claim, rules).remittance.lines
    assert line.allowed == D("20.00")
    assert adjustments(line) == [("PR", "3", "20.00")]
    assert line.paid == D("0.00")


def test_preventive_services_carry_no_cost_sharing(rules, make_claim):
    claim = make_claim(
        ("99395", "200.00"),
        ("99213", "150.00", ("25",)),
        payer_id="MOCK-HMO",
        member_id="H12345678",
    )
    preventive, problem = judge(claim, rules).remittance.lines
    assert adjustments(preventive) == [("CO", "45", "62.00")]
    assert preventive.paid == D("138.00")
    # The copay goes to the problem-oriented visit, not the preventive one.
    assert adjustments(problem)[1] == ("PR", "3", "25.00")


def test_out_of_pocket_maximum_caps_the_members_share(rules, make_claim):
    # W100000003: deductible met and 50.00 short of the 3000.00 out-of-pocket maximum.
    claim = make_claim(("99215", "300.00", ("25",)), ("11042", "200.00"), member_id="W100000003")
    result = judge(claim, rules, Accumulator(D("500.00"), D("2950.00")))
    visit, debridement = result.remittance.lines
    assert adjustments(visit) == [("CO", "45", "63.40"), ("PR", "2", "47.32")]
    assert visit.paid == D("189.28")
    # 20% would be 29.90; only 2.68 is left under the maximum.
    assert adjustments(debridement) == [("CO", "45", "50.50"), ("PR", "2", "2.68")]
    assert debridement.paid == D("146.82")
    assert result.accumulator == Accumulator(D("500.00"), D("3000.00"))

    after = judge(make_claim(("99213", "150.00")), rules, result.accumulator)
    (line,) = after.remittance.lines
    assert adjustments(line) == [("CO", "45", "31.70")]
    assert line.paid == D("118.30")


def test_medicare_plan_applies_its_deductible_and_coinsurance(rules, make_claim):
    claim = make_claim(("99214", "200.00"), payer_id="MOCK-MCR", member_id="1AC2DE3FG45")
    (line,) = judge(claim, rules, Accumulator(D("200.00"), D("200.00"))).remittance.lines
    # 57.00 left of the 257.00 deductible, then 20% of 72.00.
    assert adjustments(line) == [("CO", "45", "71.00"), ("PR", "1", "57.00"), ("PR", "2", "14.40")]
    assert line.paid == D("57.60")


# --- line denials -------------------------------------------------------------------------


def test_non_covered_code_is_denied_co_96_and_the_rest_is_paid(rules, make_claim):
    claim = make_claim(("97810", "80.00"), ("99213", "150.00"), member_id="W100000002")
    result = judge(claim, rules, Accumulator(D("500.00"), D("500.00")))
    acupuncture, visit = result.remittance.lines
    assert adjustments(acupuncture) == [("CO", "96", "80.00")]
    assert acupuncture.rarc == ("N130",)
    assert (acupuncture.allowed, acupuncture.paid) == (D("0.00"), D("0.00"))
    assert visit.paid == D("94.64")
    assert result.remittance.status == "partially_paid"


def test_covered_code_is_not_denied_co_96(rules, make_claim):
    (line,) = judge(make_claim(("97110", "40.00")), rules).remittance.lines
    assert "96" not in {a.carc for a in line.adjustments}


def test_a_prefix_exclusion_denies_every_code_under_it(rules, make_claim):
    claim = make_claim(("S9083", "100.00"), payer_id="MOCK-MCR", member_id="1AC2DE3FG45")
    result = judge(claim, rules)
    (line,) = result.remittance.lines
    assert adjustments(line) == [("CO", "96", "100.00")]
    assert line.rarc == ("M51",)
    assert result.remittance.status == "denied"
    assert result.accumulator == NOTHING_MET


def test_every_line_denied_is_a_denied_claim(rules, make_claim):
    claim = make_claim(("97810", "80.00"), ("15780", "900.00"))
    remittance = judge(claim, rules).remittance
    assert remittance.status == "denied"
    assert remittance.paid == D("0.00")
    assert remittance.patient_responsibility == D("0.00")


def test_bundled_e_m_without_modifier_25_is_denied_co_97(rules, make_claim):
    claim = make_claim(("20610", "200.00"), ("99213", "150.00"), member_id="W100000002")
    result = judge(claim, rules, Accumulator(D("500.00"), D("500.00")))
    injection, visit = result.remittance.lines
    assert adjustments(visit) == [("CO", "97", "150.00")]
    assert visit.rarc == ("M15",)
    assert adjustments(injection) == [("CO", "45", "116.80"), ("PR", "2", "16.64")]
    assert result.remittance.status == "partially_paid"


def test_modifier_25_on_the_e_m_bypasses_the_bundling_edit(rules, make_claim):
    claim = make_claim(("20610", "200.00"), ("99213", "150.00", ("25",)), member_id="W100000002")
    result = judge(claim, rules, Accumulator(D("500.00"), D("500.00")))
    injection, visit = result.remittance.lines
    assert adjustments(visit) == [("CO", "45", "31.70"), ("PR", "2", "23.66")]
    assert result.remittance.status == "paid"


def test_indicator_0_pairs_are_bundled_whatever_the_modifier(rules, make_claim):
    claim = make_claim(("80053", "40.00"), ("82947", "15.00", ("59",)))
    panel, glucose = judge(claim, rules).remittance.lines
    assert adjustments(glucose) == [("CO", "97", "15.00")]
    assert panel.allowed == D("13.73")


def test_a_column_1_code_that_is_itself_excluded_bundles_nothing(rules, make_claim):
    # No shipped payer excludes a column 1 code: exclude 20610 from a copy of the PPO.
    ppo = rules["MOCK-PPO"]
    excluded = {"MOCK-PPO": replace(ppo, non_covered={**ppo.non_covered, "20610": "N130"})}
    claim = make_claim(("20610", "200.00"), ("99213", "150.00"))
    injection, visit = judge(claim, excluded).remittance.lines
    assert adjustments(injection) == [("CO", "96", "200.00")]
    assert visit.allowed == D("118.30")


# --- claim-level denials ------------------------------------------------------------------


def test_duplicate_claim_is_denied_co_18_with_n522(rules, make_claim):
    remittance = judge(
        make_claim(("99213", "150.00"), ("36415", "10.00")), rules, duplicate=True
    ).remittance
    assert remittance.status == "denied"
    assert [adjustments(line) for line in remittance.lines] == [
        [("CO", "18", "150.00")],
        [("CO", "18", "10.00")],
    ]
    assert remittance.remark_codes == ("N522",)


def test_duplicate_key_matches_the_same_lines_in_any_order_only(make_claim):
    first = make_claim(("99213", "150.00", ("25",)), ("36415", "10.00"))
    reordered = make_claim(("36415", "10"), ("99213", "150.00", ("25",)))
    assert duplicate_key(first) == duplicate_key(reordered)
    assert duplicate_key(first) != duplicate_key(
        make_claim(("99213", "150.00"), ("36415", "10.00"))
    )
    assert duplicate_key(first) != duplicate_key(
        make_claim(("99213", "150.00", ("25",)), ("36415", "10.00"), member_id="W123456788")
    )
    assert duplicate_key(first) != duplicate_key(
        make_claim(
            ("99213", "150.00", ("25",)), ("36415", "10.00"), date_of_service=date(2026, 11, 3)
        )
    )
    assert duplicate_key(first) != duplicate_key(
        make_claim(("99213", "150.00", ("25",)), ("36415", "10.00"), billing_npi="1245319599")
    )


def test_coverage_ended_before_the_date_of_service_is_denied_co_27(rules, make_claim):
    # W100000001's coverage ended on 2026-03-31.
    received = date(2026, 4, 15)
    after = make_claim(
        ("99213", "150.00"), member_id="W100000001", date_of_service=date(2026, 4, 1)
    )
    remittance = judge(after, rules, received_on=received).remittance
    assert remittance.status == "denied"
    assert adjustments(remittance.lines[0]) == [("CO", "27", "150.00")]

    last_day = make_claim(
        ("99213", "150.00"), member_id="W100000001", date_of_service=date(2026, 3, 31)
    )
    assert judge(last_day, rules, received_on=received).remittance.status == "paid"


def test_claim_received_past_the_filing_limit_is_denied_co_29(rules, make_claim):
    # The PPO allows 180 days: 2026-05-30 is 181 days before 2026-11-27.
    late = make_claim(("99213", "150.00"), date_of_service=date(2026, 5, 30))
    remittance = judge(late, rules).remittance
    assert remittance.status == "denied"
    assert adjustments(remittance.lines[0]) == [("CO", "29", "150.00")]

    in_time = make_claim(("99213", "150.00"), date_of_service=date(2026, 5, 31))
    assert judge(in_time, rules).remittance.status == "paid"


def test_medicare_allows_a_year_to_file(rules, make_claim):
    claim = make_claim(
        ("99213", "150.00"),
        payer_id="MOCK-MCR",
        member_id="1AC2DE3FG45",
        date_of_service=date(2026, 1, 2),
    )
    assert judge(claim, rules).remittance.status == "paid"


@pytest.mark.parametrize(
    ("change", "remark"),
    [
        ({"pointers": (2,)}, "M76"),
        ({"pointers": ()}, "M76"),
        ({"diagnoses": ("J069",)}, "M76"),
    ],
)
def test_unusable_diagnosis_information_is_denied_co_16(rules, make_claim, change, remark):
    remittance = judge(make_claim(("99213", "150.00"), **change), rules).remittance
    assert remittance.status == "denied"
    assert adjustments(remittance.lines[0]) == [("CO", "16", "150.00")]
    assert remittance.remark_codes == (remark,)


def test_zero_units_and_zero_charge_are_denied_co_16(rules, make_claim):
    units = judge(make_claim(("99213", "150.00", (), 0)), rules).remittance
    assert units.remark_codes == ("M53",)
    charge = judge(make_claim(("99213", "0.00")), rules).remittance
    assert charge.remark_codes == ("M79",)
    assert adjustments(charge.lines[0]) == [("CO", "16", "0.00")]


def test_two_diagnoses_with_valid_pointers_are_not_co_16(rules, make_claim):
    claim = make_claim(("99213", "150.00"), diagnoses=("J06.9", "E11.9"), pointers=(1, 2))
    assert judge(claim, rules).remittance.status == "paid"


# --- replacement and void -----------------------------------------------------------------


def test_reversal_negates_every_amount_and_gives_the_accumulator_back(rules, make_claim):
    original = judge(make_claim(("99215", "300.00")), rules, Accumulator(D("302.90"), D("302.90")))
    reversal = reverse(original.remittance, paid_date=TODAY)
    assert_balanced(reversal)
    assert reversal.status == "reversed"
    assert reversal.remittance_id == "PPO0000000042-R"
    assert reversal.payer_claim_control_number == "PPO0000000042"
    assert (reversal.billed, reversal.paid, reversal.patient_responsibility) == (
        D("-300.00"),
        D("-31.60"),
        D("-205.00"),
    )
    (line,) = reversal.lines
    assert adjustments(line) == [
        ("CO", "45", "-63.40"),
        ("PR", "1", "-197.10"),
        ("PR", "2", "-7.90"),
    ]
    assert give_back(original.accumulator, original.remittance) == Accumulator(
        D("302.90"), D("302.90")
    )

    # The replacement is priced as if the original had never been paid.
    replacement = judge(
        make_claim(("99215", "300.00"), frequency_code="7", original="PPO0000000042"),
        rules,
        give_back(original.accumulator, original.remittance),
    )
    assert replacement.remittance.lines == original.remittance.lines
    assert replacement.accumulator == original.accumulator


def test_reversing_a_zero_amount_gives_zero_not_minus_zero(rules, make_claim):
    denied = judge(make_claim(("97810", "80.00")), rules).remittance
    reversal = reverse(denied, paid_date=TODAY)
    assert str(reversal.paid) == "0.00"
    assert str(reversal.lines[0].allowed) == "0.00"


# --- front-end edits ----------------------------------------------------------------------


def test_a_clean_claim_passes_the_front_end(rules, make_claim):
    assert front_end_errors(make_claim(("99213", "150.00")), rules["MOCK-PPO"], None) == ()


@pytest.mark.parametrize(
    ("payer_id", "member_id", "accepted"),
    [
        ("MOCK-PPO", "W123456789", True),
        ("MOCK-PPO", "W12345678", False),
        ("MOCK-PPO", "H12345678", False),
        ("MOCK-PPO", "W000000000", False),  # well-formed, scripted as not on file
        ("MOCK-HMO", "H12345678", True),
        ("MOCK-HMO", "H1234567X", False),
        ("MOCK-MCR", "1EG4TE5MK73", True),
        ("MOCK-MCR", "1SG4TE5MK73", False),  # S is never used in an MBI
        ("MOCK-MCR", "1EG4TE5MK7", False),
    ],
)
def test_member_id_format_decides_subscriber_found(
    rules, make_claim, payer_id, member_id, accepted
):
    claim = make_claim(("99213", "150.00"), payer_id=payer_id, member_id=member_id)
    errors = front_end_errors(claim, rules[payer_id], None)
    if accepted:
        assert errors == ()
    else:
        assert errors == (("A7:33", "Subscriber not found; the member id is not on file."),)


def test_inactive_and_unknown_payers_are_rejected(rules, make_claim):
    old = make_claim(("99213", "150.00"), payer_id="MOCK-OLD", member_id="L123456789")
    (error,) = front_end_errors(old, rules["MOCK-OLD"], None)
    assert error[0] == "A3:116"
    assert "no longer accepts claims" in error[1]
    unknown = make_claim(("99213", "150.00"), payer_id="ACME")
    assert [code for code, _ in front_end_errors(unknown, None, None)] == ["A3:116"]


def test_bad_npis_are_rejected_naming_the_provider(rules, make_claim):
    claim = make_claim(("99213", "150.00"), billing_npi="1234567890", rendering_npi="1245319590")
    assert [code for code, _ in front_end_errors(claim, rules["MOCK-PPO"], None)] == [
        "A7:562:85",
        "A7:562:82",
    ]


def test_npis_in_other_scripts_digits_are_rejected(rules, make_claim):
    # 1234567893 in Arabic-Indic digits: str.isdigit() and int() take them, the 837P cannot.
    arabic = "1234567893".translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    claim = make_claim(("99213", "150.00"), billing_npi=arabic)
    assert [code for code, _ in front_end_errors(claim, rules["MOCK-PPO"], None)] == [
        "A7:562:85"
    ]


def test_missing_information_is_rejected_at_the_front_end(rules, make_claim):
    no_diagnosis = make_claim(("99213", "150.00"), diagnoses=())
    assert [c for c, _ in front_end_errors(no_diagnosis, rules["MOCK-PPO"], None)] == ["A6:254"]
    no_lines = make_claim()
    assert [c for c, _ in front_end_errors(no_lines, rules["MOCK-PPO"], None)] == ["A6:21"]
    wrong_total = make_claim(("99213", "150.00"), ("36415", "10.00"), total=D("150.00"))
    ((code, message),) = front_end_errors(wrong_total, rules["MOCK-PPO"], None)
    assert code == "A7:178"
    assert "150.00" in message and "160.00" in message
    too_many = make_claim(*[("36415", "10.00")] * 51)
    assert [c for c, _ in front_end_errors(too_many, rules["MOCK-PPO"], None)] == ["A7:21"]


def test_medicare_rejects_replacements_and_voids(rules, make_claim):
    original = OriginalClaim("MOCK-MCR", "1EG4TE5MK73", replaceable=True)
    for frequency in ("7", "8"):
        claim = make_claim(
            ("99213", "150.00"),
            payer_id="MOCK-MCR",
            member_id="1EG4TE5MK73",
            frequency_code=frequency,
            original="MCR0000000001",
        )
        ((code, message),) = front_end_errors(claim, rules["MOCK-MCR"], original)
        assert code == "A7:535"
        assert "reopen" in message


def test_commercial_plan_accepts_a_replacement_of_a_claim_on_file(rules, make_claim):
    claim = make_claim(("99213", "150.00"), frequency_code="7", original="PPO0000000001")
    on_file = OriginalClaim("MOCK-PPO", "W123456789", replaceable=True)
    assert front_end_errors(claim, rules["MOCK-PPO"], on_file) == ()


@pytest.mark.parametrize(
    ("original_number", "original", "code"),
    [
        (None, None, "A6:464"),
        ("PPO0000009999", None, "A7:464"),
        ("PPO0000000001", OriginalClaim("MOCK-PPO", "W999999999", replaceable=True), "A7:464"),
        ("PPO0000000001", OriginalClaim("MOCK-HMO", "W123456789", replaceable=True), "A7:464"),
        ("PPO0000000001", OriginalClaim("MOCK-PPO", "W123456789", replaceable=False), "A7:464"),
    ],
)
def test_replacement_or_void_needs_an_original_still_standing(
    rules, make_claim, original_number, original, code
):
    for frequency in ("7", "8"):
        claim = make_claim(("99213", "150.00"), frequency_code=frequency, original=original_number)
        assert [c for c, _ in front_end_errors(claim, rules["MOCK-PPO"], original)] == [code]


# --- every remittance balances ------------------------------------------------------------


def test_every_line_of_every_remittance_balances(rules, make_claim):
    """A property over many generated claims: every payer, member kind, code (covered,
    excluded, bundled, unlisted), modifier, unit count, charge, accumulator and denial."""
    generator = random.Random(20261127)
    members = {
        "MOCK-PPO": ["W123456789", "W100000001", "W100000002", "W100000003"],
        "MOCK-HMO": ["H12345678", "H10000001"],
        "MOCK-MCR": ["1EG4TE5MK73", "1AC2DE3FG45"],
    }
    codes = sorted({code for payer in rules.values() for code in payer.fee_schedule})
    codes += ["97810", "15780", "S9083", "99499", "97597"]
    statuses: set[str] = set()
    for _ in range(400):
        payer_id = generator.choice(sorted(members))
        lines = [
            (
                generator.choice(codes),
                str(D(generator.randint(0, 60000)) / 100),
                tuple(generator.sample(["25", "59", "XS", "LT"], generator.randint(0, 2))),
                generator.choice([0, 1, 1, 1, 2, 3]),
            )
            for _ in range(generator.randint(1, 6))
        ]
        claim = make_claim(
            *lines,
            payer_id=payer_id,
            member_id=generator.choice(members[payer_id]),
            date_of_service=TODAY - timedelta(days=generator.randint(0, 200)),
        )
        deductible = D(generator.randint(0, 60000)) / 100
        accumulator = Accumulator(deductible, deductible + D(generator.randint(0, 300000)) / 100)
        result = judge(claim, rules, accumulator, duplicate=generator.random() < 0.05)
        statuses.add(result.remittance.status)
        assert_balanced(reverse(result.remittance, paid_date=TODAY))
        assert give_back(result.accumulator, result.remittance) == accumulator
        for line in result.remittance.lines:
            assert line.paid >= 0 and line.allowed <= line.billed
    assert statuses == {"paid", "partially_paid", "denied"}
