"""MockPayerAdapter against a real database: timing, idempotency, persistence, faults. Each
claim reaches it as an 837P; its 277CA and 835 files are read back to check what it said."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal
from pathlib import Path

import pytest
from payer_files import ClaimsInX12, claim_file, responses_of
from sqlalchemy import func, select

from billing_service.payers.adapter import (
    Acknowledgment,
    PayerUnavailable,
    Remittance,
)
from mockpayer.loader import SHIPPED_DATA_DIR, MockPayerDataError
from mockpayer.models import MockPayerAccumulator, MockPayerSubmission

D = Decimal


async def acknowledge(adapter: ClaimsInX12) -> Acknowledgment:
    (response,) = await adapter.fetch_responses()
    assert isinstance(response, Acknowledgment)
    return response


async def remit(adapter: ClaimsInX12) -> list[Remittance]:
    responses = await adapter.fetch_responses()
    assert all(isinstance(response, Remittance) for response in responses)
    return responses  # type: ignore[return-value]


async def submission_count(sessionmaker) -> int:
    async with sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(MockPayerSubmission))


async def accumulator_of(sessionmaker, member_id: str) -> tuple[Decimal, Decimal]:
    async with sessionmaker() as session:
        row = await session.get(MockPayerAccumulator, ("MOCK-PPO", member_id, 2026))
        assert row is not None
        return row.deductible_met, row.out_of_pocket_met


async def test_payers_lists_every_payer_with_its_plans(make_adapter):
    payers = {payer.payer_id: payer for payer in await make_adapter().payers()}
    assert set(payers) == {"MOCK-PPO", "MOCK-HMO", "MOCK-MCR", "MOCK-OLD", "MOCK-SUPP"}
    assert not payers["MOCK-OLD"].active
    (ppo,) = payers["MOCK-PPO"].plans
    assert (ppo.deductible, ppo.coinsurance_percent, ppo.out_of_pocket_max) == (
        D("500.00"),
        D("20"),
        D("3000.00"),
    )
    (hmo,) = payers["MOCK-HMO"].plans
    assert (hmo.copay, hmo.out_of_pocket_max) == (D("25.00"), D("2000.00"))
    (medicare,) = payers["MOCK-MCR"].plans
    assert (medicare.deductible, medicare.accepts_frequency_codes) == (D("257.00"), ("1",))


async def test_acknowledgment_then_remittance_on_the_next_poll_each_once(make_adapter, make_claim):
    adapter = make_adapter()
    claim = make_claim(("99213", "150.00"), member_id="W100000002")
    receipt = await adapter.submit(claim)
    assert receipt.received
    assert receipt.interchange_control_number == f"{int(receipt.interchange_control_number):09d}"

    ack = await acknowledge(adapter)
    assert (ack.status, ack.errors) == ("accepted", ())
    assert ack.patient_control_number == claim.patient_control_number
    assert ack.submission_id == claim.submission_id
    assert ack.payer_claim_control_number is not None
    assert ack.payer_claim_control_number.startswith("PPO")

    (remittance,) = await remit(adapter)
    assert remittance.payer_claim_control_number == ack.payer_claim_control_number
    assert remittance.patient_control_number == claim.patient_control_number
    assert (remittance.status, remittance.paid, remittance.patient_responsibility) == (
        "paid",
        D("94.64"),
        D("23.66"),
    )
    assert remittance.remittance_id.endswith(f":{ack.payer_claim_control_number}")
    assert await adapter.fetch_responses() == []


async def test_no_delay_sends_acknowledgment_and_remittance_together(make_adapter, make_claim):
    adapter = make_adapter(adjudication_delay_polls=0)
    await adapter.submit(make_claim(("99213", "150.00")))
    ack, remittance = await adapter.fetch_responses()
    assert isinstance(ack, Acknowledgment) and isinstance(remittance, Remittance)


async def test_a_file_is_offered_until_billing_acknowledges_it(make_adapter, make_claim):
    payer = make_adapter(adjudication_delay_polls=0).adapter
    await payer.submit(claim_file(make_claim(("99213", "150.00"))))
    first = await payer.fetch_responses()
    assert len(first) == 2  # the 277CA and the 835
    # Not acknowledged (billing stopped before keeping them): the same files, byte for byte.
    assert await payer.fetch_responses() == first
    await payer.acknowledge([first[0].file_id, "not-a-file", "999999999"])
    assert await payer.fetch_responses() == first[1:]
    await payer.acknowledge([first[1].file_id])
    assert await payer.fetch_responses() == []
    # Acknowledging again changes nothing.
    await payer.acknowledge([file.file_id for file in first])
    assert await payer.fetch_responses() == []


async def test_each_account_reaches_only_its_own_submissions_and_files(
    make_adapter, make_claim, sessionmaker
):
    ours = make_adapter(adjudication_delay_polls=0)
    theirs = make_adapter(adjudication_delay_polls=0, account="another-clinic-group")
    claim = make_claim(("99213", "150.00"))
    await ours.submit(claim)
    # The same submission id from another account is that account's own submission, not a
    # retry of ours.
    await theirs.submit(claim)
    assert await submission_count(sessionmaker) == 2
    our_files = await ours.adapter.fetch_responses()
    their_files = await theirs.adapter.fetch_responses()
    assert len(our_files) == len(their_files) == 2
    assert {f.file_id for f in our_files}.isdisjoint(f.file_id for f in their_files)
    # Acknowledging another account's files changes nothing for it.
    await ours.adapter.acknowledge([f.file_id for f in their_files])
    assert await theirs.adapter.fetch_responses() == their_files


async def test_an_account_cannot_void_another_accounts_claim(make_adapter, make_claim):
    ours = make_adapter(adjudication_delay_polls=0)
    theirs = make_adapter(adjudication_delay_polls=0, account="another-clinic-group")
    await ours.submit(make_claim(("99213", "150.00")))
    ack, _ = await ours.fetch_responses()
    await theirs.submit(make_claim(("99213", "150.00"), frequency_code="8",
                                   original=ack.payer_claim_control_number))
    (rejection,) = await theirs.fetch_responses()
    assert rejection.status == "rejected"
    assert [code for code, _ in rejection.errors] == ["A7:464"]
    assert await ours.fetch_responses() == []


async def test_a_longer_delay_waits_that_many_polls(make_adapter, make_claim):
    adapter = make_adapter(adjudication_delay_polls=3)
    await adapter.submit(make_claim(("99213", "150.00")))
    await acknowledge(adapter)
    assert await adapter.fetch_responses() == []
    assert await adapter.fetch_responses() == []
    assert len(await remit(adapter)) == 1


async def test_a_retried_submit_creates_nothing_new(make_adapter, make_claim, sessionmaker):
    adapter = make_adapter(adjudication_delay_polls=0)
    claim = make_claim(("99213", "150.00"))
    first = await adapter.submit(claim)
    again = await adapter.submit(claim)
    assert first == again
    assert await submission_count(sessionmaker) == 1
    ack, remittance = await adapter.fetch_responses()
    assert ack.submission_id == claim.submission_id
    assert await adapter.fetch_responses() == []


async def test_front_end_rejection_ends_the_submission(make_adapter, make_claim):
    adapter = make_adapter(adjudication_delay_polls=0)
    claim = make_claim(("99213", "150.00"), member_id="W12345")
    await adapter.submit(claim)
    (ack,) = await adapter.fetch_responses()
    assert ack.status == "rejected"
    assert ack.payer_claim_control_number is None
    assert ack.errors == (("A7:33", "Subscriber not found; the member id is not on file."),)
    assert await adapter.fetch_responses() == []


async def test_a_fixed_claim_resubmitted_after_a_rejection_is_paid(make_adapter, make_claim):
    adapter = make_adapter(adjudication_delay_polls=0)
    rejected = make_claim(("99213", "150.00"), member_id="W12345")
    await adapter.submit(rejected)
    (ack,) = await adapter.fetch_responses()
    assert ack.status == "rejected"
    fixed = make_claim(
        ("99213", "150.00"),
        member_id="W123456789",
        patient_control_number=rejected.patient_control_number,
    )
    await adapter.submit(fixed)
    ack, remittance = await adapter.fetch_responses()
    assert (ack.status, remittance.status) == ("accepted", "paid")


async def test_accumulators_carry_across_claims_and_restarts(
    make_adapter, make_claim, sessionmaker
):
    adapter = make_adapter(adjudication_delay_polls=0)
    await adapter.submit(make_claim(("99204", "300.00"), ("73560", "60.00"), ("71046", "55.00")))
    _, first = await adapter.fetch_responses()
    assert (first.paid, first.patient_responsibility) == (D("0.00"), D("302.90"))
    assert await accumulator_of(sessionmaker, "W123456789") == (D("302.90"), D("302.90"))

    restarted = make_adapter(adjudication_delay_polls=0)
    await restarted.submit(make_claim(("99215", "300.00")))
    _, second = await restarted.fetch_responses()
    (line,) = second.lines
    assert [(a.group, a.carc, a.amount) for a in line.adjustments] == [
        ("CO", "45", D("63.40")),
        ("PR", "1", D("197.10")),
        ("PR", "2", D("7.90")),
    ]
    assert second.paid == D("31.60")
    assert await accumulator_of(sessionmaker, "W123456789") == (D("500.00"), D("507.90"))


async def test_scripted_opening_amounts_seed_a_new_plan_year(
    make_adapter, make_claim, sessionmaker
):
    adapter = make_adapter(adjudication_delay_polls=0)
    await adapter.submit(make_claim(("99213", "150.00"), member_id="W100000003"))
    await adapter.fetch_responses()
    assert await accumulator_of(sessionmaker, "W100000003") == (D("500.00"), D("2973.66"))


async def test_an_identical_claim_under_a_new_submission_is_a_duplicate(make_adapter, make_claim):
    adapter = make_adapter(adjudication_delay_polls=0)
    await adapter.submit(make_claim(("99213", "150.00")))
    _, original = await adapter.fetch_responses()
    await adapter.submit(make_claim(("99213", "150.00")))
    _, copy = await adapter.fetch_responses()
    assert original.status == "paid"
    assert copy.status == "denied"
    assert copy.remark_codes == ("N522",)
    assert [a.carc for a in copy.lines[0].adjustments] == ["18"]
    # A third copy is a duplicate of the paid original, not of the denied copy.
    await adapter.submit(make_claim(("99213", "150.00")))
    _, third = await adapter.fetch_responses()
    assert third.remark_codes == ("N522",)


async def test_a_different_visit_is_not_a_duplicate(make_adapter, make_claim):
    adapter = make_adapter(adjudication_delay_polls=0)
    await adapter.submit(make_claim(("99213", "150.00")))
    await adapter.fetch_responses()
    await adapter.submit(make_claim(("99214", "200.00")))
    _, other = await adapter.fetch_responses()
    assert other.status == "paid"


async def test_replacement_reverses_the_original_then_pays_anew(
    make_adapter, make_claim, sessionmaker
):
    adapter = make_adapter(adjudication_delay_polls=0)
    await adapter.submit(make_claim(("99204", "300.00"), ("73560", "60.00"), ("71046", "55.00")))
    await adapter.fetch_responses()
    original = make_claim(("20610", "200.00"), ("99213", "150.00"))
    await adapter.submit(original)
    ack, denied_visit = await adapter.fetch_responses()
    assert denied_visit.status == "partially_paid"  # 99213 bundled without modifier 25
    # 20610 at 83.20, all to the deductible (302.90 met before).
    assert await accumulator_of(sessionmaker, "W123456789") == (D("386.10"), D("386.10"))

    corrected = make_claim(
        ("20610", "200.00"),
        ("99213", "150.00", ("25",)),
        frequency_code="7",
        original=ack.payer_claim_control_number,
    )
    await adapter.submit(corrected)
    new_ack, reversal, replacement = await adapter.fetch_responses()
    assert new_ack.status == "accepted"
    assert new_ack.payer_claim_control_number != ack.payer_claim_control_number

    assert reversal.status == "reversed"
    assert reversal.patient_control_number == original.patient_control_number
    assert reversal.payer_claim_control_number == ack.payer_claim_control_number
    assert reversal.remittance_id.endswith(f":{ack.payer_claim_control_number}:22")
    assert (reversal.billed, reversal.paid, reversal.patient_responsibility) == (
        D("-350.00"),
        D("0.00"),
        D("-83.20"),
    )

    assert replacement.status == "paid"
    assert replacement.patient_control_number == corrected.patient_control_number
    assert replacement.payer_claim_control_number == new_ack.payer_claim_control_number
    injection, visit = replacement.lines
    # With 83.20 given back, 197.10 of the deductible is left: 83.20 on the injection,
    # 113.90 on the visit (allowed 118.30), then 20% of 4.40.
    assert [(a.carc, a.amount) for a in injection.adjustments] == [
        ("45", D("116.80")),
        ("1", D("83.20")),
    ]
    assert [(a.carc, a.amount) for a in visit.adjustments] == [
        ("45", D("31.70")),
        ("1", D("113.90")),
        ("2", D("0.88")),
    ]
    assert replacement.paid == D("3.52")
    assert await accumulator_of(sessionmaker, "W123456789") == (D("500.00"), D("500.88"))


async def test_void_recoups_the_payment_and_restores_the_accumulator(
    make_adapter, make_claim, sessionmaker
):
    adapter = make_adapter(adjudication_delay_polls=0)
    await adapter.submit(make_claim(("99213", "150.00"), member_id="W100000002"))
    ack, paid = await adapter.fetch_responses()
    assert paid.paid == D("94.64")
    assert await accumulator_of(sessionmaker, "W100000002") == (D("500.00"), D("523.66"))

    void = make_claim(
        ("99213", "150.00"),
        member_id="W100000002",
        frequency_code="8",
        original=ack.payer_claim_control_number,
    )
    await adapter.submit(void)
    void_ack, recoupment = await adapter.fetch_responses()
    assert void_ack.status == "accepted"
    assert recoupment.status == "reversed"
    assert (recoupment.paid, recoupment.patient_responsibility) == (D("-94.64"), D("-23.66"))
    assert await adapter.fetch_responses() == []
    assert await accumulator_of(sessionmaker, "W100000002") == (D("500.00"), D("500.00"))

    again = make_claim(
        ("99213", "150.00"),
        member_id="W100000002",
        frequency_code="8",
        original=ack.payer_claim_control_number,
    )
    await adapter.submit(again)
    (second_void,) = await adapter.fetch_responses()
    assert second_void.status == "rejected"
    assert second_void.errors == (
        ("A7:464", "The original claim has already been replaced or voided."),
    )


async def test_a_void_sent_before_the_remittance_recoups_after_it(make_adapter, make_claim):
    adapter = make_adapter(adjudication_delay_polls=1)
    await adapter.submit(make_claim(("99213", "150.00")))
    ack = await acknowledge(adapter)
    await adapter.submit(
        make_claim(("99213", "150.00"), frequency_code="8", original=ack.payer_claim_control_number)
    )
    # One poll answers with a 277CA (the void's acknowledgment), then an 835 (the payment).
    void_ack, remittance = await adapter.fetch_responses()
    assert (remittance.status, void_ack.status) == ("paid", "accepted")
    (recoupment,) = await adapter.fetch_responses()
    assert recoupment.status == "reversed"
    assert recoupment.payer_claim_control_number == ack.payer_claim_control_number


async def test_medicare_rejects_a_replacement_at_the_front_end(make_adapter, make_claim):
    adapter = make_adapter(adjudication_delay_polls=0)
    await adapter.submit(
        make_claim(("99213", "150.00"), payer_id="MOCK-MCR", member_id="1EG4TE5MK73")
    )
    ack, _ = await adapter.fetch_responses()
    await adapter.submit(
        make_claim(
            ("99213", "150.00"),
            payer_id="MOCK-MCR",
            member_id="1EG4TE5MK73",
            frequency_code="7",
            original=ack.payer_claim_control_number,
        )
    )
    (rejection,) = await adapter.fetch_responses()
    assert rejection.status == "rejected"
    assert [code for code, _ in rejection.errors] == ["A7:535"]


async def test_inactive_payer_and_bad_npi_are_rejected(make_adapter, make_claim):
    adapter = make_adapter(adjudication_delay_polls=0)
    await adapter.submit(make_claim(("99213", "150.00"), payer_id="MOCK-OLD", member_id="L1"))
    await adapter.submit(make_claim(("99213", "150.00"), rendering_npi="1234567890"))
    old, bad_npi = await adapter.fetch_responses()
    assert [code for code, _ in old.errors] == ["A3:116"]
    assert [code for code, _ in bad_npi.errors] == ["A7:562:82"]


# --- fault injection ----------------------------------------------------------------------


async def test_a_5xx_records_nothing(make_adapter, make_claim, sessionmaker):
    adapter = make_adapter(submit_error_rate=1.0)
    with pytest.raises(PayerUnavailable):
        await adapter.submit(make_claim(("99213", "150.00")))
    assert await submission_count(sessionmaker) == 0
    assert await adapter.fetch_responses() == []


async def test_a_timeout_after_recording_never_makes_a_second_claim(
    make_adapter, make_claim, sessionmaker
):
    adapter = make_adapter(submit_timeout_rate=1.0, adjudication_delay_polls=0)
    claim = make_claim(("99213", "150.00"))
    for _ in range(3):
        with pytest.raises(PayerUnavailable):
            await adapter.submit(claim)
    assert await submission_count(sessionmaker) == 1
    ack, remittance = await adapter.fetch_responses()
    assert ack.submission_id == claim.submission_id
    assert remittance.status == "paid"
    assert await adapter.fetch_responses() == []


async def test_a_dropped_acknowledgment_arrives_on_the_next_poll(make_adapter, make_claim):
    adapter = make_adapter(drop_ack_rate=1.0, adjudication_delay_polls=0)
    claim = make_claim(("99213", "150.00"))
    await adapter.submit(claim)
    assert await adapter.fetch_responses() == []
    ack, remittance = await adapter.fetch_responses()
    assert ack.submission_id == claim.submission_id
    assert remittance.status == "paid"


async def outcomes(adapter: ClaimsInX12, submission_ids: list[str], make_claim) -> list[str]:
    """What three tries of each submission met: ok, 5xx or timeout."""
    seen = []
    for submission_id in submission_ids:
        for _ in range(3):
            try:
                await adapter.submit(make_claim(("99213", "150.00"), submission_id=submission_id))
                seen.append("ok")
                break
            except PayerUnavailable as exc:
                seen.append("5xx" if "503" in str(exc) else "timeout")
    return seen


async def test_faults_are_a_function_of_the_seed(make_adapter, make_claim):
    ids = [f"submission-{n}" for n in range(40)]
    faults = {"submit_error_rate": 0.3, "submit_timeout_rate": 0.3}
    first = await outcomes(make_adapter(seed=7, **faults), ids, make_claim)
    replay = await outcomes(make_adapter(seed=7, **faults), ids, make_claim)
    other_seed = await outcomes(make_adapter(seed=8, **faults), ids, make_claim)
    assert first == replay
    assert first != other_seed
    assert {"ok", "5xx", "timeout"} <= set(first)
    # Retries get through: a fault is drawn per attempt, not once per submission.
    assert first.count("ok") > 30


# --- data files ---------------------------------------------------------------------------


async def test_a_data_dir_replaces_the_shipped_files_it_holds(make_adapter, make_claim, tmp_path):
    members = json.loads((SHIPPED_DATA_DIR / "members.json").read_text())
    members["members"].append(
        {"payer_id": "MOCK-PPO", "member_id": "W555555555", "found": False, "note": "test"}
    )
    (tmp_path / "members.json").write_text(json.dumps(members))
    adapter = make_adapter(data_dir=tmp_path, adjudication_delay_polls=0)
    await adapter.submit(make_claim(("99213", "150.00"), member_id="W555555555"))
    (ack,) = await adapter.fetch_responses()
    assert ack.status == "rejected"


def test_a_broken_data_file_names_the_file(make_adapter, tmp_path: Path):
    (tmp_path / "fee_schedule.csv").write_text(
        "payer_id,procedure_code,allowed,description\nMOCK-PPO,99213,12.5x,Visit\n"
    )
    with pytest.raises(MockPayerDataError, match="fee_schedule.csv line 2"):
        make_adapter(data_dir=tmp_path)


# --- replicas -----------------------------------------------------------------------------


async def test_two_replicas_polling_at_once_never_handle_a_submission_twice(
    make_adapter, make_claim
):
    first, second = make_adapter(), make_adapter()
    claims = [make_claim(("99213", "150.00"), member_id=f"W2000000{n:02d}") for n in range(12)]
    for claim in claims:
        await first.submit(claim)
    for _ in range(4):
        await asyncio.gather(first.fetch_responses(), second.fetch_responses())
    # A file offered to both before either acknowledged it is one file, kept once by
    # billing (by its content): count each file once.
    responses = responses_of(set(first.files) | set(second.files))
    acks = [r.patient_control_number for r in responses if isinstance(r, Acknowledgment)]
    remittances = [r.patient_control_number for r in responses if isinstance(r, Remittance)]
    expected = sorted(claim.patient_control_number for claim in claims)
    assert sorted(acks) == expected
    assert sorted(remittances) == expected
