"""The rules every operation of a service's OpenAPI document follows, checked by each service's
tests over its whole document, so an endpoint added later is held to them too.

To follow them, an endpoint needs: a function name that says what it does (its operation id,
camelCased), a `summary=`, a docstring (its description), a tag described in the service's
`openapi.DOCUMENT`, and a description for any parameter `rcm_shared.openapi.
PARAMETER_DESCRIPTIONS` does not describe. A problem `type_=` new to the code goes into
`rcm_shared.openapi.PROBLEM_TYPES`. A property of a component schema needs a description: its
model's `Field(description=)`, or the glossary's (`rcm_shared.openapi_glossary`, or the
service's `openapi.PROPERTIES`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rcm_shared.openapi import PROBLEM_TYPES

OPERATION_ID = re.compile(r"[a-z][A-Za-z0-9]*")
SCHEMA_NAME = re.compile(r"[A-Z][A-Za-z0-9]*")
_RAISED_TYPE = re.compile(r"""type_=["']([a-z0-9-]+)["']""")


def _operations(schema: dict[str, Any]) -> Iterable[tuple[str, dict[str, Any]]]:
    for section in ("paths", "webhooks"):
        for path, item in schema.get(section, {}).items():
            for method, operation in item.items():
                yield f"{method.upper()} {path}", operation


def document_rule_breaches(schema: dict[str, Any]) -> list[str]:
    """Each place the document breaks a rule, named; none when it keeps them all."""
    breaches: list[str] = []
    tags = {tag["name"]: tag.get("description") for tag in schema.get("tags", [])}
    breaches += [f"tag {name!r} has no description" for name, text in tags.items() if not text]
    for part in ("contact", "license"):
        if part not in schema["info"]:
            breaches.append(f"info has no {part}")
    if not schema.get("servers"):
        breaches.append("no servers")
    seen: dict[str, str] = {}
    for where, operation in _operations(schema):
        operation_id = operation.get("operationId", "")
        if not OPERATION_ID.fullmatch(operation_id):
            breaches.append(f"{where}: operation id {operation_id!r} is not camelCase")
        if operation_id in seen:
            breaches.append(f"{where}: operation id {operation_id!r} is also {seen[operation_id]}")
        seen[operation_id] = where
        if not operation.get("tags") or any(tag not in tags for tag in operation["tags"]):
            breaches.append(f"{where}: a tag the document does not describe")
        summary, description = operation.get("summary"), operation.get("description")
        if not summary:
            breaches.append(f"{where}: no summary")
        if not description or description == summary:
            breaches.append(f"{where}: no description (the endpoint's docstring)")
        for parameter in operation.get("parameters", []):
            if not parameter.get("description"):
                breaches.append(f"{where}: parameter {parameter['name']!r} has no description")
        for status, response in operation.get("responses", {}).items():
            headers = response.get("headers", {})
            # A webhook's answers are the receiver's, not the service's.
            if where.split()[1].startswith("/") and "X-Request-Id" not in headers:
                breaches.append(f"{where} {status}: X-Request-Id not declared")
            if status == "201" and "Location" not in headers:
                breaches.append(f"{where} 201: Location not declared")
            if status == "503" and "Retry-After" not in headers:
                breaches.append(f"{where} 503: Retry-After not declared")
    titles: dict[str, str] = {}
    for name, component in schema.get("components", {}).get("schemas", {}).items():
        if not SCHEMA_NAME.fullmatch(name):
            breaches.append(f"schema {name!r}: not a PascalCase name a generator keeps")
        title = component.get("title", name)
        if title in titles:
            breaches.append(f"schemas {titles[title]} and {name} share the title {title!r}")
        titles[title] = name
        for prop, prop_schema in component.get("properties", {}).items():
            if not prop_schema.get("description"):
                breaches.append(f"schema {name}: property {prop!r} has no description")
    return breaches


def undeclared_problem_types(source_dirs: Iterable[Path]) -> set[str]:
    """The problem types raised in the code (`type_="..."`) that the document's Problem.type
    enum lacks."""
    raised: set[str] = set()
    for directory in source_dirs:
        for module in directory.rglob("*.py"):
            # A migration's drop_constraint names a constraint kind, not a problem type.
            if "migrations" not in module.parts:
                raised |= set(_RAISED_TYPE.findall(module.read_text()))
    return raised - set(PROBLEM_TYPES)
