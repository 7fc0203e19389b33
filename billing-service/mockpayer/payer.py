"""MockPayer: the payer behind the mock clearinghouse, one mailbox per account.

submit() reads an 837P and only records its claims, as a clearinghouse accepts a file. Each
files() call is one turn of the payer's day: claims received (from every account) are edited
and acknowledged, claims acknowledged adjudication_delay_polls turns earlier are adjudicated,
and what that produced is written once, in X12, into the mailbox of the account that sent the
claim: a 277CA for the acknowledgments and an 835 for the payments, per submitter. The caller
is then handed its own account's files not acknowledged yet. The state lives in the mock
payer's own database, so it survives restarts.

Billing reaches it only as a PayerAdapter: in its own process (mockpayer.adapter) or over
HTTP (mockpayer.app, `mockpayer serve`).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from billing_service.payers.adapter import (
    Acknowledgment,
    AppealDecision,
    AppealRequest,
    ClaimForPayer,
    ClaimStatus,
    EstimateRequest,
    PayerInfo,
    PayerRefused,
    PayerUnavailable,
    Person,
    PriorLineAdjudication,
    PriorPayerAdjudication,
    Remittance,
    ResponseFile,
    SubmissionReceipt,
)
from billing_service.x12 import ack277, eligibility, remit835, status
from billing_service.x12.ack277 import AcknowledgedClaim, Submitter, write_277ca
from billing_service.x12.claim837 import ReceivedClaim, line_item_control_number, read_837p
from billing_service.x12.remit835 import PaidClaim, write_835
from billing_service.x12.syntax import Envelope, read_interchange
from mockpayer import answers, benefits, engine, repository
from mockpayer import status as claim_status
from mockpayer.config import MockPayerConfig
from mockpayer.engine import Accumulator, OriginalClaim, PayerRules
from mockpayer.loader import load_payer_rules
from mockpayer.models import (
    MockPayerAccumulator,
    MockPayerAppeal,
    MockPayerClaim,
    MockPayerResponse,
    MockPayerSubmission,
)
from rcm_shared.db import utcnow
from rcm_shared.money import ZERO

logger = logging.getLogger("billing.mockpayer")

# The remark of a remittance whose claim the payer forwarded to the supplement itself.
RARC_CROSSED_OVER = "MA18"
SUBMIT_ERROR = "submit_error"
SUBMIT_TIMEOUT = "submit_timeout"
DROP_ACK = "drop_ack"


def _utc_today() -> date:
    return utcnow().date()


class MockPayer:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        config: MockPayerConfig | None = None,
        *,
        today: Callable[[], date] = _utc_today,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._config = config or MockPayerConfig()
        self._rules = load_payer_rules(self._config.data_dir)
        # The payer's business day: receipt date for timely filing, paid date on remittances.
        self._today = today
        # Calls of submit() per file (its account and submission ids) not yet answered with a
        # receipt:
        # each attempt draws its own faults, so a retry can get through where the first failed.
        self._attempts: dict[str, int] = {}

    async def payers(self) -> list[PayerInfo]:
        return [rules.info for rules in self._rules.values()]

    async def check_eligibility(self, account: str, inquiry: str) -> str:
        """The 271 answering a 270, from the member, the plan and the member's totals for
        the plan year of the date of service. Raises X12ReadError when the text is not a 270
        the payer can read."""
        await self._latency()
        asked = eligibility.read_270(inquiry)
        rules = self._rules.get(asked.payer_id)
        async with self._sessionmaker() as session, session.begin():
            totals = None
            if rules is not None:
                totals = await repository.accumulator(
                    session, asked.payer_id, asked.member_id, asked.date_of_service.year)
            row = await repository.new_inquiry(session, account, "270", inquiry)
            row.answer = eligibility.write_271(
                asked, benefits.answer(asked, rules, totals),
                self._envelope(row.control_number, _receiver(inquiry),
                               eligibility.ANSWER_FUNCTIONAL_ID, eligibility.VERSION))
            return row.answer

    async def claim_status(self, account: str, inquiry: str) -> str:
        """The 277 answering a 276: where the account's claim of that patient control number
        is (received, rejected, pending, finalized), or not found. Raises X12ReadError when
        the text is not a 276 the payer can read."""
        await self._latency()
        asked = status.read_276(inquiry)
        async with self._sessionmaker() as session, session.begin():
            submission = await repository.latest_submission(
                session, account, asked.patient_control_number)
            if submission is None or submission.payer_id != asked.payer_id \
                    or repository.decode_claim(submission.claim).member_id != asked.member_id:
                found = claim_status.not_found(asked, self._today())
            else:
                found = await self._claim_status(session, submission, asked)
            row = await repository.new_inquiry(session, account, "276", inquiry)
            row.answer = status.write_277(
                asked, found, self._envelope(row.control_number, _receiver(inquiry),
                                             status.ANSWER_FUNCTIONAL_ID, status.VERSION))
            return row.answer

    async def _claim_status(
        self, session: AsyncSession, submission: MockPayerSubmission, asked: status.StatusInquiry
    ) -> status.ClaimStatusAnswer:
        payer_claim = await repository.claim_of_submission(session, submission.id)
        acknowledgment = None
        if submission.stage == "rejected":
            acknowledgment = await repository.acknowledgment_of(session, submission.id)
        remittance = None
        if payer_claim is not None and payer_claim.remittance is not None:
            remittance = repository.decode_remittance(payer_claim.remittance)
        return claim_status.answer(
            asked,
            stage=submission.stage,
            acknowledgment=acknowledgment,
            payer_claim_status=payer_claim.status if payer_claim is not None else None,
            payer_claim_control_number=payer_claim.payer_claim_control_number
            if payer_claim is not None else None,
            remittance=remittance,
            adjudicated_on=payer_claim.adjudicated_at.date()
            if payer_claim is not None and payer_claim.adjudicated_at is not None else None,
            today=self._today(),
        )

    async def estimate(self, request: EstimateRequest) -> Remittance:
        """The remittance the payer would send for these services today, from its current
        accumulator, changing nothing. Raises PayerRefused for an unknown or inactive payer
        or a member it has no record of."""
        await self._latency()
        rules = self._rules.get(request.payer_id)
        if rules is None or not rules.info.active:
            raise PayerRefused(f"Payer {request.payer_id} does not price services.")
        member = engine.find_member(rules, request.member_id)
        if member is None:
            raise PayerRefused("The payer has no member with this id.")
        async with self._sessionmaker() as session:
            totals = await repository.accumulator(
                session, request.payer_id, request.member_id, request.date_of_service.year)
        nobody = Person("", "", None, "U")
        claim = ClaimForPayer(
            submission_id="estimate", patient_control_number="estimate", frequency_code="1",
            original_payer_claim_number=None, payer_id=request.payer_id,
            plan_code=request.plan_code, member_id=request.member_id, group_number=None,
            relationship="self", subscriber=nobody, patient=nobody, patient_id="",
            billing_provider_npi="", rendering_provider_npi="", place_of_service="11",
            date_of_service=request.date_of_service, diagnoses=(), lines=request.lines,
            total_charge=sum((line.charge for line in request.lines), ZERO),
        )
        return engine.adjudicate(
            claim, rules, accumulator=totals or engine.opening_accumulator(member),
            received_on=request.date_of_service, duplicate=False,
            payer_claim_control_number="estimate", paid_date=self._today(),
            predetermination=True,
        ).remittance

    async def appeal(self, account: str, request: AppealRequest) -> str:
        """Record the account's appeal of a claim the payer adjudicated; the payer's reference
        for it. It is decided in the payer's next turn (files()). Sending the same appeal id
        again records nothing new. Raises PayerRefused when the account has no adjudicated
        claim of that payer under that number."""
        await self._latency()
        async with self._sessionmaker() as session, session.begin():
            payer_claim = await repository.payer_claim_by_number(
                session, account, request.payer_claim_control_number)
            if (payer_claim is None or payer_claim.payer_id != request.payer_id
                    or payer_claim.status not in repository.ADJUDICATED
                    or payer_claim.remittance is None):
                raise PayerRefused("The payer has no adjudicated claim under that number "
                                   "from this sender.")
            row = await repository.record_appeal(session, account, request.appeal_id,
                                                 payer_claim, request.level, request.letter)
            return str(row.id)

    async def appeal_decision(self, account: str, reference: str) -> AppealDecision | None:
        """The decision on the account's appeal of that reference; None while under review.
        Raises PayerRefused for a reference that is not one of the account's appeals."""
        await self._latency()
        async with self._sessionmaker() as session:
            row = await repository.appeal(session, account, reference)
            if row is None:
                raise PayerRefused("The payer has no appeal under that reference from this "
                                   "sender.")
            if row.status == "received" or row.decided_on is None:
                return None
            return AppealDecision(
                outcome="overturned" if row.status == "overturned" else "upheld",
                decided_on=row.decided_on, explanation=row.explanation or "")

    async def submit(self, account: str, interchange: str) -> SubmissionReceipt:
        """Raises X12ReadError when the text is not an 837P the payer can read."""
        await self._latency()
        batch = read_837p(interchange)
        # A file is known by the submission ids it carries (one, from billing's outbox).
        key = ",".join([account, *sorted(received.claim.submission_id
                                          for received in batch.claims)])
        attempt = self._attempts.get(key, 0)
        self._attempts[key] = attempt + 1
        if self._fault(self._config.submit_error_rate, key, SUBMIT_ERROR, attempt):
            logger.info(
                "mock payer injected a 5xx", extra={"event": SUBMIT_ERROR, "attempt": attempt}
            )
            raise PayerUnavailable("The payer answered 503 Service Unavailable.")
        async with self._sessionmaker() as session, session.begin():
            for received in batch.claims:
                await repository.record_submission(
                    session, account, received, batch.submitter_id, batch.submitter_name,
                    self._today(),
                )
        if self._fault(self._config.submit_timeout_rate, key, SUBMIT_TIMEOUT, attempt):
            logger.info(
                "mock payer injected a timeout", extra={"event": SUBMIT_TIMEOUT, "attempt": attempt}
            )
            raise PayerUnavailable("The payer did not answer in time.")
        del self._attempts[key]
        return SubmissionReceipt(interchange_control_number=batch.interchange_control_number,
                                 received=True)

    async def files(self, account: str) -> list[ResponseFile]:
        """The account's files not acknowledged yet, oldest first, after this turn's work."""
        await self._latency()
        async with self._sessionmaker() as session, session.begin():
            submissions = await repository.lock_open_submissions(
                session, self._config.max_submissions_per_poll
            )
            for submission in submissions:
                await self._advance(session, submission)
                await session.flush()
            for appeal in await repository.appeals_to_decide(
                    session, self._config.max_submissions_per_poll):
                await self._decide(session, appeal)
                await session.flush()
            # Each submission yields at most an acknowledgment, a reversal and a remittance.
            rows = await repository.take_undelivered_responses(
                session, 3 * self._config.max_submissions_per_poll
            )
            await self._answer(session, rows)
            await session.flush()
            files = await repository.unacknowledged_interchanges(
                session, account, self._config.max_submissions_per_poll
            )
            return [ResponseFile(str(row.control_number), row.content) for row in files]

    async def acknowledge(self, account: str, file_ids: Sequence[str]) -> None:
        """The account kept these files: they are not offered again. Ids that are not the
        account's files change nothing."""
        control_numbers = [int(file_id) for file_id in file_ids
                           if file_id.isascii() and file_id.isdigit()]
        if not control_numbers:
            return
        async with self._sessionmaker() as session, session.begin():
            await repository.acknowledge_interchanges(session, account, control_numbers,
                                                      utcnow())

    async def _answer(self, session: AsyncSession, rows: list[MockPayerResponse]) -> None:
        """A 277CA of the acknowledgments and an 835 of the payments, per account and
        submitter, each stored as an interchange to offer that account."""
        acknowledged: dict[_Addressee, list[tuple[AcknowledgedClaim, date]]] = {}
        paid: dict[_Addressee, list[tuple[PaidClaim, str, str]]] = {}
        for row in rows:
            submission = await repository.submission(session, row.submission_row_id)
            if row.kind == repository.ACKNOWLEDGMENT:
                item = AcknowledgedClaim(repository.decode_acknowledgment(row.body),
                                         repository.decode_claim(submission.claim),
                                         submission.billing_provider_name)
                acknowledged.setdefault(_addressee(submission), []).append(
                    (item, submission.received_on))
            else:
                remittance = repository.decode_remittance(row.body)
                # A reversal answers the claim it reverses: its own submission's lines.
                payer_claim = await repository.payer_claim_by_number(
                    session, submission.account, remittance.payer_claim_control_number)
                if payer_claim is None:  # pragma: no cover - remittances follow claims
                    raise RuntimeError("remittance without its payer claim")
                submission = await repository.submission(session, payer_claim.submission_row_id)
                claim = repository.decode_claim(submission.claim)
                controls = tuple(submission.line_item_control_numbers) or tuple(
                    line_item_control_number(claim.patient_control_number, line.line_number)
                    for line in claim.lines)
                carrier = (self._rules.get(remittance.crossed_over_to)
                           if remittance.crossed_over_to is not None else None)
                paid_claim = PaidClaim(
                    remittance=remittance, claim=claim, line_item_control_numbers=controls,
                    claim_filing_indicator=answers.filing_indicator(
                        claim, self._rules.get(claim.payer_id)),
                    received_on=submission.received_on,
                    crossover_carrier_name=carrier.info.name if carrier is not None else None,
                )
                paid.setdefault(_addressee(submission), []).append(
                    (paid_claim, claim.billing_provider_npi, submission.billing_provider_name))
        for addressee, acknowledged_items in acknowledged.items():
            await self._acknowledge_in_x12(session, addressee, acknowledged_items)
        for addressee, paid_items in paid.items():
            await self._pay_in_x12(session, addressee, paid_items)

    async def _acknowledge_in_x12(
        self,
        session: AsyncSession,
        to: _Addressee,
        items: list[tuple[AcknowledgedClaim, date]],
    ) -> None:
        row = await repository.new_interchange(session, to.account, "277CA", to.submitter_id)
        row.content = write_277ca(
            [item for item, _ in items],
            envelope=self._envelope(row.control_number, to.submitter_id, ack277.FUNCTIONAL_ID,
                                    ack277.VERSION),
            submitter=Submitter(to.submitter_id, to.submitter_name),
            payer_names={payer_id: rules.info.name for payer_id, rules in self._rules.items()},
            received_on=min(received_on for _, received_on in items),
        )

    async def _pay_in_x12(
        self,
        session: AsyncSession,
        to: _Addressee,
        items: list[tuple[PaidClaim, str, str]],
    ) -> None:
        row = await repository.new_interchange(session, to.account, "835", to.submitter_id)
        by_payee: dict[tuple[str, str], list[PaidClaim]] = {}
        payee_names: dict[str, str] = {}
        for paid_claim, payee_npi, payee_name in items:
            by_payee.setdefault((paid_claim.claim.payer_id, payee_npi), []).append(paid_claim)
            payee_names.setdefault(payee_npi, payee_name)
        payments = []
        for index, ((payer_id, payee_npi), claims) in enumerate(by_payee.items(), start=1):
            rules = self._rules.get(payer_id)
            balance = await repository.lock_payee_balance(session, payer_id, payee_npi)
            prefix = rules.claim_number_prefix if rules is not None else "MP"
            payment, balance.owed = answers.payment(
                answers.PayeeClaims(answers.payer_of(payer_id, rules), payee_npi,
                                    payee_names[payee_npi], tuple(claims), balance.owed),
                trace_number=f"{prefix}{row.control_number:09d}{index:03d}",
                paid_on=self._today(),
            )
            balance.updated_at = utcnow()
            payments.append(payment)
        row.content = write_835(payments, self._envelope(
            row.control_number, to.submitter_id, remit835.FUNCTIONAL_ID, remit835.VERSION))

    def _envelope(
        self, control_number: int, receiver_id: str, functional_id: str, version: str
    ) -> Envelope:
        return Envelope(sender_id=answers.INTERCHANGE_ID, receiver_id=receiver_id,
                        control_number=control_number, created_at=utcnow(),
                        functional_id=functional_id, version=version)

    async def _advance(self, session: AsyncSession, submission: MockPayerSubmission) -> None:
        claim = repository.decode_claim(submission.claim)
        if submission.stage == "received":
            if not submission.ack_deferred and self._fault(
                self._config.drop_ack_rate, submission.submission_id, DROP_ACK, 0
            ):
                submission.ack_deferred = True
                logger.info("mock payer held back an acknowledgment", extra={"event": DROP_ACK})
                return
            if not await self._acknowledge(session, submission, claim):
                return
        else:
            submission.polls_since_ack += 1
        if submission.polls_since_ack >= self._config.adjudication_delay_polls:
            await self._adjudicate(session, submission, claim)

    async def _acknowledge(
        self, session: AsyncSession, submission: MockPayerSubmission, claim: ClaimForPayer
    ) -> bool:
        """The front-end edits: an accepted claim gets its payer claim control number."""
        rules = self._rules.get(claim.payer_id)
        original = None
        if claim.frequency_code != "1" and claim.original_payer_claim_number:
            original = await repository.payer_claim_by_number(
                session, submission.account, claim.original_payer_claim_number
            )
        errors = engine.front_end_errors(claim, rules, _original_facts(original))
        crossover = submission.crossover_of_id is not None
        if rules is None or errors:
            submission.stage = "rejected"
            if crossover:
                # The provider never sent it: the supplement's refusal reaches nobody, and the
                # provider bills the supplement itself when no payment follows.
                logger.info("mock payer crossover refused", extra={"event": "crossover_refused"})
                return False
            acknowledgment = Acknowledgment(
                patient_control_number=claim.patient_control_number,
                submission_id=claim.submission_id,
                status="rejected",
                payer_claim_control_number=None,
                errors=errors,
            )
            repository.add_response(session, submission.id, acknowledgment)
            return False
        payer_claim = await repository.create_payer_claim(
            session,
            submission.id,
            f"{rules.claim_number_prefix}{submission.id:010d}",
            claim,
            engine.plan_year(claim),
            engine.duplicate_key(claim),
        )
        if original is not None:
            original.superseded_by_id = payer_claim.id
        submission.stage = "accepted"
        if crossover:
            return True
        acknowledgment = Acknowledgment(
            patient_control_number=claim.patient_control_number,
            submission_id=claim.submission_id,
            status="accepted",
            payer_claim_control_number=payer_claim.payer_claim_control_number,
        )
        repository.add_response(session, submission.id, acknowledgment)
        return True

    async def _adjudicate(
        self, session: AsyncSession, submission: MockPayerSubmission, claim: ClaimForPayer
    ) -> None:
        payer_claim = await repository.payer_claim_of_submission(session, submission.id)
        rules = self._rules[claim.payer_id]
        if claim.frequency_code in ("7", "8"):
            original = await repository.payer_claim_by_number(
                session, submission.account, str(claim.original_payer_claim_number)
            )
            if original is None:
                raise RuntimeError(f"accepted claim {payer_claim.id} lost its original")
            if original.status == "pending":
                # Another replica holds the original (it came in earlier and is adjudicated
                # first); try again next turn.
                return
            await self._reverse(session, submission, original, rules)
        if claim.frequency_code == "8":
            payer_claim.status = "applied"
        else:
            await self._price(session, submission, payer_claim, claim, rules)
        payer_claim.adjudicated_at = utcnow()
        submission.stage = "adjudicated"

    async def _decide(self, session: AsyncSession, appeal: MockPayerAppeal) -> None:
        """Review the appealed claim (engine.review_appeal); an overturned one is reversed and
        adjudicated again with the reviewed lines paid, both remittances in the next 835."""
        payer_claim = await session.get(MockPayerClaim, appeal.payer_claim_id)
        if payer_claim is None or payer_claim.remittance is None:  # pragma: no cover
            raise RuntimeError(f"appeal {appeal.id} lost its adjudicated claim")
        if payer_claim.status not in repository.ADJUDICATED:
            # Reversed by a replacement or void received since: nothing stands to review.
            appeal.status = "upheld"
            appeal.decided_on = self._today()
            appeal.explanation = ("Upheld: the claim was since replaced or voided; appeal the "
                                  "claim that stands, if any.")
            return
        submission = await repository.submission(session, payer_claim.submission_row_id)
        claim = repository.decode_claim(submission.claim)
        rules = self._rules[claim.payer_id]
        standing = repository.decode_remittance(payer_claim.remittance)
        review = engine.review_appeal(claim, standing, rules)
        if review.overturned_lines:
            totals = await repository.lock_accumulator(
                session, claim.payer_id, claim.member_id, payer_claim.plan_year,
                _opening(rules, claim.member_id))
            _store(totals, engine.give_back(_current(totals), standing))
            repository.add_response(session, submission.id,
                                    engine.reverse(standing, paid_date=self._today()))
            result = engine.adjudicate(
                claim, rules, accumulator=_current(totals), received_on=submission.received_on,
                duplicate=payer_claim.denied_as_duplicate,
                payer_claim_control_number=payer_claim.payer_claim_control_number,
                paid_date=self._today(), reviewed_lines=review.overturned_lines)
            _store(totals, result.accumulator)
            payer_claim.status = result.remittance.status
            payer_claim.remittance = repository.encode_remittance(result.remittance)
            repository.add_response(session, submission.id, result.remittance)
        appeal.status = review.outcome
        appeal.decided_on = self._today()
        appeal.explanation = review.explanation

    async def _reverse(
        self,
        session: AsyncSession,
        submission: MockPayerSubmission,
        original: MockPayerClaim,
        rules: PayerRules,
    ) -> None:
        """Take back the original's payment and give the member back its cost sharing."""
        if original.remittance is None:
            raise RuntimeError(f"adjudicated claim {original.id} has no remittance")
        remittance = repository.decode_remittance(original.remittance)
        totals = await repository.lock_accumulator(
            session,
            original.payer_id,
            original.member_id,
            original.plan_year,
            _opening(rules, original.member_id),
        )
        _store(totals, engine.give_back(_current(totals), remittance))
        original.status = "reversed"
        repository.add_response(
            session, submission.id, engine.reverse(remittance, paid_date=self._today())
        )

    async def _price(
        self,
        session: AsyncSession,
        submission: MockPayerSubmission,
        payer_claim: MockPayerClaim,
        claim: ClaimForPayer,
        rules: PayerRules,
    ) -> None:
        totals = await repository.lock_accumulator(
            session,
            claim.payer_id,
            claim.member_id,
            payer_claim.plan_year,
            _opening(rules, claim.member_id),
        )
        duplicate = await repository.has_standing_duplicate(
            session, claim.payer_id, payer_claim.duplicate_key, payer_claim.id
        )
        result = engine.adjudicate(
            claim,
            rules,
            accumulator=_current(totals),
            received_on=submission.received_on,
            duplicate=duplicate,
            payer_claim_control_number=payer_claim.payer_claim_control_number,
            paid_date=self._today(),
        )
        _store(totals, result.accumulator)
        remittance = result.remittance
        member = engine.find_member(rules, claim.member_id)
        if (member is not None and member.crossover_payer_id is not None
                and member.crossover_member_id is not None
                and remittance.status != ClaimStatus.DENIED
                and remittance.patient_responsibility > 0):
            remittance = replace(
                remittance, crossed_over_to=member.crossover_payer_id,
                remark_codes=(*remittance.remark_codes, RARC_CROSSED_OVER))
            await self._cross_over(session, submission, claim, remittance, rules,
                                   member.crossover_member_id)
        payer_claim.status = remittance.status
        payer_claim.denied_as_duplicate = duplicate
        payer_claim.remittance = repository.encode_remittance(remittance)
        repository.add_response(session, submission.id, remittance)

    async def _cross_over(
        self,
        session: AsyncSession,
        submission: MockPayerSubmission,
        claim: ClaimForPayer,
        remittance: Remittance,
        rules: PayerRules,
        supplement_member_id: str,
    ) -> None:
        """Forward the claim to the member's supplement with this payer's adjudication, as
        Medicare's crossover does: the supplement adjudicates it in its own turn."""
        forwarded = replace(
            claim,
            submission_id=f"{claim.submission_id}-crossover",
            payer_id=str(remittance.crossed_over_to),
            plan_code=None,
            member_id=supplement_member_id,
            payer_sequence="S",
            prior_payers=(*claim.prior_payers, _prior_payer(claim, remittance, rules)),
        )
        await repository.record_submission(
            session, submission.account,
            ReceivedClaim(forwarded, submission.billing_provider_name,
                                     tuple(submission.line_item_control_numbers)),
            submission.submitter_id, submission.submitter_name, self._today(),
            crossover_of_id=submission.id,
        )

    def _fault(self, rate: float, submission_id: str, kind: str, attempt: int) -> bool:
        """A reproducible draw: the same seed, submission and attempt always decide alike."""
        if rate <= 0:
            return False
        key = f"{self._config.seed}:{submission_id}:{kind}:{attempt}".encode()
        draw = int.from_bytes(hashlib.sha256(key).digest()[:8], "big") / 2**64
        return draw < rate

    async def _latency(self) -> None:
        if self._config.latency_ms:
            await asyncio.sleep(self._config.latency_ms / 1000)


@dataclass(frozen=True, slots=True)
class _Addressee:
    """Whom a file answers: the account that sent the claims and the submitter its 837P
    named (ISA06 and loop 1000A)."""

    account: str
    submitter_id: str
    submitter_name: str


def _prior_payer(
    claim: ClaimForPayer, remittance: Remittance, rules: PayerRules
) -> PriorPayerAdjudication:
    adjudicated_on = remittance.paid_date or utcnow().date()
    return PriorPayerAdjudication(
        payer_id=claim.payer_id,
        payer_name=rules.info.name,
        member_id=claim.member_id,
        subscriber=claim.subscriber,
        relationship=claim.relationship,
        payer_sequence="P",
        claim_filing_indicator=answers.filing_indicator(claim, rules),
        paid=remittance.paid,
        patient_responsibility=remittance.patient_responsibility,
        claim_adjustments=remittance.claim_adjustments,
        lines=tuple(
            PriorLineAdjudication(line.line_number, line.procedure_code, line.paid,
                                  line.adjustments, adjudicated_on)
            for line in remittance.lines
        ),
    )


def _receiver(inquiry: str) -> str:
    """Who asked: the sender (ISA06) of the inquiry, to whom the answer goes."""
    return read_interchange(inquiry).sender_id or answers.INTERCHANGE_ID


def _addressee(submission: MockPayerSubmission) -> _Addressee:
    return _Addressee(submission.account, submission.submitter_id, submission.submitter_name)


def _original_facts(original: MockPayerClaim | None) -> OriginalClaim | None:
    # A void is not a claim that can itself be replaced or voided.
    if original is None or original.frequency_code == "8":
        return None
    return OriginalClaim(
        payer_id=original.payer_id,
        member_id=original.member_id,
        replaceable=original.superseded_by_id is None and original.status != "reversed",
    )


def _opening(rules: PayerRules, member_id: str) -> Accumulator:
    member = engine.find_member(rules, member_id)
    return engine.opening_accumulator(member) if member is not None else Accumulator()


def _current(totals: MockPayerAccumulator) -> Accumulator:
    return Accumulator(totals.deductible_met, totals.out_of_pocket_met)


def _store(totals: MockPayerAccumulator, accumulator: Accumulator) -> None:
    totals.deductible_met = accumulator.deductible_met
    totals.out_of_pocket_met = accumulator.out_of_pocket_met
    totals.updated_at = utcnow()
