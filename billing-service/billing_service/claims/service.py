"""Claim rules and orchestration: build from coding-service, scrub, and move through the
lifecycle. Every transition goes through the state machine and is recorded as an event."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.claims import repository
from billing_service.claims.builder import BuiltClaim, BuiltLine, EncounterLine, build_claim
from billing_service.claims.schemas import (
    ClaimCreate,
    ClaimRemittanceOut,
    CorrectionCreate,
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
from billing_service.claims.state_machine import (
    ClaimAction,
    ClaimStatus,
    IllegalTransition,
    allowed_actions,
    next_status,
)
from billing_service.codingclient.client import (
    CodingClient,
    CodingServiceRefused,
    CodingServiceUnavailable,
    EncounterNotFound,
)
from billing_service.codingclient.schemas import CodedEncounter
from billing_service.coverages import repository as coverages
from billing_service.coverages.service import find_payer, plan_of
from billing_service.models.claim import Claim, ClaimEvent, ClaimLine, PayerJob
from billing_service.models.coverage import Coverage
from billing_service.paging import cut_page, position_after
from billing_service.payers.adapter import PayerAdapter
from rcm_shared.audit import actor_of
from rcm_shared.auth import Principal
from rcm_shared.db import utcnow
from rcm_shared.http import check_version
from rcm_shared.issues import IssueDict, Severity, has_errors, issue
from rcm_shared.money import ZERO, to_money
from rcm_shared.problems import ProblemError, conflict, not_found

T = TypeVar("T")
# The key id of billing's own work (claims it builds from coding-service's events): no API
# key has it, so it is recorded as it is rather than as a key.
SYSTEM_ACTOR = "system"


# --- events and transitions -------------------------------------------------------------


def actor(principal: Principal) -> str:
    """Who acted, named as coding-service names it: "key:<key id>" (or "system")."""
    return SYSTEM_ACTOR if principal.key_id == SYSTEM_ACTOR else actor_of(principal)


def record_event(
    session: AsyncSession,
    claim: Claim,
    *,
    actor: str,
    action: str,
    from_status: str | None,
    reason: str | None = None,
    carc: list[str] | None = None,
    rarc: list[str] | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    session.add(ClaimEvent(
        tenant_id=claim.tenant_id, claim_id=claim.id, actor=actor, action=action,
        from_status=from_status, to_status=claim.status, reason=reason,
        carc=carc or [], rarc=rarc or [], data=data or {},
    ))


def check_allowed(
    claim: Claim, action: ClaimAction, outcome: ClaimStatus | None = None
) -> ClaimStatus:
    """The status `action` leads to; a 409 naming the state and the action if none."""
    current = ClaimStatus(claim.status)
    try:
        return next_status(current, action, outcome)
    except IllegalTransition as exc:
        raise conflict(
            f"Cannot {action.value} this claim: {exc}.",
            claim_status=current.value, action=action.value,
            allowed_actions=[a.value for a in allowed_actions(current)],
        ) from exc


def transition(
    claim: Claim, action: ClaimAction, outcome: ClaimStatus | None = None
) -> tuple[str, ClaimStatus]:
    """Move the claim per the state machine; returns (previous status, new status)."""
    previous = claim.status
    target = check_allowed(claim, action, outcome)
    claim.status = target.value
    claim.version += 1
    claim.updated_at = utcnow()
    return previous, target


# --- coding-service ---------------------------------------------------------------------


async def from_coding(call: Awaitable[T], what: str, retry_after_seconds: int) -> T:
    """One coding-service read, its failures turned into problems the caller can act on."""
    try:
        return await call
    except CodingServiceUnavailable as exc:
        raise ProblemError(
            503, "coding-service unavailable",
            "coding-service could not be reached; nothing was stored. Retry later.",
            type_="upstream-unavailable", headers={"Retry-After": str(retry_after_seconds)},
        ) from exc
    except EncounterNotFound as exc:
        raise not_found(what) from exc
    except CodingServiceRefused as exc:
        if exc.status == 403:
            # The caller's own key was forwarded: it is the caller who may not read codes.
            raise ProblemError(
                403, "Forbidden",
                f"coding-service refused this API key ({exc.detail}); building a claim reads "
                "the encounter there and needs the coding:read scope.",
                type_="forbidden",
            ) from exc
        raise ProblemError(
            502, "coding-service refused the request", exc.detail, type_="upstream-refused"
        ) from exc


# --- scrubbing --------------------------------------------------------------------------


async def scrub_findings(
    adapter: PayerAdapter,
    coverage: Coverage,
    *,
    diagnoses: list[str],
    omitted_diagnoses: tuple[str, ...],
    lines: list[BuiltLine],
    total_charge: Decimal,
    claim_facts: CodedEncounter | Claim,
    frequency_code: str,
) -> list[IssueDict]:
    payer = await find_payer(adapter, coverage.payer_id)
    plan = plan_of(payer, coverage.plan_code) if payer is not None else None
    return scrub(ScrubInput(
        diagnoses=diagnoses,
        omitted_diagnoses=omitted_diagnoses,
        lines=lines,
        total_charge=total_charge,
        billing_provider_npi=claim_facts.billing_provider_npi,
        rendering_provider_npi=claim_facts.rendering_provider_npi,
        date_of_service=claim_facts.date_of_service,
        coverage=CoverageWindow(coverage.effective_from, coverage.effective_to),
        payer_id=coverage.payer_id,
        payer_active=payer is not None and payer.active,
        frequency_code=frequency_code,
        accepted_frequency_codes=plan.accepts_frequency_codes if plan is not None else (),
    ))


def stored_lines(claim: Claim) -> list[BuiltLine]:
    return [
        BuiltLine(
            line_number=line.line_number, procedure_code=line.procedure_code,
            modifiers=tuple(line.modifiers), units=line.units, charge=line.charge,
            diagnosis_pointers=tuple(line.diagnosis_pointers),
            date_of_service=line.date_of_service,
        )
        for line in claim.lines
    ]


async def coverage_of(session: AsyncSession, claim: Claim) -> Coverage:
    coverage = await coverages.get(session, claim.tenant_id, claim.coverage_id)
    if coverage is None:  # pragma: no cover - the foreign key keeps it
        raise RuntimeError("claim without its coverage")
    return coverage


async def rescrub(session: AsyncSession, adapter: PayerAdapter, claim: Claim) -> list[dict]:
    """Scrub the stored claim against its coverage as it is now (it may have been fixed)."""
    coverage = await coverage_of(session, claim)
    findings = await scrub_findings(
        adapter, coverage, diagnoses=list(claim.diagnoses), omitted_diagnoses=(),
        lines=stored_lines(claim), total_charge=claim.total_charge, claim_facts=claim,
        frequency_code=claim.frequency_code,
    )
    claim.scrub_issues = findings
    return findings


# --- creating claims --------------------------------------------------------------------


async def _coverage_for(
    session: AsyncSession, tenant_id: str, coverage_id: str | None, coded: CodedEncounter
) -> Coverage:
    if coverage_id is None:
        coverage = await coverages.active_for_patient(
            session, tenant_id, coded.patient.id, coded.date_of_service
        )
        if coverage is None:
            raise _unprocessable(
                "coverage.none_active", "$.coverage_id",
                f"The patient has no coverage in force on {coded.date_of_service.isoformat()}; "
                "record one (POST /v1/coverages) or pass coverage_id.",
            )
        return coverage
    coverage = await coverages.get(session, tenant_id, coverage_id)
    if coverage is None:
        raise _unprocessable("coverage.unknown", "$.coverage_id", "No coverage with that id.")
    if coverage.patient_id != coded.patient.id:
        raise _unprocessable("coverage.patient_mismatch", "$.coverage_id",
                             "That coverage belongs to another patient than the encounter's.")
    return coverage


def _unprocessable(rule: str, path: str, message: str) -> ProblemError:
    return ProblemError(422, "Cannot build the claim", message, type_="validation",
                        issues=[issue(rule, path, message)])


def _built(coded: CodedEncounter) -> BuiltClaim:
    return build_claim(
        [d.code for d in coded.diagnoses],
        [
            EncounterLine(
                procedure_code=line.procedure_code, modifiers=tuple(line.modifiers),
                units=line.units, charge=line.charge,
                diagnosis_pointers=tuple(line.diagnosis_pointers),
            )
            for line in coded.service_lines
        ],
        coded.date_of_service,
    )


async def _new_claim(
    session: AsyncSession,
    adapter: PayerAdapter,
    principal: Principal,
    coded: CodedEncounter,
    coverage: Coverage,
    *,
    frequency_code: str,
    replaces: Claim | None,
) -> Claim:
    built = _built(coded)
    findings = await scrub_findings(
        adapter, coverage, diagnoses=list(built.diagnoses),
        omitted_diagnoses=built.omitted_diagnoses, lines=list(built.lines),
        total_charge=built.total_charge, claim_facts=coded, frequency_code=frequency_code,
    )
    too_large = next((f for f in findings if f["rule"] == TOTAL_TOO_LARGE), None)
    if too_large is not None:
        raise _unprocessable(TOTAL_TOO_LARGE, too_large["path"], too_large["message"])
    claim = Claim(
        id=str(uuid.uuid4()),
        tenant_id=principal.tenant_id,
        encounter_id=coded.encounter_id,
        coding_version=coded.coding_version,
        coverage_id=coverage.id,
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
        diagnoses=list(built.diagnoses),
        status=ClaimStatus.READY.value,
        frequency_code=frequency_code,
        replaces_claim_id=replaces.id if replaces else None,
        original_payer_claim_number=replaces.payer_claim_control_number if replaces else None,
        total_charge=built.total_charge,
        scrub_issues=findings,
        payer_errors=[],
        created_by=actor(principal),
        lines=[
            ClaimLine(
                line_number=line.line_number, procedure_code=line.procedure_code,
                modifiers=list(line.modifiers), units=line.units, charge=line.charge,
                diagnosis_pointers=list(line.diagnosis_pointers),
                date_of_service=line.date_of_service,
            )
            for line in built.lines
        ],
    )
    session.add(claim)
    reason = f"Built from coding version {coded.coding_version} of the encounter"
    if replaces is not None:
        reason += (f"; replaces claim {replaces.id} "
                   f"(payer claim {replaces.payer_claim_control_number})")
    record_event(session, claim, actor=actor(principal), action="create", from_status=None,
                 reason=reason, data={"scrub_errors": sum(
                     1 for f in findings if f["severity"] == Severity.ERROR)})
    return claim


async def create_claim(
    session: AsyncSession,
    coding: CodingClient,
    adapter: PayerAdapter,
    principal: Principal,
    authorization: str,
    body: ClaimCreate,
    retry_after_seconds: int,
) -> tuple[Claim, bool]:
    """The claim for the encounter's current coding version, and whether it is new."""
    summary = await from_coding(
        coding.encounter(body.encounter_id, authorization), "encounter", retry_after_seconds
    )
    if summary.status != "finalized":
        raise conflict(
            f"The encounter is '{summary.status}'; only a finalized encounter can be billed.",
            encounter_status=summary.status,
        )
    existing = await repository.for_encounter_version(
        session, principal.tenant_id, summary.id, summary.coding_version
    )
    if existing is not None:
        return existing, False
    live = await repository.live_for_encounter(session, principal.tenant_id, summary.id)
    if live is not None:
        # A second original for one visit would bill it twice; a new coding of a billed
        # visit goes to the payer as a replacement of the claim it already has.
        raise conflict(
            f"The encounter already has claim {live.id} (coding version {live.coding_version}, "
            f"status '{live.status}'); bill coding version {summary.coding_version} as its "
            f"correction: POST /v1/claims/{live.id}/corrections.",
            claim_id=live.id, claim_status=live.status,
            corrections=f"/v1/claims/{live.id}/corrections",
        )
    coded = await from_coding(
        coding.coding_version(summary.id, summary.coding_version, authorization),
        "encounter coding version", retry_after_seconds,
    )
    coverage = await _coverage_for(session, principal.tenant_id, body.coverage_id, coded)
    try:
        async with session.begin_nested():
            claim = await _new_claim(session, adapter, principal, coded, coverage,
                                     frequency_code="1", replaces=None)
    except IntegrityError:
        # A concurrent request built the same claim first: answer with that one.
        existing = await repository.for_encounter_version(
            session, principal.tenant_id, summary.id, summary.coding_version
        )
        if existing is None:
            raise
        return existing, False
    return claim, True


# --- lifecycle actions ------------------------------------------------------------------


async def _locked_claim(
    session: AsyncSession, tenant_id: str, claim_id: str, expected_version: int | None
) -> Claim:
    claim = await repository.get(session, tenant_id, claim_id, for_update=True)
    if claim is None:
        raise not_found("claim")
    check_version(expected_version, claim.version, required=False)
    return claim


def _queue(session: AsyncSession, claim: Claim, kind: str, frequency_code: str) -> str:
    submission_id = uuid.uuid4().hex
    session.add(PayerJob(tenant_id=claim.tenant_id, claim_id=claim.id, kind=kind,
                         submission_id=submission_id, frequency_code=frequency_code))
    return submission_id


async def submit(
    session: AsyncSession,
    adapter: PayerAdapter,
    principal: Principal,
    claim_id: str,
    expected_version: int | None,
    action: ClaimAction,
) -> Claim:
    """Submit (from ready) or resubmit (from rejected): scrub, then queue for the payer."""
    claim = await _locked_claim(session, principal.tenant_id, claim_id, expected_version)
    from_status, _ = transition(claim, action)
    findings = await rescrub(session, adapter, claim)
    if has_errors(findings):
        raise ProblemError(
            422, "The claim does not pass the scrubber",
            "Fix the errors listed in issues, then submit again.",
            type_="scrubber", issues=findings,
        )
    now = utcnow()
    claim.submission_id = _queue(session, claim, "submit", claim.frequency_code)
    claim.submission_count += 1
    claim.first_submitted_at = claim.first_submitted_at or now
    claim.last_submitted_at = now
    claim.payer_errors = []
    record_event(session, claim, actor=actor(principal), action=action.value,
                 from_status=from_status, data={"submission_id": claim.submission_id})
    await session.flush()
    return claim


async def _require_frequency(
    adapter: PayerAdapter, session: AsyncSession, claim: Claim, frequency_code: str, what: str
) -> None:
    coverage = await coverage_of(session, claim)
    payer = await find_payer(adapter, coverage.payer_id)
    plan = plan_of(payer, coverage.plan_code) if payer is not None else None
    accepted = plan.accepts_frequency_codes if plan is not None else ()
    if frequency_code not in accepted:
        message = (
            f"Payer {coverage.payer_id} does not accept a {what} (claim frequency code "
            f"{frequency_code}); it accepts {', '.join(accepted) or 'none'}. Work it with the "
            "payer directly."
        )
        raise ProblemError(422, f"The payer does not accept a {what}", message,
                           type_="payer-rule",
                           issues=[issue("payer.frequency_not_accepted", "$.frequency_code",
                                         message)])


async def void(
    session: AsyncSession,
    adapter: PayerAdapter,
    principal: Principal,
    claim_id: str,
    expected_version: int | None,
) -> Claim:
    claim = await _locked_claim(session, principal.tenant_id, claim_id, expected_version)
    from_status, _ = transition(claim, ClaimAction.VOID)
    await _require_frequency(adapter, session, claim, "8", "void")
    submission_id = _queue(session, claim, "void", "8")
    record_event(
        session, claim, actor=actor(principal), action="void", from_status=from_status,
        reason=f"Void (frequency 8) of payer claim {claim.payer_claim_control_number}",
        data={"submission_id": submission_id},
    )
    await session.flush()
    return claim


async def correct(
    session: AsyncSession,
    coding: CodingClient,
    adapter: PayerAdapter,
    principal: Principal,
    authorization: str,
    claim_id: str,
    body: CorrectionCreate,
    expected_version: int | None,
    retry_after_seconds: int,
) -> Claim:
    """A replacement claim (frequency 7) from another coding version; the original is
    then `replaced`. Checked before and again after the coding-service call, so no row
    lock is held across the network."""
    original = await repository.get(session, principal.tenant_id, claim_id)
    if original is None:
        raise not_found("claim")
    check_version(expected_version, original.version, required=False)
    check_allowed(original, ClaimAction.CORRECT)
    await _require_frequency(adapter, session, original, "7", "replacement claim")
    coded = await from_coding(
        coding.coding_version(original.encounter_id, body.encounter_coding_version,
                              authorization),
        "encounter coding version", retry_after_seconds,
    )
    original = await _locked_claim(session, principal.tenant_id, claim_id, expected_version)
    taken = await repository.for_encounter_version(
        session, principal.tenant_id, original.encounter_id, coded.coding_version
    )
    if taken is not None:
        raise conflict(
            f"Coding version {coded.coding_version} of this encounter already has claim "
            f"{taken.id}; a correction needs a newer finalized coding version.",
            claim_id=taken.id,
        )
    coverage = await coverage_of(session, original)
    from_status, _ = transition(original, ClaimAction.CORRECT)
    replacement = await _new_claim(session, adapter, principal, coded, coverage,
                                   frequency_code="7", replaces=original)
    # The replacement row must exist before the original can refer to it.
    await session.flush()
    original.replaced_by_claim_id = replacement.id
    record_event(
        session, original, actor=actor(principal), action="correct", from_status=from_status,
        reason=f"Replaced by claim {replacement.id} (coding version {coded.coding_version})",
        data={"replacement_claim_id": replacement.id},
    )
    await session.flush()
    return replacement


# --- reads ------------------------------------------------------------------------------


async def get(session: AsyncSession, tenant_id: str, claim_id: str) -> Claim:
    claim = await repository.get(session, tenant_id, claim_id)
    if claim is None:
        raise not_found("claim")
    return claim


async def list_page(
    session: AsyncSession,
    tenant_id: str,
    *,
    status: str | None,
    payer_id: str | None,
    patient_id: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[Claim], str | None]:
    rows = await repository.page(
        session, tenant_id, status=status, payer_id=payer_id, patient_id=patient_id,
        after=position_after(cursor), limit=limit + 1,
    )
    return cut_page(rows, limit)


async def events(session: AsyncSession, tenant_id: str, claim_id: str) -> list[ClaimEvent]:
    await get(session, tenant_id, claim_id)
    return await repository.events(session, tenant_id, claim_id)


async def remittance_view(
    session: AsyncSession, tenant_id: str, claim_id: str
) -> ClaimRemittanceOut:
    claim = await get(session, tenant_id, claim_id)
    postings = [remittance_out(p) for p in
                await repository.remittances(session, tenant_id, claim_id)]
    return ClaimRemittanceOut(
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
        ),
    )
