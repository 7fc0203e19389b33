"""The error answers of every operation, written into the OpenAPI document.

Each operation lists the problem+json answers it can give, derived from what it takes: an
API key (401, 403), path parameters (404), a body (400 not JSON, 413 too large, 422
invalid), a cursor (400), If-Match (400 malformed, 409 state conflicts, 412 stale version,
428 missing version), an Idempotency-Key (400 malformed, 409 in progress, 422 reused). So a
client generated from the document, or a contract test, knows every status code and its body.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict

from rcm_shared.issues import IssueOut
from rcm_shared.problems import PROBLEM_MEDIA_TYPE

CURSOR_PARAMETERS = frozenset({"cursor", "after"})
_DESCRIPTIONS = {
    400: "Bad request: a body that is not JSON, or a malformed cursor, If-Match or "
         "Idempotency-Key",
    401: "No API key, or one that is not recognised",
    403: "The API key lacks the scope this operation needs",
    404: "Nothing with that id for this tenant",
    409: "Conflict with the resource's state (or a request with this Idempotency-Key is "
         "still in progress)",
    412: "If-Match names a version that is no longer current",
    413: "The request body is too large",
    422: "The request does not pass validation; `issues` names each field",
    428: "This change needs If-Match with the resource's current version",
    503: "Not ready",
}


class Problem(BaseModel):
    """RFC 9457 problem details."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    issues: list[IssueOut] | None = None


def install_problem_documentation(app: FastAPI) -> None:
    build_schema: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document_problems(build_schema())
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def problem_statuses(operation: dict[str, Any], path: str) -> set[int]:
    parameters = {(p["in"], p["name"]) for p in operation.get("parameters", [])}
    headers = {name.lower() for where, name in parameters if where == "header"}
    statuses: set[int] = set()
    if operation.get("security"):
        statuses |= {401, 403}
    if "{" in path:
        statuses.add(404)
    if "requestBody" in operation:
        statuses |= {400, 413, 422}
    if parameters:
        statuses.add(422)
    if {name for where, name in parameters if where == "query"} & CURSOR_PARAMETERS:
        statuses.add(400)
    if "if-match" in headers:
        statuses |= {400, 409, 412, 428}
    if "idempotency-key" in headers:
        statuses |= {400, 409, 422}
    return statuses


def document_problems(schema: dict[str, Any]) -> None:
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(_component_schemas((Problem, IssueOut)))
    problem = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status in sorted(problem_statuses(operation, path)):
                # A route's own description of an answer is kept; its body is a problem.
                existing = responses.get(str(status), {})
                responses[str(status)] = {
                    "description": existing.get("description") or _DESCRIPTIONS[status],
                    "content": problem,
                }
    # FastAPI's own validation error shape is never sent: 422 answers are problems.
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)


def _component_schemas(models: Iterable[type[BaseModel]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for model in models:
        model_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        found.update(model_schema.pop("$defs", {}))
        found[model.__name__] = model_schema
    return found
