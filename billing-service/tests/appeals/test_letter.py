"""Who may appeal when, and the letter written from the claim. Pure."""

from __future__ import annotations

from datetime import date

import pytest

from billing_service.appeals.letter import (
    EarlierAppeal,
    LetterFacts,
    LetterLine,
    refusal,
    write_letter,
)

BUNDLED = {"line": 2, "procedure_code": "97140", "group_code": "CO", "carc": "97",
           "rarcs": ["M15", "M127"], "amount": "50.00", "category": "bundling"}
LATE = {"line": None, "procedure_code": None, "group_code": "CO", "carc": "29", "rarcs": [],
        "amount": "150.00", "category": "timely_filing"}


@pytest.mark.parametrize("status", ["denied", "partially_paid"])
def test_a_claim_its_payer_denied_may_be_appealed_at_level_1(status: str) -> None:
    assert refusal(status, [BUNDLED], [], 1) is None


@pytest.mark.parametrize(("status", "denials"), [
    ("paid", []), ("ready", []), ("accepted", []), ("partially_paid", []), ("denied", []),
    # A claim replaced or voided keeps its last denials; its replacement is the one to work.
    ("replaced", [BUNDLED]), ("voided", [BUNDLED]),
])
def test_a_claim_without_a_standing_denial_may_not(status: str,
                                                   denials: list[dict[str, object]]) -> None:
    refused = refusal(status, denials, [], 1)
    assert refused is not None and refused[0] == "$"


def test_one_appeal_at_a_time() -> None:
    refused = refusal("denied", [LATE], [EarlierAppeal(1, "submitted")], 2)
    assert refused is not None and "awaits" in refused[1]


def test_level_1_once_and_level_2_only_after_level_1_was_upheld() -> None:
    upheld = [EarlierAppeal(1, "upheld")]
    assert refusal("denied", [LATE], upheld, 2) is None
    assert refusal("denied", [LATE], upheld, 1) == (
        "$.level", "The claim was already appealed at level 1.")
    assert refusal("denied", [LATE], [], 2) == (
        "$.level", "Level 2 follows a level 1 appeal the payer upheld.")
    assert refusal("partially_paid", [BUNDLED], [EarlierAppeal(1, "overturned")], 2) == (
        "$.level", "Level 2 follows a level 1 appeal the payer upheld.")
    assert refusal("denied", [LATE], [*upheld, EarlierAppeal(2, "upheld")], 2) == (
        "$.level", "The claim was already appealed at level 2.")


def facts(*denials: dict[str, object], level: int = 1) -> LetterFacts:
    return LetterFacts(
        written_on=date(2026, 12, 5), level=level, payer_name="Mock Commercial PPO",
        payer_id="MOCK-PPO", claim_id="c-1", patient_control_number="PCN1",
        payer_claim_control_number="PPO0000000042", patient_account_id="MRN-7",
        billing_provider_npi="1234567893", date_of_service=date(2026, 11, 30),
        total_charge="110.00",
        lines=(LetterLine(1, "97530", (), date(2026, 11, 30), "60.00"),
               LetterLine(2, "97140", ("59", "GP"), date(2026, 11, 30), "50.00")),
        denials=tuple(denials), reason="  Separate session; the record documents it.  ")


def test_the_letter_names_the_claim_each_denied_line_and_the_reason() -> None:
    letter = write_letter(facts(BUNDLED))
    assert letter.splitlines()[:9] == [
        "2026-12-05",
        "",
        "To: Mock Commercial PPO (MOCK-PPO), appeals",
        "Re: First-level appeal (level 1) of payer claim PPO0000000042",
        "Claim c-1, patient control number PCN1",
        "Patient account MRN-7; billing provider NPI 1234567893",
        "Date of service 2026-11-30; billed 110.00",
        "",
        "We ask you to reconsider the denial of:",
    ]
    assert ("- line 2, 97140-59-GP on 2026-11-30, billed 50.00: CO-97: Included in the payment "
            "for another service billed on the same day (remarks M15: Separately billed "
            "services were bundled; M127: The patient's medical record for this service is "
            "needed), denied 50.00") in letter
    assert "line 1" not in letter
    assert "\nSeparate session; the record documents it.\n" in letter


def test_a_claim_level_denial_is_the_claims_and_level_2_says_so() -> None:
    letter = write_letter(facts(LATE, level=2))
    assert "Re: Second-level appeal (level 2)" in letter
    assert "- the claim: CO-29: Filed after the payer's time limit, 150.00" in letter
