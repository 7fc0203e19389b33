"""Encounter rules: the status machine, coding versions, provider queries, validation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from coding_service.encounters import schemas
from coding_service.encounters.repository import Change, EncounterRepository
from coding_service.encounters.state_machine import (
    EncounterAction,
    EncounterStatus,
    IllegalTransition,
    allowed_actions,
    next_status,
)
from coding_service.models import CodingVersion, Encounter, EncounterEvent, ProviderQuery
from coding_service.validation.diagnoses import canonical_icd
from coding_service.validation.engine import EncounterFacts, ServiceLine
from coding_service.validation.model import PostalAddress
from coding_service.validation.service import Validator
from coding_service.validation.service_lines import canonical_ndc, normalize_procedure
from rcm_shared.audit import actor_of
from rcm_shared.auth import Principal
from rcm_shared.db import utcnow
from rcm_shared.http import check_version
from rcm_shared.issues import IssueDict, has_errors
from rcm_shared.pagination import Slice
from rcm_shared.problems import ProblemError, conflict, not_found
from rcm_shared.schemas import NO_CONTROL_CHARACTERS

EVENT_CREATED: schemas.EncounterEventType = "encounter.created"
EVENT_CODES_UPDATED: schemas.EncounterEventType = "encounter.codes_updated"
EVENT_FINALIZED: schemas.EncounterEventType = "encounter.finalized"
EVENT_REOPENED: schemas.EncounterEventType = "encounter.reopened"
EVENT_QUERY_OPENED: schemas.EncounterEventType = "encounter.query_opened"
EVENT_QUERY_ANSWERED: schemas.EncounterEventType = "encounter.query_answered"
# The columns each change written by repository.write_change may set.
_CODES_CHANGED = ("status", "diagnoses", "service_lines", "issues", "version", "updated_at")
_FINALIZED = ("status", "issues", "version", "updated_at")


def facts_of(fields: schemas.EncounterFields) -> EncounterFacts:
    return _facts(
        fields.patient.birth_date, fields.patient.sex, fields.date_of_service,
        fields.place_of_service, fields.rendering_provider_npi, fields.billing_provider_npi,
        _dumped(fields.patient.address), _dumped(fields.referring_provider),
        _dumped(fields.service_facility),
    )


def _facts_of_encounter(encounter: Encounter) -> EncounterFacts:
    return _facts(
        encounter.patient_birth_date, encounter.patient_sex, encounter.date_of_service,
        encounter.place_of_service, encounter.rendering_provider_npi,
        encounter.billing_provider_npi, encounter.patient_address,
        encounter.referring_provider, encounter.service_facility,
    )


def _dumped(model: BaseModel | None) -> dict[str, Any] | None:
    return None if model is None else model.model_dump(mode="json")


def _facts(
    birth_date: date, sex: str, date_of_service: date, place_of_service: str,
    rendering_npi: str, billing_npi: str, patient_address: dict[str, Any] | None,
    referring: dict[str, Any] | None, facility: dict[str, Any] | None,
) -> EncounterFacts:
    addresses = []
    if patient_address is not None:
        addresses.append(PostalAddress("$.patient.address", patient_address["state"],
                                       patient_address["postal_code"]))
    other_npis = []
    if referring is not None:
        other_npis.append(("$.referring_provider.npi", referring["npi"]))
    if facility is not None:
        addresses.append(PostalAddress("$.service_facility.address",
                                       facility["address"]["state"],
                                       facility["address"]["postal_code"]))
        if facility.get("npi"):
            other_npis.append(("$.service_facility.npi", facility["npi"]))
    return EncounterFacts(
        patient_birth_date=birth_date,
        patient_sex=sex,
        date_of_service=date_of_service,
        place_of_service=place_of_service,
        rendering_provider_npi=rendering_npi,
        billing_provider_npi=billing_npi,
        addresses=tuple(addresses),
        other_npis=tuple(other_npis),
    )


def rule_line(line: schemas.ServiceLine) -> ServiceLine:
    return ServiceLine(
        procedure_code=line.procedure_code,
        modifiers=tuple(line.modifiers),
        units=line.units,
        charge=line.charge,
        diagnosis_pointers=tuple(line.diagnosis_pointers),
        date_of_service=line.date_of_service,
        date_of_service_to=line.date_of_service_to,
        ndc_code=line.ndc.code if line.ndc is not None else None,
    )


def canonical_codes(codes: schemas.Codes) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The codes in their canonical form (E11.9, not e119; RT, not rt; an 11-digit NDC),
    whatever the caller typed; a code too malformed to convert stays as typed, upper case."""
    diagnoses = [{"code": canonical_icd(d.code)} for d in codes.diagnoses]
    lines = []
    for line in codes.service_lines:
        stored = line.model_dump(mode="json")
        stored["procedure_code"] = normalize_procedure(line.procedure_code)
        stored["modifiers"] = [modifier.strip().upper() for modifier in line.modifiers]
        if line.ndc is not None:
            stored["ndc"]["code"] = canonical_ndc(line.ndc.code) or line.ndc.code
        lines.append(stored)
    return diagnoses, lines


class EncounterService:
    def __init__(self, session: AsyncSession, principal: Principal, validator: Validator) -> None:
        self.session = session
        self.principal = principal
        self.validator = validator
        self.repository = EncounterRepository(session, principal.tenant_id)

    @property
    def actor(self) -> str:
        return actor_of(self.principal)

    async def _check_stored(self, encounter: Encounter) -> list[IssueDict]:
        return await self.validator.check(
            _facts_of_encounter(encounter),
            [d["code"] for d in encounter.diagnoses],
            # Stored lines were checked for control characters when they came in.
            [rule_line(schemas.ServiceLine.model_validate(line, context=NO_CONTROL_CHARACTERS))
             for line in encounter.service_lines],
            self.session,
        )

    async def get(self, encounter_id: str) -> Encounter:
        encounter = await self.repository.get(encounter_id)
        if encounter is None:
            raise not_found("encounter")
        return encounter

    async def _get_for_change(self, encounter_id: str, expected_version: int | None,
                              *, require_version: bool) -> Encounter:
        encounter = await self.repository.get(encounter_id, for_update=True)
        if encounter is None:
            raise not_found("encounter")
        check_version(expected_version, encounter.version, required=require_version)
        return encounter

    async def _lock_for_change(
        self, encounter_id: str, expected_version: int | None, *, require_version: bool
    ) -> tuple[Encounter, Sequence[ProviderQuery]]:
        """`_get_for_change` for a change written by `repository.write_change`."""
        found = await self.repository.lock_for_change(encounter_id)
        if found is None:
            raise not_found("encounter")
        check_version(expected_version, found[0].version, required=require_version)
        return found

    async def queries(self, encounter: Encounter) -> Sequence[ProviderQuery]:
        return await self.repository.queries(encounter.id)

    async def coding_version(
        self, encounter_id: str, number: int
    ) -> tuple[Encounter, CodingVersion]:
        encounter = await self.get(encounter_id)
        snapshot = await self.repository.get_coding_version(encounter_id, number)
        if snapshot is None:
            raise not_found("finalized coding version")
        return encounter, snapshot

    async def coding_versions(
        self, encounter_id: str, cursor: str | None, limit: int
    ) -> tuple[Encounter, Slice[CodingVersion]]:
        encounter = await self.get(encounter_id)
        return encounter, await self.repository.coding_versions(encounter_id, cursor, limit)

    async def list(self, *, status: str | None, patient_id: str | None,
                   updated_after: datetime | None, cursor: str | None,
                   limit: int) -> Slice[Encounter]:
        return await self.repository.list(status=status, patient_id=patient_id,
                                          updated_after=updated_after, cursor=cursor,
                                          limit=limit)

    async def events(self, encounter_id: str, cursor: str | None,
                     limit: int) -> Slice[EncounterEvent]:
        await self.get(encounter_id)
        return await self.repository.events(encounter_id, cursor, limit)

    async def create(self, body: schemas.EncounterCreate) -> tuple[Encounter, bool]:
        """Create the encounter, or return the tenant's existing one with that external_id."""
        now = utcnow()
        encounter = await self.repository.insert_unless_known({
            "external_id": body.external_id,
            "patient_id": body.patient.id,
            "patient_first_name": body.patient.first_name,
            "patient_last_name": body.patient.last_name,
            "patient_birth_date": body.patient.birth_date,
            "patient_sex": body.patient.sex,
            "date_of_service": body.date_of_service,
            "place_of_service": body.place_of_service,
            "rendering_provider_npi": body.rendering_provider_npi,
            "billing_provider_npi": body.billing_provider_npi,
            "patient_address": _dumped(body.patient.address),
            "referring_provider": _dumped(body.referring_provider),
            "service_facility": _dumped(body.service_facility),
            "prior_authorization": body.prior_authorization,
            "status": EncounterStatus.OPEN.value,
            "version": 1,
            "coding_version": 1,
            "diagnoses": [],
            "service_lines": [],
            "issues": [],
            "created_at": now,
            "updated_at": now,
        }, EVENT_CREATED, self.actor, {"external_id": body.external_id})
        if encounter is None:
            # Created before, perhaps by a request running alongside: re-POST semantics.
            existing = await self.repository.get_by_external_id(body.external_id)
            if existing is None:  # pragma: no cover - encounters are never deleted
                raise RuntimeError("encounter conflict without an encounter")
            return existing, False
        return encounter, True

    async def put_codes(
        self, encounter_id: str, expected_version: int | None, codes: schemas.Codes,
        audit_rows: Sequence[Mapping[str, Any]] = (),
    ) -> tuple[Encounter, Sequence[ProviderQuery]]:
        """The encounter with its new codes and its provider queries; `audit_rows` are written
        with the change."""
        encounter, queries = await self._lock_for_change(encounter_id, expected_version,
                                                         require_version=True)
        self._move(encounter, EncounterAction.PUT_CODES)
        diagnoses, lines = canonical_codes(codes)
        encounter.diagnoses = diagnoses
        encounter.service_lines = lines
        encounter.issues = await self._check_stored(encounter)
        self._touch(encounter)
        await self.repository.write_change(Change(
            encounter, _CODES_CHANGED, EVENT_CODES_UPDATED, self.actor,
            {"coding_version": encounter.coding_version, "diagnoses": diagnoses,
             "service_lines": lines},
            audit_rows=audit_rows,
        ))
        return encounter, queries

    async def finalize(
        self, encounter_id: str, expected_version: int | None,
        audit_rows: Sequence[Mapping[str, Any]] = (),
    ) -> tuple[Encounter, Sequence[ProviderQuery]]:
        """The finalized encounter and its provider queries; `audit_rows` are written with the
        change."""
        encounter, queries = await self._lock_for_change(encounter_id, expected_version,
                                                         require_version=False)
        finalized = _next(encounter, EncounterAction.FINALIZE)
        issues = await self._check_stored(encounter)
        if has_errors(issues):
            errors = [found for found in issues if found["severity"] == "error"]
            raise ProblemError(
                422,
                "Coding errors block finalization",
                f"{len(errors)} error(s) must be fixed before the encounter can be finalized.",
                type_="coding-errors",
                issues=issues,
            )
        encounter.issues = issues
        encounter.status = finalized
        self._touch(encounter)
        await self.repository.write_change(Change(
            encounter, _FINALIZED, EVENT_FINALIZED, self.actor,
            {"coding_version": encounter.coding_version}, published=True,
            snapshot={
                "tenant_id": encounter.tenant_id,
                "encounter_id": encounter.id,
                "coding_version": encounter.coding_version,
                "diagnoses": encounter.diagnoses,
                "service_lines": encounter.service_lines,
                "finalized_at": encounter.updated_at,
                "finalized_by": self.actor,
            },
            audit_rows=audit_rows,
        ))
        return encounter, queries

    async def reopen(
        self, encounter_id: str, expected_version: int | None, reason: str | None
    ) -> Encounter:
        encounter = await self._get_for_change(encounter_id, expected_version,
                                               require_version=False)
        self._move(encounter, EncounterAction.REOPEN)
        previous = encounter.coding_version
        encounter.coding_version = previous + 1
        self._touch(encounter)
        await self.repository.record_event(
            encounter, EVENT_REOPENED, self.actor,
            {"coding_version": encounter.coding_version, "previous_coding_version": previous,
             "reason": reason},
            published=True,
        )
        return encounter

    async def open_query(
        self, encounter_id: str, expected_version: int | None, question: str
    ) -> tuple[Encounter, ProviderQuery]:
        encounter = await self._get_for_change(encounter_id, expected_version,
                                               require_version=False)
        self._move(encounter, EncounterAction.QUERY)
        query = ProviderQuery(
            tenant_id=encounter.tenant_id,
            encounter_id=encounter.id,
            question=question,
            status="open",
            asked_by=self.actor,
            asked_at=utcnow(),
        )
        await self.repository.add_query(query)
        self._touch(encounter)
        await self.repository.record_event(
            encounter, EVENT_QUERY_OPENED, self.actor, {"query_id": query.id}
        )
        return encounter, query

    async def answer_query(
        self, encounter_id: str, query_id: str, expected_version: int | None, answer: str
    ) -> Encounter:
        encounter = await self._get_for_change(encounter_id, expected_version,
                                               require_version=False)
        query = await self.repository.get_query(encounter_id, query_id)
        if query is None:
            raise not_found("provider query")
        if query.status != "open":
            raise conflict("This provider query is already answered.", current_status=query.status)
        query.answer = answer
        query.status = "answered"
        query.answered_by = self.actor
        query.answered_at = utcnow()
        await self.session.flush()
        open_queries_left = await self.repository.count_open_queries(encounter_id)
        encounter.status = _next(encounter, EncounterAction.ANSWER, open_queries_left)
        self._touch(encounter)
        await self.repository.record_event(
            encounter, EVENT_QUERY_ANSWERED, self.actor, {"query_id": query.id}
        )
        return encounter

    @staticmethod
    def _move(encounter: Encounter, action: EncounterAction) -> None:
        encounter.status = _next(encounter, action)

    @staticmethod
    def _touch(encounter: Encounter) -> None:
        encounter.version += 1
        encounter.updated_at = utcnow()


def _next(encounter: Encounter, action: EncounterAction, open_queries_left: int = 0) -> str:
    """The status `action` leads to; a 409 naming the status and what may be done instead."""
    current = EncounterStatus(encounter.status)
    try:
        return next_status(current, action, open_queries_left).value
    except IllegalTransition as exc:
        raise conflict(str(exc), current_status=current.value,
                       allowed_actions=[a.name.lower() for a in allowed_actions(current)]) from exc
