"""A contract as the clinic sends it, read and checked row by row: JSON `{"rates": [...]}` or
CSV under the header `procedure_code,modifier,allowed`. Pure: each finding names its row (a
JSON path, or the CSV line) and field, and the rule it breaks; codes and modifiers come out
upper case, an empty modifier as None (the code's own row, for any modifier or none)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from rcm_shared.issues import IssueDict, issue
from rcm_shared.money import ZERO, to_money

# A contract lists a clinic's codes, a few hundred to a few thousand with their modifiers.
MAX_RATES = 10_000
# The findings one answer lists; a file wrong throughout needs no more to be fixed.
MAX_FINDINGS = 100
# CPT (Category II and III end in F and T, PLA codes in U) or HCPCS Level II.
PROCEDURE_CODE = re.compile(r"\d{4}[0-9FTU]|[A-V]\d{4}")
MODIFIER = re.compile(r"[0-9A-Z]{2}")
# Per unit, to the cent, as the money columns hold it.
ALLOWED = re.compile(r"-?[0-9]{1,8}(\.[0-9]{1,2})?")
CSV_HEADER = ("procedure_code", "modifier", "allowed")
FIELDS = frozenset(CSV_HEADER)


@dataclass(frozen=True, slots=True)
class Rate:
    procedure_code: str
    modifier: str | None  # None: the code under any modifier, or none
    allowed: Decimal  # per unit


@dataclass(frozen=True, slots=True)
class _Row:
    name: str  # "$.rates[0]" or "line 2", as a finding names it
    fields: Mapping[str, object] | None  # None: not a row of fields at all
    csv_line: bool = False
    # What is wrong with the row's shape, found as it was read, in its place among the rest.
    shape: tuple[IssueDict, ...] = ()

    def path(self, field: str) -> str:
        return f"{self.name} ({field})" if self.csv_line else f"{self.name}.{field}"


def _shown(value: object) -> str:
    """A field's value as a finding quotes it: a missing field is named as such."""
    return "(missing)" if value is None else repr(value)


def _rate(row: _Row, fields: Mapping[str, object], findings: list[IssueDict]) -> Rate | None:
    """The row's rate, or None after adding its findings."""
    found = len(findings)
    code = fields.get("procedure_code")
    if not isinstance(code, str) or not PROCEDURE_CODE.fullmatch(code.strip().upper()):
        findings.append(issue("contract.procedure_code.format", row.path("procedure_code"),
                              f"{row.name}: procedure_code {_shown(code)} is not a CPT or HCPCS "
                              "code (5 characters, e.g. 99213 or J1100)"))
    modifier = fields.get("modifier")
    if modifier is not None and not (
            isinstance(modifier, str)
            and (not modifier.strip() or MODIFIER.fullmatch(modifier.strip().upper()))):
        findings.append(issue("contract.modifier.format", row.path("modifier"),
                              f"{row.name}: modifier {modifier!r} is not two letters or "
                              "digits (leave it empty for the code's own rate)"))
    allowed = fields.get("allowed")
    if not isinstance(allowed, str) or not ALLOWED.fullmatch(allowed.strip()):
        findings.append(issue("contract.allowed.format", row.path("allowed"),
                              f"{row.name}: allowed {_shown(allowed)} is not an amount per unit "
                              "written as a decimal string with at most two places, e.g. "
                              "\"118.30\""))
    elif to_money(allowed.strip()) <= ZERO:
        findings.append(issue("contract.allowed.positive", row.path("allowed"),
                              f"{row.name}: allowed {allowed.strip()} is not more than 0.00"))
    if len(findings) > found:
        return None
    assert isinstance(code, str) and isinstance(allowed, str)
    modifier = modifier.strip().upper() if isinstance(modifier, str) else ""
    return Rate(procedure_code=code.strip().upper(), modifier=modifier or None,
                allowed=to_money(allowed.strip()))


def _checked(rows: list[_Row], where: str, findings: list[IssueDict]
             ) -> tuple[list[Rate], list[IssueDict]]:
    """Every row's rate, or the findings: `where` names the list for the findings on it."""
    if not rows:
        findings.append(issue("contract.rates.empty", where,
                              "The contract lists no rate: send at least one."))
    if len(rows) > MAX_RATES:
        findings.append(issue("contract.rates.too_many", where,
                              f"The contract lists {len(rows)} rates; at most {MAX_RATES} are "
                              "taken in one upload."))
        return [], findings
    rates: list[Rate] = []
    first_row: dict[tuple[str, str | None], str] = {}
    for row in rows:
        findings += row.shape
        if row.fields is None:
            continue
        rate = _rate(row, row.fields, findings)
        if rate is None:
            continue
        key = (rate.procedure_code, rate.modifier)
        if key in first_row:
            findings.append(issue(
                "contract.rate.duplicate", row.path("procedure_code"),
                f"{row.name}: {rate.procedure_code} with "
                f"{'modifier ' + rate.modifier if rate.modifier else 'no modifier'} is "
                f"already priced by {first_row[key]}; each code and modifier has one rate"))
            continue
        first_row[key] = row.name
        rates.append(rate)
    return (rates, []) if not findings else ([], findings[:MAX_FINDINGS])


def read_json(document: object) -> tuple[list[Rate], list[IssueDict]]:
    """The rates of a decoded JSON body, or the findings that refuse it."""
    if not isinstance(document, dict) or not isinstance(document.get("rates"), list):
        return [], [issue("contract.json.shape", "$.rates",
                          "The body is an object whose `rates` is a list of "
                          "{procedure_code, modifier, allowed}.")]
    findings = [issue("contract.json.unknown_field", f"$.{name}",
                      f"{name!r} is not a field of a contract; it has `rates` alone.")
                for name in document if name != "rates"]
    rows = []
    for index, entry in enumerate(document["rates"]):
        name = f"$.rates[{index}]"
        if not isinstance(entry, dict):
            rows.append(_Row(name, None, shape=(issue(
                "contract.json.shape", name,
                f"{name} is not an object {{procedure_code, modifier, allowed}}"),)))
            continue
        rows.append(_Row(name, entry, shape=tuple(
            issue("contract.json.unknown_field", f"{name}.{field}",
                  f"{name}: {field!r} is not a field of a rate (procedure_code, modifier, "
                  "allowed)") for field in entry if field not in FIELDS)))
    return _checked(rows, "$.rates", findings)


def read_csv(text: str) -> tuple[list[Rate], list[IssueDict]]:
    """The rates of a CSV body (its first line the header), or the findings that refuse it.
    Blank lines are skipped; an empty modifier is the code's own rate."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[_Row] = []
    header: list[str] | None = None
    try:
        for record in reader:
            line = f"line {reader.line_num}"
            if not any(value.strip() for value in record):
                continue
            if header is None:
                header = [value.strip().lower() for value in record]
                if tuple(header) != CSV_HEADER:
                    return [], [issue("contract.csv.header", f"{line} (header)",
                                      f"{line}: the header is {','.join(record)!r}, not "
                                      f"{','.join(CSV_HEADER)!r}")]
                continue
            if len(record) != len(CSV_HEADER):
                rows.append(_Row(line, None, shape=(issue(
                    "contract.csv.columns", line,
                    f"{line}: {len(record)} columns, not the 3 of {','.join(CSV_HEADER)}"),)))
                continue
            rows.append(_Row(line, dict(zip(CSV_HEADER, record, strict=True)), csv_line=True))
    except csv.Error as exc:
        return [], [issue("contract.csv.syntax", f"line {reader.line_num}",
                          f"line {reader.line_num}: not readable as CSV ({exc})")]
    if header is None:
        return [], [issue("contract.csv.header", "line 1",
                          f"The file is empty: its first line is the header "
                          f"{','.join(CSV_HEADER)}")]
    return _checked(rows, "line 2", [])
