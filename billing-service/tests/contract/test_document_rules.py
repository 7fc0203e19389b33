"""Every operation of billing-service's OpenAPI document keeps the document's rules
(rcm_shared.testing.document): camelCase operation ids, described tags, a summary and a
description, described parameters, declared headers, unique PascalCase schema names, every
property of every schema described, and a Problem.type enum naming every problem the code
raises."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

import billing_service
from rcm_shared.testing.document import document_rule_breaches, undeclared_problem_types

SOURCES = [Path(billing_service.__file__).parent, Path(__file__).resolve().parents[2] / "mockpayer",
           Path(__file__).resolve().parents[3] / "shared" / "rcm_shared"]


def test_every_operation_keeps_the_document_rules(app: FastAPI) -> None:
    assert document_rule_breaches(app.openapi()) == []


def test_every_problem_type_raised_is_in_the_problem_type_enum() -> None:
    assert undeclared_problem_types(SOURCES) == set()
