"""A contract's rows read alone, as JSON and as CSV: each rule refuses what breaks it, naming
the row (JSON path or CSV line) and field, and takes what keeps it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from billing_service.contracts.rates import MAX_FINDINGS, MAX_RATES, Rate, read_csv, read_json


def rules(findings: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [(f["rule"], f["path"]) for f in findings]


def one_row(**fields: Any) -> dict[str, Any]:
    return {"rates": [{"procedure_code": "99213", "modifier": None, "allowed": "130.00",
                       **fields}]}


def test_json_rates_come_out_canonical() -> None:
    rates, findings = read_json({"rates": [
        {"procedure_code": "99213", "allowed": "130"},
        {"procedure_code": "99213", "modifier": "25", "allowed": "140.5"},
        {"procedure_code": "j1100", "modifier": "", "allowed": "0.01"},
        {"procedure_code": "0001U", "modifier": "rt", "allowed": "99999999.99"}]})
    assert findings == []
    assert rates == [Rate("99213", None, Decimal("130.00")), Rate("99213", "25", Decimal("140.50")),
                     Rate("J1100", None, Decimal("0.01")),
                     Rate("0001U", "RT", Decimal("99999999.99"))]


@pytest.mark.parametrize(("field", "value", "rule"), [
    ("procedure_code", "9921", "contract.procedure_code.format"),
    ("procedure_code", "992133", "contract.procedure_code.format"),
    ("procedure_code", "W1100", "contract.procedure_code.format"),
    ("procedure_code", 99213, "contract.procedure_code.format"),
    ("modifier", "2", "contract.modifier.format"),
    ("modifier", "25X", "contract.modifier.format"),
    ("modifier", "2-", "contract.modifier.format"),
    ("allowed", "0.00", "contract.allowed.positive"),
    ("allowed", "-5.00", "contract.allowed.positive"),
    ("allowed", "130.001", "contract.allowed.format"),
    ("allowed", "1,300.00", "contract.allowed.format"),
    ("allowed", 130, "contract.allowed.format"),
    ("allowed", "123456789.00", "contract.allowed.format"),
])
def test_each_json_field_is_refused_naming_its_path_and_rule(field: str, value: Any,
                                                             rule: str) -> None:
    rates, findings = read_json(one_row(**{field: value}))
    assert (rates, rules(findings)) == ([], [(rule, f"$.rates[0].{field}")])
    assert findings[0]["message"].startswith("$.rates[0]: ")


def test_a_missing_field_is_named() -> None:
    _, findings = read_json({"rates": [{"modifier": "25", "allowed": "1.00"}]})
    assert rules(findings) == [("contract.procedure_code.format", "$.rates[0].procedure_code")]
    assert "(missing)" in findings[0]["message"]
    _, findings = read_json({"rates": [{"procedure_code": "99213"}]})
    assert rules(findings) == [("contract.allowed.format", "$.rates[0].allowed")]


def test_json_of_another_shape_is_refused() -> None:
    assert rules(read_json([])[1]) == [("contract.json.shape", "$.rates")]
    assert rules(read_json({"rates": "99213"})[1]) == [("contract.json.shape", "$.rates")]
    assert rules(read_json({"rates": [], "payer": "x"})[1]) == [
        ("contract.json.unknown_field", "$.payer"), ("contract.rates.empty", "$.rates")]
    assert rules(read_json({"rates": ["99213"]})[1]) == [("contract.json.shape", "$.rates[0]")]
    assert rules(read_json(one_row(units=2))[1]) == [
        ("contract.json.unknown_field", "$.rates[0].units")]


def test_a_code_and_modifier_given_twice_is_refused_naming_both_rows() -> None:
    _, findings = read_json({"rates": [
        {"procedure_code": "99213", "allowed": "130.00"},
        {"procedure_code": "99213", "modifier": "25", "allowed": "140.00"},
        {"procedure_code": "99213", "modifier": "", "allowed": "131.00"},
        {"procedure_code": "99213", "modifier": "25", "allowed": "141.00"}]})
    assert rules(findings) == [("contract.rate.duplicate", "$.rates[2].procedure_code"),
                               ("contract.rate.duplicate", "$.rates[3].procedure_code")]
    assert "already priced by $.rates[1]" in findings[1]["message"]
    # The same code with two modifiers, or a modifier and none, is no duplicate.
    assert read_json({"rates": [{"procedure_code": "99213", "allowed": "1.00"},
                                {"procedure_code": "99213", "modifier": "25",
                                 "allowed": "1.00"}]})[1] == []


def test_the_number_of_rows_is_capped_and_an_empty_contract_refused() -> None:
    row = {"procedure_code": "99213", "allowed": "1.00"}
    assert rules(read_json({"rates": []})[1]) == [("contract.rates.empty", "$.rates")]
    assert rules(read_json({"rates": [row] * (MAX_RATES + 1)})[1]) == [
        ("contract.rates.too_many", "$.rates")]
    rows = [{"procedure_code": f"{10000 + n}", "allowed": "1.00"} for n in range(MAX_RATES)]
    assert len(read_json({"rates": rows})[0]) == MAX_RATES


def test_csv_rates_come_out_canonical_and_blank_lines_are_skipped() -> None:
    rates, findings = read_csv("Procedure_Code, Modifier ,allowed\r\n99213,,130.00\r\n\r\n"
                               "99213,25,140\r\n\"j1100\",\"\",\"0.50\"\n")
    assert findings == []
    assert rates == [Rate("99213", None, Decimal("130.00")), Rate("99213", "25", Decimal("140.00")),
                     Rate("J1100", None, Decimal("0.50"))]


def test_each_csv_finding_names_the_line_and_field() -> None:
    text = ("procedure_code,modifier,allowed\n99213,,130.00\n9921,,1.00\n99214,2,185.00\n"
            "99215,,0\n99213,,131.00\n99212,,12.345\n99211,25\n")
    rates, findings = read_csv(text)
    assert rates == []
    assert rules(findings) == [
        ("contract.procedure_code.format", "line 3 (procedure_code)"),
        ("contract.modifier.format", "line 4 (modifier)"),
        ("contract.allowed.positive", "line 5 (allowed)"),
        ("contract.rate.duplicate", "line 6 (procedure_code)"),
        ("contract.allowed.format", "line 7 (allowed)"),
        ("contract.csv.columns", "line 8")]
    assert findings[3]["message"] == (
        "line 6: 99213 with no modifier is already priced by line 2; each code and modifier "
        "has one rate")


def test_csv_needs_its_header_and_a_row() -> None:
    assert rules(read_csv("code,modifier,allowed\n99213,,1.00\n")[1]) == [
        ("contract.csv.header", "line 1 (header)")]
    assert rules(read_csv("")[1]) == [("contract.csv.header", "line 1")]
    assert rules(read_csv("procedure_code,modifier,allowed\n")[1]) == [
        ("contract.rates.empty", "line 2")]
    assert rules(read_csv("procedure_code,modifier,allowed\n99213,,\"1.00\n")[1]) == [
        ("contract.csv.syntax", "line 2")]


def test_a_file_wrong_throughout_lists_its_first_findings_only() -> None:
    text = "procedure_code,modifier,allowed\n" + "9921,,1.00\n" * (MAX_FINDINGS + 50)
    _, findings = read_csv(text)
    assert len(findings) == MAX_FINDINGS
    assert findings[-1]["path"] == f"line {MAX_FINDINGS + 1} (procedure_code)"
