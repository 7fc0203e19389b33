"""The small code tables shipped as CSV files in codesets/data/.

Each file starts with '#' comment lines saying what it holds; two of them are read:
'# source: ...' (where the facts come from) and '# version: ...'. A malformed row stops the load
with the file and line named, so a bad edit to a table never reaches a running service.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from coding_service.codesets.types import (
    AgeBand,
    DemographicEdit,
    FirstListedEdit,
    Modifier,
    PlaceOfServiceGroup,
    ProcedureCode,
)
from rcm_shared.issues import Severity

DATA_DIR = Path(__file__).resolve().parent / "data"

_PROCEDURE_FORMATS = {
    "CPT": re.compile(r"[0-9]{5}|[0-9]{4}[FTU]"),
    "HCPCS": re.compile(r"[A-V][0-9]{4}"),
}
_MODIFIER = re.compile(r"[0-9A-Z]{2}")
_PLACE_OF_SERVICE = re.compile(r"[0-9]{2}")
_ICD_PREFIX = re.compile(r"[A-Z][0-9A-Z]{2}[0-9A-Z]{0,4}")  # QA0 (FY2026) has a letter second
_ICD_CODE = re.compile(r"[A-Z][0-9A-Z]{2}(?:\.[0-9A-Z]{1,4})?")
_BOOLEANS = {"true": True, "false": False}
_GLOBAL_DAYS = ("000", "010", "090", "ZZZ", "MMM", "XXX", "YYY")
VISIT_FAMILIES = ("office", "hospital", "consultation", "emergency", "critical_care",
                  "nursing_facility", "home", "preventive")
_POS_KINDS = {"only": True, "never": False}

T = TypeVar("T")


class TableError(ValueError):
    """A shipped table does not hold what its header promises."""


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    source: str
    version: str
    rows: list[tuple[int, dict[str, str]]]  # (line number, row)


def read_table(path: Path, columns: tuple[str, ...]) -> Table:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    body_start = 0
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines):
        if not line.startswith("#"):
            body_start = number
            break
        key, _, value = line[1:].partition(":")
        if key.strip() in ("source", "version"):
            meta[key.strip()] = value.strip()
    reader = csv.DictReader(io.StringIO("".join(lines[body_start:])), strict=True)
    if tuple(reader.fieldnames or ()) != columns:
        raise TableError(f"{path.name}: the header must be {','.join(columns)}")
    if "source" not in meta or "version" not in meta:
        raise TableError(f"{path.name}: the '# source:' and '# version:' lines are required")
    rows = [(body_start + reader.line_num, row) for row in reader]
    return Table(path.name, meta["source"], meta["version"], rows)


def _parse_rows(table: Table, parse: Callable[[dict[str, str]], T]) -> list[T]:
    parsed = []
    for line, row in table.rows:
        try:
            parsed.append(parse(row))
        except (KeyError, ValueError) as exc:
            raise TableError(f"{table.name} line {line}: {exc}") from exc
    return parsed


def _keyed(table: Table, items: list[T], key: Callable[[T], str]) -> dict[str, T]:
    keyed: dict[str, T] = {}
    for item in items:
        if key(item) in keyed:
            raise TableError(f"{table.name}: {key(item)} appears twice")
        keyed[key(item)] = item
    return keyed


def _boolean(value: str) -> bool:
    if value not in _BOOLEANS:
        raise ValueError(f"expected true or false, got {value!r}")
    return _BOOLEANS[value]


def _matching(pattern: re.Pattern[str], value: str, what: str) -> str:
    if not pattern.fullmatch(value):
        raise ValueError(f"{value!r} is not a well-formed {what}")
    return value


def _one_of(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise ValueError(f"{what} must be one of {', '.join(allowed)}, got {value!r}")
    return value


def _optional_int(value: str) -> int | None:
    return int(value) if value else None


def _sex(value: str) -> str | None:
    if value not in ("", "F", "M"):
        raise ValueError(f"sex must be F, M or empty, got {value!r}")
    return value or None


def _procedure(row: dict[str, str]) -> ProcedureCode:
    system = row["code_system"]
    if system not in _PROCEDURE_FORMATS:
        raise ValueError(f"code_system must be CPT or HCPCS, got {system!r}")
    if not row["description"]:
        raise ValueError("the description is empty")
    return ProcedureCode(
        code=_matching(_PROCEDURE_FORMATS[system], row["code"], f"{system} code"),
        description=row["description"],
        code_system=system,
        is_evaluation_management=_boolean(row["is_evaluation_management"]),
        sex=_sex(row["sex"]),
        global_days=_one_of(row["global_days"], _GLOBAL_DAYS, "global_days"),
        visit_family=(_one_of(row["visit_family"], VISIT_FAMILIES, "visit_family")
                      if row["visit_family"] else None),
    )


def _modifier(row: dict[str, str]) -> Modifier:
    if not row["description"]:
        raise ValueError("the description is empty")
    return Modifier(_matching(_MODIFIER, row["code"], "modifier"), row["description"],
                    _boolean(row["ncci_bypass"]), _boolean(row["anatomic"]))


def _place_of_service(row: dict[str, str]) -> tuple[str, str]:
    if not row["name"]:
        raise ValueError("the name is empty")
    return _matching(_PLACE_OF_SERVICE, row["code"], "place-of-service code"), row["name"]


def _demographic_edit(row: dict[str, str]) -> DemographicEdit:
    first, last = _icd_range(row)
    edit = DemographicEdit(
        first=first,
        last=last,
        sex=_sex(row["sex"]),
        min_age_years=_optional_int(row["min_age_years"]),
        max_age_years=_optional_int(row["max_age_years"]),
        max_age_days=_optional_int(row["max_age_days"]),
        age_severity=_age_severity(row),
        source=row["source"],
    )
    if edit.sex is None and (edit.min_age_years, edit.max_age_years, edit.max_age_days) == (
        None, None, None
    ):
        raise ValueError("the row sets neither a sex nor an age limit")
    if not edit.source:
        raise ValueError("the source is empty")
    return edit


def _age_severity(row: dict[str, str]) -> Severity:
    has_age = any(row[column] for column in ("min_age_years", "max_age_years", "max_age_days"))
    if not has_age:
        if row["age_severity"]:
            raise ValueError("age_severity is set on a row with no age limit")
        return Severity.WARNING
    return Severity(_one_of(row["age_severity"], ("error", "warning"), "age_severity"))


def _icd_range(row: dict[str, str]) -> tuple[str, str]:
    first = _matching(_ICD_PREFIX, row["first"], "ICD-10-CM code prefix")
    last = _matching(_ICD_PREFIX, row["last"], "ICD-10-CM code prefix")
    if first[:len(last)] > last:
        raise ValueError(f"the range {first}-{last} is empty")
    return first, last


def _first_listed_edit(row: dict[str, str]) -> FirstListedEdit:
    first, last = _icd_range(row)
    if not row["reason"] or not row["source"]:
        raise ValueError("the reason and the source are required")
    return FirstListedEdit(first, last, row["reason"], row["source"])


def _age_band(row: dict[str, str]) -> AgeBand:
    minimum = int(row["min_age_years"])
    maximum = _optional_int(row["max_age_years"])
    if maximum is not None and maximum < minimum:
        raise ValueError(f"the band {minimum}-{maximum} is empty")
    if not row["band"]:
        raise ValueError("the band is empty")
    return AgeBand(_matching(_PROCEDURE_FORMATS["CPT"], row["code"], "CPT code"), minimum,
                   maximum, row["band"])


def _place_of_service_group(row: dict[str, str]) -> PlaceOfServiceGroup:
    places = row["places_of_service"].split()
    if not places:
        raise ValueError("places_of_service is empty")
    if not row["source"]:
        raise ValueError("the source is empty")
    return PlaceOfServiceGroup(
        visit_family=_one_of(row["visit_family"], VISIT_FAMILIES, "visit_family"),
        only=_POS_KINDS[_one_of(row["kind"], tuple(_POS_KINDS), "kind")],
        places_of_service=frozenset(
            _matching(_PLACE_OF_SERVICE, place, "place-of-service code") for place in places
        ),
        source=row["source"],
    )


def _history(row: dict[str, str]) -> tuple[str, date]:
    code = _matching(_ICD_CODE, row["code"], "dotted ICD-10-CM code")
    return code.replace(".", ""), date.fromisoformat(row["valid_from"])


PROCEDURES = ("procedures.csv", ("code", "code_system", "description",
                                  "is_evaluation_management", "sex", "global_days",
                                  "visit_family"))
MODIFIERS = ("modifiers.csv", ("code", "description", "ncci_bypass", "anatomic"))
PLACES_OF_SERVICE = ("places-of-service.csv", ("code", "name"))
DEMOGRAPHIC_EDITS = ("demographic-edits.csv", ("first", "last", "sex", "min_age_years",
                                               "max_age_years", "max_age_days", "age_severity",
                                               "source"))
FIRST_LISTED_EDITS = ("first-listed-edits.csv", ("first", "last", "reason", "source"))
AGE_BANDS = ("preventive-age-bands.csv", ("code", "min_age_years", "max_age_years", "band"))
PLACE_OF_SERVICE_GROUPS = ("place-of-service-groups.csv",
                           ("visit_family", "kind", "places_of_service", "source"))
CODE_HISTORY = ("icd10cm-code-history.csv", ("code", "valid_from", "source"))


def read_procedures(data_dir: Path = DATA_DIR) -> tuple[Table, dict[str, ProcedureCode]]:
    table = read_table(data_dir / PROCEDURES[0], PROCEDURES[1])
    return table, _keyed(table, _parse_rows(table, _procedure), lambda p: p.code)


def read_modifiers(data_dir: Path = DATA_DIR) -> tuple[Table, dict[str, Modifier]]:
    table = read_table(data_dir / MODIFIERS[0], MODIFIERS[1])
    return table, _keyed(table, _parse_rows(table, _modifier), lambda m: m.code)


def read_places_of_service(data_dir: Path = DATA_DIR) -> tuple[Table, dict[str, str]]:
    table = read_table(data_dir / PLACES_OF_SERVICE[0], PLACES_OF_SERVICE[1])
    pairs = _parse_rows(table, _place_of_service)
    return table, {code: name for code, name in _keyed(table, pairs, lambda p: p[0]).values()}


def read_demographic_edits(data_dir: Path = DATA_DIR) -> tuple[Table, list[DemographicEdit]]:
    table = read_table(data_dir / DEMOGRAPHIC_EDITS[0], DEMOGRAPHIC_EDITS[1])
    return table, _parse_rows(table, _demographic_edit)


def read_code_history(data_dir: Path = DATA_DIR) -> tuple[Table, dict[str, date]]:
    table = read_table(data_dir / CODE_HISTORY[0], CODE_HISTORY[1])
    pairs = _parse_rows(table, _history)
    return table, {code: day for code, day in _keyed(table, pairs, lambda p: p[0]).values()}


def read_first_listed_edits(data_dir: Path = DATA_DIR) -> tuple[Table, list[FirstListedEdit]]:
    table = read_table(data_dir / FIRST_LISTED_EDITS[0], FIRST_LISTED_EDITS[1])
    return table, _parse_rows(table, _first_listed_edit)


def read_age_bands(data_dir: Path = DATA_DIR) -> tuple[Table, dict[str, AgeBand]]:
    table = read_table(data_dir / AGE_BANDS[0], AGE_BANDS[1])
    return table, _keyed(table, _parse_rows(table, _age_band), lambda b: b.code)


def read_place_of_service_groups(
    data_dir: Path = DATA_DIR,
) -> tuple[Table, dict[str, PlaceOfServiceGroup]]:
    table = read_table(data_dir / PLACE_OF_SERVICE_GROUPS[0], PLACE_OF_SERVICE_GROUPS[1])
    groups = _parse_rows(table, _place_of_service_group)
    return table, _keyed(table, groups, lambda g: g.visit_family)
