"""Reads the mock payer's data files (payers, members, fee schedule, exclusions, bundling).

The shipped files live in data/; MockPayerConfig.data_dir may hold replacements, each file
found there taking the place of the shipped one of the same name.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from billing_service.payers.adapter import (
    ClaimFilingIndicator,
    FrequencyCode,
    PayerInfo,
    PlanInfo,
)
from mockpayer.engine import Member, PayerRules
from rcm_shared.money import Money

SHIPPED_DATA_DIR = Path(__file__).resolve().parent / "data"
PAYERS_FILE = "payers.json"
MEMBERS_FILE = "members.json"
FEE_SCHEDULE_FILE = "fee_schedule.csv"
NON_COVERED_FILE = "non_covered.csv"
BUNDLING_FILE = "bundling.csv"
PROCEDURE_CODE = r"^[A-Z0-9]{5}$"


class MockPayerDataError(ValueError):
    """A data file is missing a field, or holds a value the payer cannot use."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


StrictT = TypeVar("StrictT", bound=_Strict)


class _PlanRecord(_Strict):
    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    # SBR09 of the 837P and CLP06 of the 835 (X12 code list 1032).
    claim_filing_indicator: ClaimFilingIndicator
    kind: Literal["ppo", "hmo", "medicare", "supplement"]
    deductible: Money
    copay: Money
    coinsurance_percent: Decimal = Field(ge=0, le=100)
    out_of_pocket_max: Money
    accepts_frequency_codes: tuple[FrequencyCode, ...] = Field(min_length=1)


class _PayerRecord(_Strict):
    payer_id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    active: bool
    claim_number_prefix: str = Field(pattern=r"^[A-Z]{2,4}$")
    member_id_pattern: str
    timely_filing_days: int = Field(ge=1)
    # Distinct-procedure modifiers are paid only after a review of the medical record.
    reviews_distinct_procedures: bool = False
    unlisted_allowed_percent: Decimal = Field(ge=0, le=100)
    preventive_codes: tuple[str, ...]
    default_plan: str
    plans: tuple[_PlanRecord, ...] = Field(min_length=1)


class _PayersFile(_Strict):
    source: str
    payers: tuple[_PayerRecord, ...] = Field(min_length=1)


class _MemberRecord(_Strict):
    payer_id: str
    member_id: str = Field(min_length=1)
    plan_code: str | None = None
    coverage_end: date | None = None
    deductible_met: Money = Decimal("0.00")
    out_of_pocket_met: Money = Decimal("0.00")
    found: bool = True
    other_coverage_primary: bool = False
    crossover_payer_id: str | None = None
    crossover_member_id: str | None = Field(default=None, min_length=1)
    note: str


class _MembersFile(_Strict):
    source: str
    members: tuple[_MemberRecord, ...]


class _FeeRow(_Strict):
    payer_id: str
    procedure_code: str = Field(pattern=PROCEDURE_CODE)
    allowed: Money
    description: str


class _NonCoveredRow(_Strict):
    payer_id: str
    procedure_code: str = Field(pattern=r"^([A-Z0-9]{5}|[A-Z0-9]{1,4}\*)$")
    rarc: str = Field(pattern=r"^[A-Z]{1,2}\d{1,4}$")
    reason: str


class _BundlingRow(_Strict):
    column1: str = Field(pattern=PROCEDURE_CODE)
    column2: str = Field(pattern=PROCEDURE_CODE)
    modifier_indicator: Literal["0", "1"]


def load_payer_rules(data_dir: Path | None = None) -> dict[str, PayerRules]:
    """Every payer's rules by payer id, or MockPayerDataError naming the file and the fault."""
    payers = _parse(_PayersFile, _read_json(_locate(PAYERS_FILE, data_dir)), PAYERS_FILE)
    members = _parse(_MembersFile, _read_json(_locate(MEMBERS_FILE, data_dir)), MEMBERS_FILE)
    fees = _rows(_FeeRow, _locate(FEE_SCHEDULE_FILE, data_dir))
    exclusions = _rows(_NonCoveredRow, _locate(NON_COVERED_FILE, data_dir))
    bundling = {
        (row.column1, row.column2): row.modifier_indicator
        for row in _rows(_BundlingRow, _locate(BUNDLING_FILE, data_dir))
    }

    payer_ids = {payer.payer_id for payer in payers.payers}
    fee_schedules: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for fee in fees:
        _check_payer(fee.payer_id, payer_ids, FEE_SCHEDULE_FILE)
        fee_schedules[fee.payer_id][fee.procedure_code] = fee.allowed
    non_covered: dict[str, dict[str, str]] = defaultdict(dict)
    for exclusion in exclusions:
        _check_payer(exclusion.payer_id, payer_ids, NON_COVERED_FILE)
        non_covered[exclusion.payer_id][exclusion.procedure_code] = exclusion.rarc
    rosters: dict[str, dict[str, Member]] = defaultdict(dict)
    for record in members.members:
        _check_payer(record.payer_id, payer_ids, MEMBERS_FILE)
        rosters[record.payer_id][record.member_id] = Member(
            member_id=record.member_id,
            plan_code=record.plan_code,
            coverage_end=record.coverage_end,
            deductible_met=record.deductible_met,
            out_of_pocket_met=record.out_of_pocket_met,
            on_file=record.found,
            other_coverage_primary=record.other_coverage_primary,
            crossover_payer_id=record.crossover_payer_id,
            crossover_member_id=record.crossover_member_id,
        )
        if (record.crossover_payer_id is None) != (record.crossover_member_id is None):
            raise MockPayerDataError(
                f"{MEMBERS_FILE}: a crossover names both the payer and the member id"
            )
        if record.crossover_payer_id is not None:
            _check_payer(record.crossover_payer_id, payer_ids, MEMBERS_FILE)

    rules: dict[str, PayerRules] = {}
    for payer in payers.payers:
        plans = tuple(_plan_info(plan, payer.timely_filing_days) for plan in payer.plans)
        plan_codes = {plan.code for plan in plans}
        if payer.default_plan not in plan_codes:
            raise MockPayerDataError(
                f"{PAYERS_FILE}: {payer.payer_id} default_plan {payer.default_plan} is not one "
                "of its plans"
            )
        for member in rosters[payer.payer_id].values():
            if member.plan_code is not None and member.plan_code not in plan_codes:
                raise MockPayerDataError(
                    f"{MEMBERS_FILE}: a {payer.payer_id} member names unknown plan "
                    f"{member.plan_code}"
                )
        try:
            pattern = re.compile(payer.member_id_pattern)
        except re.error as exc:
            raise MockPayerDataError(
                f"{PAYERS_FILE}: {payer.payer_id} member_id_pattern is not a regex: {exc}"
            ) from exc
        rules[payer.payer_id] = PayerRules(
            info=PayerInfo(payer.payer_id, payer.name, payer.active, plans),
            default_plan_code=payer.default_plan,
            claim_number_prefix=payer.claim_number_prefix,
            member_id_pattern=pattern,
            timely_filing_days=payer.timely_filing_days,
            unlisted_allowed_percent=payer.unlisted_allowed_percent,
            fee_schedule=dict(fee_schedules[payer.payer_id]),
            non_covered=dict(non_covered[payer.payer_id]),
            preventive_codes=frozenset(payer.preventive_codes),
            bundling=bundling,
            roster=dict(rosters[payer.payer_id]),
            reviews_distinct_procedures=payer.reviews_distinct_procedures,
        )
    return rules


def _plan_info(plan: _PlanRecord, timely_filing_days: int) -> PlanInfo:
    """The plan as billing sees it; its filing limit is its payer's."""
    return PlanInfo(
        code=plan.code,
        name=plan.name,
        kind=plan.kind,
        claim_filing_indicator=plan.claim_filing_indicator,
        deductible=plan.deductible,
        copay=plan.copay,
        coinsurance_percent=plan.coinsurance_percent,
        out_of_pocket_max=plan.out_of_pocket_max,
        accepts_frequency_codes=plan.accepts_frequency_codes,
        timely_filing_days=timely_filing_days,
    )


def _locate(name: str, data_dir: Path | None) -> Path:
    if data_dir is not None and (data_dir / name).is_file():
        return data_dir / name
    return SHIPPED_DATA_DIR / name


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise MockPayerDataError(f"{path.name}: cannot be read as JSON: {exc}") from exc


def _parse(model: type[StrictT], data: object, file_name: str) -> StrictT:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise MockPayerDataError(f"{file_name}: {exc}") from exc


def _rows(model: type[StrictT], path: Path) -> list[StrictT]:
    """CSV rows after the header; lines starting with # are comments."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise MockPayerDataError(f"{path.name}: cannot be read: {exc}") from exc
    rows: list[StrictT] = []
    for line_number, record in _records(text):
        try:
            rows.append(model.model_validate(record))
        except ValidationError as exc:
            raise MockPayerDataError(f"{path.name} line {line_number}: {exc}") from exc
    return rows


def _records(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    numbered = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    reader = csv.DictReader(line for _, line in numbered)
    for (number, _), record in zip(numbered[1:], reader, strict=True):
        yield number, record


def _check_payer(payer_id: str, known: set[str], file_name: str) -> None:
    if payer_id not in known:
        raise MockPayerDataError(f"{file_name}: payer {payer_id} is not in {PAYERS_FILE}")
