"""Claim rules and orchestration: build from coding-service, scrub, and move through the
lifecycle. Every transition goes through the state machine and is recorded as an event."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.claims.builder import BuiltClaim, BuiltLine, EncounterLine, build_claim
from billing_service.claims.next_payer import NextPayerBilling
from billing_service.claims.payer_claim import postal_address, provider_party, stored_drug
from billing_service.claims.repository import ClaimRepository
from billing_service.claims.schemas import (
    ClaimCreate,
    ClaimPatch,
    ClaimRemittanceOut,
    CorrectionCreate,
    PayerPartOut,
    RemittanceTotals,
    open_balance,
    remittance_out,
)
from billing_service.claims.scrubber import (
    TOTAL_TOO_LARGE,
    CoverageWindow,
    ScrubInput,
    scrub,
)
from billing_service.claims.split import split_encounter
from billing_service.claims.state_machine import (
    NEVER_ACCEPTED,
    ClaimAction,
    ClaimStatus,
    allowed_actions,
)
from billing_service.claims.transitions import (
    actor,
    check_allowed,
    transition,
    ways_on,
)
from billing_service.codingclient.client import (
    CodingReader,
    CodingServiceRefused,
    CodingServiceUnavailable,
    EncounterNotFound,
)
from billing_service.codingclient.schemas import CodedEncounter
from billing_service.coverages.repository import CoverageRepository
from billing_service.models.claim import Claim, ClaimEvent, ClaimLine, PayerSequence
from billing_service.models.coverage import Coverage
from billing_service.payers.adapter import DrugCode
from billing_service.payers.service import PayerService, plan_of
from billing_service.providers.repository import ProviderRepository
from rcm_shared.auth import Principal
from rcm_shared.db import utcnow
from rcm_shared.http import check_version
from rcm_shared.issues import IssueDict, Severity, has_errors, issue
from rcm_shared.money import ZERO, to_money
from rcm_shared.pagination import Slice
from rcm_shared.problems import ProblemError, conflict, not_found

T = TypeVar("T")
def _unprocessable(rule: str, path: str, message: str) -> ProblemError:
    return ProblemError(422, "Cannot build the claim", message, type_="validation",
                        issues=[issue(rule, path, message)])


def _built(coded: CodedEncounter) -> list[BuiltClaim]:
    """The claim of the encounter, or the claims it is split into when one cannot hold it."""
    parts = split_encounter(
        [d.code for d in coded.diagnoses],
        [
            EncounterLine(
                procedure_code=line.procedure_code, modifiers=tuple(line.modifiers),
                units=line.units, charge=line.charge,
                diagnosis_pointers=tuple(line.diagnosis_pointers),
                date_of_service=line.date_of_service,
                date_of_service_to=line.date_of_service_to,
                ndc=DrugCode(line.ndc.code, line.ndc.unit, line.ndc.quantity)
                if line.ndc is not None else None,
            )
            for line in coded.service_lines
        ],
    )
    return [build_claim(part.diagnoses, part.lines, coded.date_of_service) for part in parts]


def _split_correction(original: Claim, coding_version: int) -> ProblemError:
    return _unprocessable(
        "correction.split", "$.encounter_coding_version",
        f"A correction replaces one claim with one, but claim {original.id} is part of a split "
        f"or coding version {coding_version} needs several claims. Void each claim of the "
        "encounter a payer accepted (POST /v1/claims/{id}/void) and cancel the others "
        "(POST /v1/claims/{id}/cancel), then bill it anew: POST /v1/claims.",
    )


def _already_built(standing: list[Claim], coding_version: int) -> Claim | None:
    """The first claim of `coding_version` when all of its split still stands for the visit;
    None when nothing does, or only claims no payer accepted (they are to be rebuilt); a 409
    naming what works when a payer holds one."""
    current = [c for c in standing if c.coding_version == coding_version]
    if current and len(current) == current[0].split_count:
        return current[0]
    held = next((c for c in standing if ClaimStatus(c.status) not in NEVER_ACCEPTED), None)
    if held is None:
        return None
    # A second original for one visit would bill it twice: a new coding of a visit a payer
    # holds goes to it as a replacement of the claim it has, once adjudicated.
    status = ClaimStatus(held.status)
    correctable = ClaimAction.CORRECT in allowed_actions(status)
    raise conflict(
        f"A payer holds the encounter's claim {held.id} (coding version {held.coding_version}, "
        f"status '{status}'), so coding version {coding_version} cannot be billed beside it. "
        f"{ways_on(held)}",
        claim_id=held.id, claim_status=status.value,
        allowed_actions=[a.value for a in allowed_actions(status)],
        **({"corrections": f"/v1/claims/{held.id}/corrections"} if correctable else {}),
    )


def _facts(facts: BaseModel | None) -> dict[str, Any] | None:
    """What coding-service said, kept as it said it (a JSON column)."""
    return facts.model_dump(mode="json") if facts is not None else None


def stored_lines(claim: Claim) -> list[BuiltLine]:
    return [
        BuiltLine(
            line_number=line.line_number, procedure_code=line.procedure_code,
            modifiers=tuple(line.modifiers), units=line.units, charge=line.charge,
            diagnosis_pointers=tuple(line.diagnosis_pointers),
            date_of_service=line.date_of_service,
            date_of_service_to=line.date_of_service_to,
            ndc=stored_drug(line.ndc),
        )
        for line in claim.lines
    ]


class ClaimService:
    """`coding` reads coding-service with the key the claim is built for (the caller's own,
    or billing's for the tenant); `retry_after_seconds` is what a 503 tells the caller when
    coding-service could not be reached."""

    def __init__(self, session: AsyncSession, principal: Principal, *, payers: PayerService,
                 coding: CodingReader, retry_after_seconds: int) -> None:
        self.session = session
        self.principal = principal
        self.payers = payers
        self.coding = coding
        self.retry_after_seconds = retry_after_seconds
        self.repository = ClaimRepository(session, principal.tenant_id)
        self.coverages = CoverageRepository(session, principal.tenant_id)
        self.providers = ProviderRepository(session, principal.tenant_id)

    @property
    def actor(self) -> str:
        return actor(self.principal)

    async def _from_coding(self, call: Awaitable[T], what: str) -> T:
        """One coding-service read, its failures turned into problems the caller can act on."""
        try:
            return await call
        except CodingServiceUnavailable as exc:
            raise ProblemError(
                503, "coding-service unavailable",
                "coding-service could not be reached; nothing was stored. Retry later.",
                type_="upstream-unavailable",
                headers={"Retry-After": str(self.retry_after_seconds)},
            ) from exc
        except EncounterNotFound as exc:
            raise not_found(what) from exc
        except CodingServiceRefused as exc:
            if exc.status == 403:
                # The caller's own key was forwarded: it is the caller who may not read codes.
                raise ProblemError(
                    403, "Forbidden",
                    f"coding-service refused this API key ({exc.detail}); building a claim "
                    "reads the encounter there and needs the coding:read scope.",
                    type_="forbidden",
                ) from exc
            raise ProblemError(
                502, "coding-service refused the request", exc.detail, type_="upstream-refused"
            ) from exc

    async def _scrub_findings(
        self,
        coverage: Coverage,
        *,
        diagnoses: list[str],
        omitted_diagnoses: tuple[str, ...],
        lines: list[BuiltLine],
        total_charge: Decimal,
        claim_facts: CodedEncounter | Claim,
        frequency_code: str,
    ) -> list[IssueDict]:
        payer = await self.payers.find(coverage.payer_id)
        plan = plan_of(payer, coverage.plan_code) if payer is not None else None
        providers = await self.providers.by_npi(
            {claim_facts.billing_provider_npi, claim_facts.rendering_provider_npi})
        return scrub(ScrubInput(
            diagnoses=diagnoses,
            omitted_diagnoses=omitted_diagnoses,
            lines=lines,
            total_charge=total_charge,
            billing_provider_npi=claim_facts.billing_provider_npi,
            rendering_provider_npi=claim_facts.rendering_provider_npi,
            billing_provider=provider_party(providers.get(claim_facts.billing_provider_npi)),
            rendering_provider=provider_party(
                providers.get(claim_facts.rendering_provider_npi)),
            date_of_service=claim_facts.date_of_service,
            coverage=CoverageWindow(coverage.effective_from, coverage.effective_to),
            payer_id=coverage.payer_id,
            payer_active=payer is not None and payer.active,
            frequency_code=frequency_code,
            accepted_frequency_codes=plan.accepts_frequency_codes if plan is not None else (),
            patient_address=postal_address(
                claim_facts.patient_address if isinstance(claim_facts, Claim)
                else _facts(claim_facts.patient.address)),
            relationship=coverage.relationship,
            subscriber_address=postal_address(coverage.subscriber_address),
            place_of_service=claim_facts.place_of_service,
            has_service_facility=claim_facts.service_facility is not None,
        ))

    async def _rescrub(self, claim: Claim) -> list[IssueDict]:
        """Scrub the stored claim against its coverage as it is now (it may have been fixed)."""
        coverage = await self.coverages.of_claim(claim)
        findings = await self._scrub_findings(
            coverage, diagnoses=list(claim.diagnoses), omitted_diagnoses=(),
            lines=stored_lines(claim), total_charge=claim.total_charge, claim_facts=claim,
            frequency_code=claim.frequency_code,
        )
        claim.scrub_issues = findings
        # The plan's limit as it is now; a next payer's claim, built from a remittance, learns
        # it here.
        claim.timely_filing_days = await self._filing_limit(coverage)
        return findings

    async def _coverage_for(self, coverage_id: str | None, coded: CodedEncounter) -> Coverage:
        if coverage_id is None:
            coverage = await self.coverages.active_for_patient(coded.patient.id,
                                                               coded.date_of_service)
            if coverage is None:
                raise _unprocessable(
                    "coverage.none_active", "$.coverage_id",
                    "The patient has no coverage in force on "
                    f"{coded.date_of_service.isoformat()}; record one (POST /v1/coverages) "
                    "or pass coverage_id.",
                )
            return coverage
        coverage = await self.coverages.get(coverage_id)
        if coverage is None:
            raise _unprocessable("coverage.unknown", "$.coverage_id", "No coverage with that id.")
        if coverage.patient_id != coded.patient.id:
            raise _unprocessable("coverage.patient_mismatch", "$.coverage_id",
                                 "That coverage belongs to another patient than the encounter's.")
        return coverage

    async def _new_claims(
        self, coded: CodedEncounter, coverage: Coverage, parts: list[BuiltClaim], *,
        frequency_code: str, replaces: Claim | None,
    ) -> list[Claim]:
        """The claims of one coding version, one per part of its split, in order."""
        claims = []
        filing_limit = await self._filing_limit(coverage)
        for index, built in enumerate(parts, start=1):
            findings = await self._scrub_findings(
                coverage, diagnoses=list(built.diagnoses),
                omitted_diagnoses=built.omitted_diagnoses, lines=list(built.lines),
                total_charge=built.total_charge, claim_facts=coded,
                frequency_code=frequency_code,
            )
            too_large = next((f for f in findings if f["rule"] == TOTAL_TOO_LARGE), None)
            if too_large is not None:
                raise _unprocessable(TOTAL_TOO_LARGE, too_large["path"], too_large["message"])
            claim = self._new_claim(coded, coverage, built, findings,
                                    frequency_code=frequency_code, replaces=replaces,
                                    split=(index, len(parts)))
            claim.timely_filing_days = filing_limit
            claims.append(claim)
        return claims

    async def _filing_limit(self, coverage: Coverage) -> int | None:
        """The timely filing limit of the coverage's plan, in days from the date of service."""
        plan = await self.payers.plan(coverage.payer_id, coverage.plan_code)
        return plan.timely_filing_days if plan is not None else None

    def _new_claim(
        self, coded: CodedEncounter, coverage: Coverage, built: BuiltClaim,
        findings: list[IssueDict], *, frequency_code: str, replaces: Claim | None,
        split: tuple[int, int],
    ) -> Claim:
        split_index, split_count = split
        claim = Claim(
            id=str(uuid.uuid4()),
            tenant_id=self.principal.tenant_id,
            encounter_id=coded.encounter_id,
            coding_version=coded.coding_version,
            coverage_id=coverage.id,
            split_index=split_index,
            split_count=split_count,
            payer_id=coverage.payer_id,
            patient_id=coded.patient.id,
            patient_first_name=coded.patient.first_name,
            patient_last_name=coded.patient.last_name,
            patient_birth_date=coded.patient.birth_date,
            patient_sex=coded.patient.sex,
            date_of_service=coded.date_of_service,
            place_of_service=coded.place_of_service,
            rendering_provider_npi=coded.rendering_provider_npi,
            billing_provider_npi=coded.billing_provider_npi,
            patient_address=_facts(coded.patient.address),
            referring_provider=_facts(coded.referring_provider),
            service_facility=_facts(coded.service_facility),
            prior_authorization=coded.prior_authorization,
            diagnoses=list(built.diagnoses),
            status=ClaimStatus.READY.value,
            frequency_code=frequency_code,
            replaces_claim_id=replaces.id if replaces else None,
            original_payer_claim_number=replaces.payer_claim_control_number if replaces else None,
            total_charge=built.total_charge,
            scrub_issues=findings,
            payer_errors=[],
            created_by=self.actor,
            lines=[
                ClaimLine(
                    line_number=line.line_number, procedure_code=line.procedure_code,
                    modifiers=list(line.modifiers), units=line.units, charge=line.charge,
                    diagnosis_pointers=list(line.diagnosis_pointers),
                    date_of_service=line.date_of_service,
                    date_of_service_to=line.date_of_service_to,
                    ndc={"code": line.ndc.code, "unit": line.ndc.unit,
                         "quantity": str(line.ndc.quantity)} if line.ndc else None,
                )
                for line in built.lines
            ],
        )
        self.repository.add(claim)
        reason = f"Built from coding version {coded.coding_version} of the encounter"
        if split_count > 1:
            reason += f", claim {split_index} of the {split_count} it is split into"
        if replaces is not None:
            reason += (f"; replaces claim {replaces.id} "
                       f"(payer claim {replaces.payer_claim_control_number})")
        self.repository.record_event(
            claim, actor=self.actor, action="create", from_status=None, reason=reason,
            data={"scrub_errors": sum(1 for f in findings if f["severity"] == Severity.ERROR)})
        return claim

    async def create(self, body: ClaimCreate) -> tuple[Claim, bool]:
        """The claim for the encounter's current coding version, and whether it is new."""
        summary = await self._from_coding(self.coding.encounter(body.encounter_id), "encounter")
        if summary.status != "finalized":
            raise conflict(
                f"The encounter is '{summary.status}'; only a finalized encounter can be billed. "
                f"Finalize it in coding-service (POST /v1/encounters/{summary.id}/finalize), "
                "then build its claim again.",
                encounter_status=summary.status,
            )
        built = _already_built(await self.repository.standing_for_encounter(summary.id),
                               summary.coding_version)
        if built is not None:
            return built, False
        coded = await self._from_coding(
            self.coding.coding_version(summary.id, summary.coding_version),
            "encounter coding version",
        )
        # Read again under lock: no network call is made while it is held.
        standing = await self.repository.standing_for_encounter(summary.id, for_update=True)
        built = _already_built(standing, summary.coding_version)
        if built is not None:
            return built, False
        coverage = await self._coverage_for(
            body.coverage_id or (standing[-1].coverage_id if standing else None), coded)
        parts = _built(coded)
        replaces = await self._held_original(summary.id, standing)
        if replaces is not None and len(parts) > 1:
            raise _split_correction(replaces, coded.coding_version)
        try:
            async with self.session.begin_nested():
                # What stood for the visit was never accepted by a payer (_already_built):
                # the new claims take its place, and each old one says by which.
                canceled = [(old, transition(old, ClaimAction.CANCEL)[0]) for old in standing]
                await self.session.flush()
                claims = await self._new_claims(
                    coded, coverage, parts, frequency_code="7" if replaces else "1",
                    replaces=replaces)
                if replaces is not None:
                    await self.session.flush()
                    replaces.replaced_by_claim_id = claims[0].id
                for old, from_status in canceled:
                    self.repository.record_event(
                        old, actor=self.actor, action=ClaimAction.CANCEL.value,
                        from_status=from_status,
                        reason=f"Rebuilt from coding version {coded.coding_version} as "
                               f"claim {', '.join(c.id for c in claims)}",
                        data={"claim_ids": [c.id for c in claims]},
                    )
        except IntegrityError:
            # A concurrent request built the same claims first: answer with the first.
            existing = await self.repository.for_encounter_version(summary.id,
                                                                   summary.coding_version)
            if existing is None:
                raise
            return existing, False
        return claims[0], True

    async def _held_original(self, encounter_id: str, standing: list[Claim]) -> Claim | None:
        """The claim a payer holds that a new claim of the encounter must replace: the one a
        replacement no payer accepted yet was to replace (standing, or canceled since). The
        payer still holds it as it was, so a second original would bill the visit twice."""
        replacing = next((c for c in standing if c.replaces_claim_id is not None), None)
        if replacing is not None and replacing.replaces_claim_id is not None:
            return await self.repository.get(replacing.replaces_claim_id)
        return await self.repository.replaced_by_canceled(encounter_id)

    async def cancel(self, claim_id: str, expected_version: int | None) -> Claim:
        """End a claim no payer accepted; its encounter may then be billed anew."""
        claim = await self._locked_claim(claim_id, expected_version)
        from_status, _ = transition(claim, ClaimAction.CANCEL)
        self.repository.record_event(
            claim, actor=self.actor, action=ClaimAction.CANCEL.value, from_status=from_status,
            reason="Canceled before any payer accepted it; the encounter may be billed anew",
        )
        await self.session.flush()
        return claim

    async def change_coverage(self, claim_id: str, body: ClaimPatch,
                              expected_version: int | None) -> Claim:
        """Point a claim no payer accepted at another coverage of its patient, and scrub it
        against that coverage."""
        claim = await self.repository.get(claim_id, for_update=True)
        if claim is None:
            raise not_found("claim")
        check_version(expected_version, claim.version)
        check_allowed(claim, ClaimAction.CHANGE_COVERAGE)
        coverage = await self.coverages.get(body.coverage_id)
        if coverage is None:
            raise _unprocessable("coverage.unknown", "$.coverage_id", "No coverage with that id.")
        if coverage.patient_id != claim.patient_id:
            raise _unprocessable("coverage.patient_mismatch", "$.coverage_id",
                                 "That coverage belongs to another patient than the claim's.")
        if claim.replaces_claim_id is not None and coverage.payer_id != claim.payer_id:
            raise _unprocessable(
                "coverage.replacement_payer", "$.coverage_id",
                f"This claim replaces one payer {claim.payer_id} holds, so it goes to that "
                f"payer, not {coverage.payer_id}. To bill {coverage.payer_id} instead, void the "
                f"claim it replaces (POST /v1/claims/{claim.replaces_claim_id}/void) and bill "
                "the encounter anew.")
        before = f"coverage {claim.coverage_id} (payer {claim.payer_id})"
        from_status, _ = transition(claim, ClaimAction.CHANGE_COVERAGE)
        claim.coverage_id = coverage.id
        claim.payer_id = coverage.payer_id
        findings = await self._rescrub(claim)
        self.repository.record_event(
            claim, actor=self.actor, action=ClaimAction.CHANGE_COVERAGE.value,
            from_status=from_status,
            reason=f"From {before} to coverage {coverage.id} (payer {coverage.payer_id})",
            data={"coverage_id": coverage.id,
                  "scrub_errors": sum(1 for f in findings if f["severity"] == Severity.ERROR)},
        )
        await self.session.flush()
        return claim

    async def _locked_claim(self, claim_id: str, expected_version: int | None) -> Claim:
        claim = await self.repository.get(claim_id, for_update=True)
        if claim is None:
            raise not_found("claim")
        check_version(expected_version, claim.version, required=False)
        return claim

    def _queue(self, claim: Claim, kind: str, frequency_code: str) -> str:
        submission_id = uuid.uuid4().hex
        self.repository.queue(claim, kind=kind, submission_id=submission_id,
                              frequency_code=frequency_code)
        return submission_id

    async def submit(self, claim_id: str, expected_version: int | None,
                     action: ClaimAction) -> Claim:
        """Submit (from ready) or resubmit (from rejected): scrub, then queue for the payer."""
        claim = await self._locked_claim(claim_id, expected_version)
        from_status, _ = transition(claim, action)
        findings = await self._rescrub(claim)
        if has_errors(findings):
            before = ClaimStatus(from_status)
            raise ProblemError(
                422, "The claim does not pass the scrubber",
                "Fix the errors listed in issues, then submit again; a claim on the wrong "
                f"coverage or payer can be pointed at another (PATCH /v1/claims/{claim.id} "
                f'{{"coverage_id"}}) or canceled (POST /v1/claims/{claim.id}/cancel).',
                type_="scrubber", issues=findings,
                extra={"claim_status": before.value,
                       "allowed_actions": [a.value for a in allowed_actions(before)]},
            )
        now = utcnow()
        claim.submission_id = self._queue(claim, "submit", claim.frequency_code)
        claim.submission_count += 1
        claim.first_submitted_at = claim.first_submitted_at or now
        claim.last_submitted_at = now
        claim.payer_errors = []
        self.repository.record_event(claim, actor=self.actor, action=action.value,
                                     from_status=from_status,
                                     data={"submission_id": claim.submission_id})
        await self.session.flush()
        return claim

    async def _require_frequency(self, claim: Claim, frequency_code: str, what: str) -> None:
        coverage = await self.coverages.of_claim(claim)
        plan = await self.payers.plan(coverage.payer_id, coverage.plan_code)
        accepted = plan.accepts_frequency_codes if plan is not None else ()
        if frequency_code not in accepted:
            message = (
                f"Payer {coverage.payer_id} does not accept a {what} (claim frequency code "
                f"{frequency_code}); it accepts {', '.join(accepted) or 'none'}. Work it with "
                "the payer directly."
            )
            raise ProblemError(422, f"The payer does not accept a {what}", message,
                               type_="payer-rule",
                               issues=[issue("payer.frequency_not_accepted", "$.frequency_code",
                                             message)])

    async def void(self, claim_id: str, expected_version: int | None) -> Claim:
        claim = await self._locked_claim(claim_id, expected_version)
        from_status, _ = transition(claim, ClaimAction.VOID)
        await self._require_frequency(claim, "8", "void")
        submission_id = self._queue(claim, "void", "8")
        self.repository.record_event(
            claim, actor=self.actor, action="void", from_status=from_status,
            reason=f"Void (frequency 8) of payer claim {claim.payer_claim_control_number}",
            data={"submission_id": submission_id},
        )
        following = await self.repository.next_payers_claim(claim)
        if following is not None:
            await NextPayerBilling(self.session, self.principal.tenant_id).withdraw(
                following, f"claim {claim.id}, of the payer before, was voided")
        await self.session.flush()
        return claim

    async def correct(self, claim_id: str, body: CorrectionCreate,
                      expected_version: int | None) -> Claim:
        """A replacement claim (frequency 7) from another coding version; the original is
        then `replaced`. Checked before and again after the coding-service call, so no row
        lock is held across the network."""
        original = await self.get(claim_id)
        check_version(expected_version, original.version, required=False)
        never_accepted = ClaimStatus(original.status) in NEVER_ACCEPTED
        check_allowed(original, ClaimAction.CORRECT, why=(
            f"no payer accepted it, so there is nothing to replace: POST /v1/claims "
            f'{{"encounter_id": "{original.encounter_id}"}} rebuilds it from the encounter\'s '
            "current coding version" if never_accepted else None))
        await self._require_frequency(original, "7", "replacement claim")
        coded = await self._from_coding(
            self.coding.coding_version(original.encounter_id, body.encounter_coding_version),
            "encounter coding version",
        )
        original = await self._locked_claim(claim_id, expected_version)
        taken = await self.repository.for_encounter_version(original.encounter_id,
                                                            coded.coding_version)
        if taken is not None:
            raise conflict(
                f"Coding version {coded.coding_version} of this encounter already has claim "
                f"{taken.id}; a correction needs a newer finalized coding version (reopen "
                "the encounter in coding-service, recode and finalize it, then correct with "
                "that version).",
                claim_id=taken.id,
            )
        parts = _built(coded)
        if original.split_count > 1 or len(parts) > 1:
            raise _split_correction(original, coded.coding_version)
        coverage = await self.coverages.of_claim(original)
        from_status, _ = transition(original, ClaimAction.CORRECT)
        [replacement] = await self._new_claims(coded, coverage, parts, frequency_code="7",
                                               replaces=original)
        # The replacement row must exist before the original can refer to it.
        await self.session.flush()
        original.replaced_by_claim_id = replacement.id
        self.repository.record_event(
            original, actor=self.actor, action="correct", from_status=from_status,
            reason=f"Replaced by claim {replacement.id} (coding version {coded.coding_version})",
            data={"replacement_claim_id": replacement.id},
        )
        await self.session.flush()
        return replacement

    async def get(self, claim_id: str) -> Claim:
        claim = await self.repository.get(claim_id)
        if claim is None:
            raise not_found("claim")
        return claim

    async def list_page(
        self, *, status: str | None, payer_id: str | None, patient_id: str | None,
        encounter_id: str | None, limit: int, cursor: str | None,
    ) -> Slice[Claim]:
        return await self.repository.page(
            status=status, payer_id=payer_id, patient_id=patient_id, encounter_id=encounter_id,
            cursor=cursor, limit=limit,
        )

    async def events(self, claim_id: str, *, cursor: str | None,
                     limit: int) -> Slice[ClaimEvent]:
        await self.get(claim_id)
        return await self.repository.events(claim_id, cursor=cursor, limit=limit)

    async def remittance_view(self, claim_id: str) -> ClaimRemittanceOut:
        claim = await self.get(claim_id)
        postings = [remittance_out(p) for p in await self.repository.remittances(claim_id)]
        chain = [*await self.repository.payers_before(claim), claim]
        while (following := await self.repository.next_payers_claim(chain[-1])) is not None:
            chain.append(following)
        adjudicated = [c for c in chain if c.status in (
            ClaimStatus.PAID, ClaimStatus.PARTIALLY_PAID, ClaimStatus.DENIED)]
        return ClaimRemittanceOut(
            payers=[PayerPartOut(claim_id=c.id, payer_id=c.payer_id,
                                 payer_sequence=PayerSequence(c.payer_sequence),
                                 status=ClaimStatus(c.status), paid=c.paid_amount,
                                 patient_responsibility=c.patient_responsibility)
                    for c in chain],
            patient_owes=adjudicated[-1].patient_responsibility if adjudicated else ZERO,
            claim_id=claim.id,
            status=ClaimStatus(claim.status),
            remittances=postings,
            totals=RemittanceTotals(
                billed=claim.total_charge,
                allowed=to_money(sum((p.allowed for p in postings), ZERO)),
                paid=claim.paid_amount,
                patient_responsibility=claim.patient_responsibility,
                adjustments=claim.adjustment_amount,
                balance=open_balance(claim),
                underpaid=claim.underpaid_amount,
            ),
        )
