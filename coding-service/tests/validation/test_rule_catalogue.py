"""The rule catalogue and docs/validation-rules.md describe the same rules."""

from __future__ import annotations

import re
from pathlib import Path

from coding_service.validation.rules import RULES

DOC = Path(__file__).resolve().parents[3] / "docs" / "validation-rules.md"
ROW = re.compile(r"^\| `(?P<rule>[a-z0-9_.]+)` \| (?P<severity>error or warning|error|warning) \|")
# Rules whose severity depends on the data: documented as "error or warning".
VARIABLE_SEVERITY = {"diagnosis.age_conflict", "ncci.addon_without_primary"}


def _documented() -> dict[str, str]:
    rows = [ROW.match(line) for line in DOC.read_text().splitlines()]
    return {m["rule"]: m["severity"] for m in rows if m}


def test_every_rule_is_documented_with_its_severity():
    expected = {
        rule.id: "error or warning" if rule.id in VARIABLE_SEVERITY else rule.severity
        for rule in RULES
    }
    assert _documented() == expected


def test_rule_ids_are_unique_and_dotted():
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids)) == 56
    assert all(re.fullmatch(r"[a-z_0-9]+\.[a-z_0-9]+", rule_id) for rule_id in ids)
