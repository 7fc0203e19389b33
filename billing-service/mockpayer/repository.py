"""Every query the mock payer makes, over its own tables (SQLite and PostgreSQL). What an
account sent and the files answering it are read and written under that account only.

Claims and responses are stored as JSON with amounts as decimal strings, so what billing
receives is exactly what the payer decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.payers.adapter import (
    Acknowledgment,
    ClaimForPayer,
    ClaimStatus,
    PayerResponse,
    Remittance,
)
from billing_service.x12.claim837 import ReceivedClaim
from mockpayer.engine import Accumulator
from mockpayer.models import (
    MockPayerAccumulator,
    MockPayerAppeal,
    MockPayerClaim,
    MockPayerInquiry,
    MockPayerInterchange,
    MockPayerPayeeBalance,
    MockPayerResponse,
    MockPayerSubmission,
)
from rcm_shared.db import dialect_insert, utcnow
from rcm_shared.money import ZERO

ACKNOWLEDGMENT = "acknowledgment"
REMITTANCE = "remittance"
# Stages a submission still has work in.
OPEN_STAGES = ("received", "accepted")
# Payer claims that stand as adjudicated: a replacement or void can reverse them, and a
# later identical claim is their duplicate.
ADJUDICATED = (ClaimStatus.PAID, ClaimStatus.PARTIALLY_PAID, ClaimStatus.DENIED)

_claim_json = TypeAdapter(ClaimForPayer)
_acknowledgment_json = TypeAdapter(Acknowledgment)
_remittance_json = TypeAdapter(Remittance)


def encode_claim(claim: ClaimForPayer) -> dict[str, Any]:
    data: dict[str, Any] = _claim_json.dump_python(claim, mode="json")
    return data


def decode_claim(data: dict[str, Any]) -> ClaimForPayer:
    return _claim_json.validate_python(data)


def encode_remittance(remittance: Remittance) -> dict[str, Any]:
    data: dict[str, Any] = _remittance_json.dump_python(remittance, mode="json")
    return data


def decode_remittance(data: dict[str, Any]) -> Remittance:
    return _remittance_json.validate_python(data)


async def record_submission(
    session: AsyncSession,
    account: str,
    received: ReceivedClaim,
    submitter_id: str,
    submitter_name: str,
    received_on: date,
    *,
    crossover_of_id: int | None = None,
) -> None:
    """Keep the account's first copy of a submission; a retry with the same id changes
    nothing."""
    claim = received.claim
    statement = (
        dialect_insert(session, MockPayerSubmission)
        .values(
            account=account,
            submission_id=claim.submission_id,
            patient_control_number=claim.patient_control_number[:38],
            payer_id=claim.payer_id,
            frequency_code=claim.frequency_code,
            claim=encode_claim(claim),
            submitter_id=submitter_id[:15],
            submitter_name=submitter_name[:60],
            billing_provider_name=received.billing_provider_name[:60],
            line_item_control_numbers=list(received.line_item_control_numbers),
            received_at=utcnow(),
            received_on=received_on,
            stage="received",
            ack_deferred=False,
            polls_since_ack=0,
            crossover_of_id=crossover_of_id,
        )
        .on_conflict_do_nothing(index_elements=["account", "submission_id"])
    )
    await session.execute(statement)


async def lock_open_submissions(session: AsyncSession, limit: int) -> Sequence[MockPayerSubmission]:
    """Submissions with work left, oldest first. Rows another replica holds are skipped,
    so no submission is processed twice (SQLite has no row locks: its writers queue)."""
    statement = (
        select(MockPayerSubmission)
        .where(MockPayerSubmission.stage.in_(OPEN_STAGES))
        .order_by(MockPayerSubmission.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (await session.scalars(statement)).all()


async def payer_claim_by_number(
    session: AsyncSession, account: str, payer_claim_control_number: str
) -> MockPayerClaim | None:
    """The payer claim under that number the account itself submitted: another account's
    claim is not one it can replace or void."""
    statement = (
        select(MockPayerClaim)
        .join(MockPayerSubmission, MockPayerSubmission.id == MockPayerClaim.submission_row_id)
        .where(MockPayerClaim.payer_claim_control_number == payer_claim_control_number,
               MockPayerSubmission.account == account)
        .with_for_update(of=MockPayerClaim)
    )
    return (await session.scalars(statement)).one_or_none()


async def create_payer_claim(
    session: AsyncSession,
    submission_row_id: int,
    payer_claim_control_number: str,
    claim: ClaimForPayer,
    plan_year: int,
    duplicate_key: str,
) -> MockPayerClaim:
    payer_claim = MockPayerClaim(
        submission_row_id=submission_row_id,
        payer_claim_control_number=payer_claim_control_number,
        payer_id=claim.payer_id,
        member_id=claim.member_id,
        plan_year=plan_year,
        frequency_code=claim.frequency_code,
        duplicate_key=duplicate_key,
    )
    session.add(payer_claim)
    await session.flush()
    return payer_claim


async def payer_claim_of_submission(
    session: AsyncSession, submission_row_id: int
) -> MockPayerClaim:
    statement = select(MockPayerClaim).where(MockPayerClaim.submission_row_id == submission_row_id)
    return (await session.scalars(statement)).one()


async def has_standing_duplicate(
    session: AsyncSession, payer_id: str, duplicate_key: str, excluding_id: int
) -> bool:
    """An earlier adjudicated claim with the same member, date and lines, not reversed."""
    # A reversal made earlier in this unit of work must count.
    await session.flush()
    statement = (
        select(MockPayerClaim.id)
        .where(
            MockPayerClaim.payer_id == payer_id,
            MockPayerClaim.duplicate_key == duplicate_key,
            MockPayerClaim.status.in_(ADJUDICATED),
            MockPayerClaim.denied_as_duplicate.is_(False),
            MockPayerClaim.id != excluding_id,
        )
        .limit(1)
    )
    return (await session.scalar(statement)) is not None


async def lock_accumulator(
    session: AsyncSession, payer_id: str, member_id: str, plan_year: int, opening: Accumulator
) -> MockPayerAccumulator:
    """The member's plan-year row, created at the opening amounts on first use, locked
    so claims of one member adjudicated by two replicas add up rather than overwrite."""
    # The re-read below must not discard a change made earlier in this unit of work.
    await session.flush()
    await session.execute(
        dialect_insert(session, MockPayerAccumulator)
        .values(
            payer_id=payer_id,
            member_id=member_id,
            plan_year=plan_year,
            deductible_met=opening.deductible_met,
            out_of_pocket_met=opening.out_of_pocket_met,
            updated_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["payer_id", "member_id", "plan_year"])
    )
    statement = (
        select(MockPayerAccumulator)
        .where(
            MockPayerAccumulator.payer_id == payer_id,
            MockPayerAccumulator.member_id == member_id,
            MockPayerAccumulator.plan_year == plan_year,
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(statement)).one()


def add_response(session: AsyncSession, submission_row_id: int, response: PayerResponse) -> None:
    if isinstance(response, Acknowledgment):
        kind, body = ACKNOWLEDGMENT, _acknowledgment_json.dump_python(response, mode="json")
    else:
        kind, body = REMITTANCE, encode_remittance(response)
    session.add(MockPayerResponse(submission_row_id=submission_row_id, kind=kind, body=body))


def decode_acknowledgment(data: dict[str, Any]) -> Acknowledgment:
    return _acknowledgment_json.validate_python(data)


async def submission(session: AsyncSession, row_id: int) -> MockPayerSubmission:
    found = await session.get(MockPayerSubmission, row_id)
    if found is None:  # pragma: no cover - the foreign keys keep it
        raise RuntimeError(f"submission {row_id} is gone")
    return found


async def take_undelivered_responses(
    session: AsyncSession, limit: int
) -> list[MockPayerResponse]:
    """Responses not yet written into a file, in the order produced, marked delivered in
    this transaction so each goes into one file."""
    statement = (
        select(MockPayerResponse)
        .where(MockPayerResponse.delivered.is_(False))
        .order_by(MockPayerResponse.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = (await session.scalars(statement)).all()
    delivered_at = utcnow()
    for row in rows:
        row.delivered = True
        row.delivered_at = delivered_at
    return list(rows)


async def lock_payee_balance(
    session: AsyncSession, payer_id: str, payee_npi: str
) -> MockPayerPayeeBalance:
    """What the payee owes the payer, locked for this payment (zero the first time)."""
    await session.execute(
        dialect_insert(session, MockPayerPayeeBalance)
        .values(payer_id=payer_id, payee_npi=payee_npi, owed=ZERO, updated_at=utcnow())
        .on_conflict_do_nothing(index_elements=["payer_id", "payee_npi"])
    )
    statement = (
        select(MockPayerPayeeBalance)
        .where(MockPayerPayeeBalance.payer_id == payer_id,
               MockPayerPayeeBalance.payee_npi == payee_npi)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(statement)).one()


async def new_interchange(
    session: AsyncSession, account: str, kind: str, receiver_id: str
) -> MockPayerInterchange:
    """A row whose key, assigned by the database, is the interchange control number."""
    interchange = MockPayerInterchange(account=account, kind=kind, receiver_id=receiver_id[:15],
                                       content="")
    session.add(interchange)
    await session.flush()
    return interchange


async def unacknowledged_interchanges(
    session: AsyncSession, account: str, limit: int
) -> Sequence[MockPayerInterchange]:
    """The files the account has not acknowledged yet, oldest first."""
    statement = (
        select(MockPayerInterchange)
        .where(MockPayerInterchange.account == account,
               MockPayerInterchange.acknowledged_at.is_(None))
        .order_by(MockPayerInterchange.control_number)
        .limit(limit)
    )
    return (await session.scalars(statement)).all()


async def acknowledge_interchanges(
    session: AsyncSession, account: str, control_numbers: Sequence[int], at: datetime
) -> None:
    await session.execute(
        update(MockPayerInterchange)
        .where(MockPayerInterchange.account == account,
               MockPayerInterchange.control_number.in_(control_numbers),
               MockPayerInterchange.acknowledged_at.is_(None))
        .values(acknowledged_at=at)
    )


async def accumulator(
    session: AsyncSession, payer_id: str, member_id: str, plan_year: int
) -> Accumulator | None:
    """The member's plan-year totals as they stand, read only; None before any claim."""
    row = await session.get(MockPayerAccumulator, (payer_id, member_id, plan_year))
    return None if row is None else Accumulator(row.deductible_met, row.out_of_pocket_met)


async def new_inquiry(session: AsyncSession, account: str, kind: str,
                      inquiry: str) -> MockPayerInquiry:
    row = MockPayerInquiry(account=account, kind=kind, inquiry=inquiry, answer="",
                           created_at=utcnow())
    session.add(row)
    await session.flush()
    return row


async def latest_submission(
    session: AsyncSession, account: str, patient_control_number: str
) -> MockPayerSubmission | None:
    """The account's latest submission of the claim (a resubmission after a rejection
    reuses the patient control number)."""
    statement = (
        select(MockPayerSubmission)
        .where(MockPayerSubmission.account == account,
               MockPayerSubmission.patient_control_number == patient_control_number)
        .order_by(MockPayerSubmission.id.desc())
        .limit(1)
    )
    return (await session.scalars(statement)).one_or_none()


async def claim_of_submission(session: AsyncSession,
                              submission_row_id: int) -> MockPayerClaim | None:
    return (await session.scalars(select(MockPayerClaim).where(
        MockPayerClaim.submission_row_id == submission_row_id))).one_or_none()


async def acknowledgment_of(session: AsyncSession,
                            submission_row_id: int) -> Acknowledgment | None:
    body = await session.scalar(
        select(MockPayerResponse.body)
        .where(MockPayerResponse.submission_row_id == submission_row_id,
               MockPayerResponse.kind == ACKNOWLEDGMENT)
        .order_by(MockPayerResponse.id.desc())
        .limit(1))
    return None if body is None else decode_acknowledgment(body)


async def record_appeal(
    session: AsyncSession, account: str, appeal_id: str, payer_claim: MockPayerClaim,
    level: int, letter: str,
) -> MockPayerAppeal:
    """The account's appeal of that id, recorded the first time it is sent."""
    found = (await session.scalars(select(MockPayerAppeal).where(
        MockPayerAppeal.account == account, MockPayerAppeal.appeal_id == appeal_id))
    ).one_or_none()
    if found is not None:
        return found
    appeal = MockPayerAppeal(account=account, appeal_id=appeal_id,
                             payer_claim_id=payer_claim.id, level=level, letter=letter)
    session.add(appeal)
    await session.flush()
    return appeal


async def appeals_to_decide(session: AsyncSession, limit: int) -> list[MockPayerAppeal]:
    """Appeals received and not decided yet, oldest first, locked for this turn."""
    statement = (select(MockPayerAppeal).where(MockPayerAppeal.status == "received")
                 .order_by(MockPayerAppeal.id).limit(limit).with_for_update(skip_locked=True))
    return list(await session.scalars(statement))


async def appeal(session: AsyncSession, account: str, reference: str) -> MockPayerAppeal | None:
    """The account's appeal under the payer's reference (its id), None for any other."""
    if not reference.isascii() or not reference.isdigit():
        return None
    found = await session.get(MockPayerAppeal, int(reference))
    return found if found is not None and found.account == account else None
