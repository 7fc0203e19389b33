"""One shape for every finding both services report: a coding edit, a claim scrubber finding,
a request field refused. Stored in JSON columns and sent in problems as plain dicts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, Field


class Severity(StrEnum):
    ERROR = "error"  # blocks finalizing an encounter or submitting a claim
    WARNING = "warning"  # reported, never blocking


IssueDict = dict[str, str]


@dataclass(frozen=True, slots=True)
class Issue:
    rule: str  # a stable id, e.g. "icd10cm.header_code"
    severity: Severity
    path: str  # a JSON path into the body ($.service_lines[0].units), or query:/header:/path:
    message: str

    def to_dict(self) -> IssueDict:
        return {"rule": self.rule, "severity": self.severity.value, "path": self.path,
                "message": self.message}


def issue(rule: str, path: str, message: str,
          severity: Severity = Severity.ERROR) -> IssueDict:
    return Issue(rule, severity, path, message).to_dict()


def has_errors(issues: Iterable[Issue | Mapping[str, str]]) -> bool:
    return any(
        (found.severity if isinstance(found, Issue) else found["severity"]) == Severity.ERROR
        for found in issues
    )


class IssueOut(BaseModel):
    rule: str
    severity: Severity
    path: str = Field(description="A JSON path into the body ($.service_lines[0].units), or "
                                  "query:name / header:name / path:name")
    message: str
