"""Checking an X12 file as an operator would: `billing-service x12-check`, pyx12's findings
and billing's own, for each kind of file."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from payer_files import claim_file

from billing_service.cli import main
from billing_service.payers.adapter import ClaimForPayer, ClaimLineForPayer, Person
from billing_service.x12.validation import findings, pyx12_findings

PATIENT = Person("Ann", "Lee", date(1980, 4, 2), "F")


def claim(billing_npi: str = "1234567893") -> ClaimForPayer:
    return ClaimForPayer(
        submission_id="s1", patient_control_number="PCN1", frequency_code="1",
        original_payer_claim_number=None, payer_id="MOCK-PPO", plan_code=None,
        member_id="W123456789", group_number=None, relationship="self", subscriber=PATIENT,
        patient=PATIENT, patient_id="MRN-1", billing_provider_npi=billing_npi,
        rendering_provider_npi="1245319599", place_of_service="11",
        date_of_service=date(2026, 11, 2), diagnoses=("J06.9",),
        lines=(ClaimLineForPayer(1, "99213", (), 1, Decimal("150.00"), (1,), date(2026, 11, 2)),),
        total_charge=Decimal("150.00"),
    )


def test_a_valid_file_has_no_findings() -> None:
    assert findings(claim_file(claim())) == []


def test_pyx12_findings_are_reported() -> None:
    broken = claim_file(claim()).replace("N3*100 MAIN STREET~\n", "")
    found = pyx12_findings(broken)
    assert any('Mandatory segment "Billing Provider Address" (N3) missing' in f for f in found)
    assert any("SE count" in f for f in found)
    assert pyx12_findings("not x12 at all") == ["pyx12 found the text invalid"]


def test_what_pyx12_accepts_billing_still_finds() -> None:
    text = claim_file(claim(billing_npi="1234567890"))
    assert pyx12_findings(text) == []
    [finding] = findings(text)
    assert finding.startswith("claim PCN1 $.billing_provider_npi: npi.check_digit")


def test_the_command_exits_1_on_any_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, bad = tmp_path / "good.x12", tmp_path / "bad.x12"
    good.write_text(claim_file(claim()))
    bad.write_text(claim_file(claim(billing_npi="1234567890")))
    assert main(["x12-check", str(good)]) == 0
    assert main(["x12-check", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{good}: ok" in out and f"{bad}: 1 finding(s)" in out
