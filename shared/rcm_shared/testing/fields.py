"""Every string and integer an app's operations read from a request, found in its OpenAPI
document, for tests that must cover each one (a new field is covered without anyone
remembering those tests)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
from fastapi import FastAPI

Step = str | int  # a property name, or 0 for an array's first item


@dataclass(frozen=True)
class RequestField:
    method: str
    path: str  # the operation's path template, e.g. /v1/claims/{claim_id}
    location: str  # "body", "path" or "query"
    steps: tuple[Step, ...]  # where in the body; the parameter's name for path and query
    schema: dict[str, Any]  # the field's own schema: {"type": "string", ...}

    @property
    def issue_path(self) -> str:
        """The path a problem's issue names for this field: $.subscriber.first_name,
        $.claim_ids[0], query:limit."""
        if self.location != "body":
            return f"{self.location}:{self.steps[0]}"
        return "$" + "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in self.steps)

    def body_with(self, value: Any) -> Any:
        """A JSON body holding value at this field and nothing else."""
        body = value
        for step in reversed(self.steps):
            body = [body] if isinstance(step, int) else {step: body}
        return body

    def request(self, value: Any, filler: str) -> dict[str, Any]:
        """httpx.request arguments sending value in this field, filler in every other path
        parameter (and no other query parameter or body field)."""
        name = self.steps[0] if self.location == "path" else None

        def fill(match: re.Match[str]) -> str:
            return quote(str(value), safe="") if match.group(1) == name else filler

        request: dict[str, Any] = {"method": self.method,
                                   "url": re.sub(r"\{(\w+)\}", fill, self.path)}
        if self.location == "query":
            request["params"] = {str(self.steps[0]): str(value)}
        elif self.location == "body":
            request["json"] = self.body_with(value)
        return request


def request_fields(app: FastAPI, kind: str) -> list[RequestField]:
    """Every /v1 request field of JSON type `kind` ("string" or "integer"): in JSON bodies,
    path parameters and query parameters."""
    document = app.openapi()
    fields: list[RequestField] = []
    for path, item in document["paths"].items():
        if not path.startswith("/v1/"):
            continue
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] not in ("path", "query"):
                    continue
                for schema in _alternatives(document, parameter["schema"]):
                    if schema.get("type") == kind:
                        fields.append(RequestField(method.upper(), path, parameter["in"],
                                                   (parameter["name"],), schema))
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                fields.extend(
                    RequestField(method.upper(), path, "body", steps, schema)
                    for steps, schema in _leaves(document, content["application/json"]["schema"])
                    if schema.get("type") == kind
                )
    return fields


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = document["components"]["schemas"][name]
    return schema


def _alternatives(document: dict[str, Any], schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A schema's own forms: each branch of anyOf / oneOf / allOf, references followed."""
    schema = _resolve(document, schema)
    branches = schema.get("anyOf") or schema.get("oneOf") or schema.get("allOf")
    if branches:
        for branch in branches:
            yield from _alternatives(document, branch)
    else:
        yield schema


def _leaves(document: dict[str, Any], schema: dict[str, Any],
            steps: tuple[Step, ...] = ()) -> Iterator[tuple[tuple[Step, ...], dict[str, Any]]]:
    for form in _alternatives(document, schema):
        if form.get("type") == "object" or "properties" in form:
            for name, child in form.get("properties", {}).items():
                yield from _leaves(document, child, (*steps, name))
        elif form.get("type") == "array":
            yield from _leaves(document, form.get("items", {}), (*steps, 0))
        else:
            yield steps, form


CONTROL_CHARACTER_TEXT = "A\x00B"
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# Fills the path parameters a request does not test: the form of an id nobody has.
UNKNOWN_ID = "00000000-0000-0000-0000-000000000000"


def with_control_character(field: RequestField) -> list[str]:
    return [CONTROL_CHARACTER_TEXT]


async def not_refused(client: httpx.AsyncClient, fields: Iterable[RequestField],
                      values: Callable[[RequestField], Iterable[Any]],
                      filler: str = UNKNOWN_ID) -> list[str]:
    """Each field and value the app answered with something else than a 422 naming the
    field (in its problem's issues)."""
    missed = []
    for field in fields:
        for value in values(field):
            response = await client.request(**field.request(value, filler))
            named = set()
            if response.headers.get("content-type") == "application/problem+json":
                named = {issue["path"] for issue in response.json().get("issues") or []}
            if response.status_code != 422 or field.issue_path not in named:
                missed.append(f"{field.method} {field.path} {field.issue_path}={value!r}: "
                              f"{response.status_code}")
    return missed


def bounds(schema: dict[str, Any]) -> tuple[int | None, int | None]:
    """The least and the greatest integer a schema allows (None: no bound)."""
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    if "exclusiveMinimum" in schema and low is not None:
        low += 1
    if "exclusiveMaximum" in schema and high is not None:
        high -= 1
    return low, high


def unbounded(fields: Iterable[RequestField]) -> list[str]:
    """The integer fields without both bounds within signed 64 bits."""
    def bounded(low: int | None, high: int | None) -> bool:
        return low is not None and high is not None and INT64_MIN <= low <= high <= INT64_MAX

    return [f"{f.method} {f.path} {f.issue_path}: {bounds(f.schema)}" for f in fields
            if not bounded(*bounds(f.schema))]


def out_of_bounds(field: RequestField) -> list[int]:
    """Integers the field must refuse: one past each bound, and each past signed 64 bits."""
    low, high = bounds(field.schema)
    values = [INT64_MIN - 1, 2**64]
    if low is not None and low > INT64_MIN:
        values.append(low - 1)
    if high is not None and high < INT64_MAX:
        values.append(high + 1)
    return values
