"""The OpenAPI document of a service, finished by rules every operation follows.

A route declares what only it knows (its summary, its docstring as description, the answers
only it gives); the rules here derive the rest from the operation's shape, so a new endpoint
is documented like the others without repeating anything:

- operation ids: the endpoint function's name in camelCase (`create_encounter` ->
  `createEncounter`), stable as long as the function keeps its name;
- problem answers (application/problem+json, or a FHIR OperationOutcome under /fhir/) from
  what the operation takes: an API key (401,
  403), path parameters (404), a body (400 not JSON, 413 too large, 422 invalid), parameters
  (422), a cursor (400), If-Match (400 malformed, 409 state conflicts, 412 stale version, and
  428 missing version where it is required), an Idempotency-Key (400 malformed, 409 in
  progress, 422 reused), and a write (503 when the database rolled it back for a concurrent
  one: `rcm_shared.problems.gave_way`);
- a success declared by its description alone answers the main success's body;
- response headers: X-Request-Id on every answer, Location on every 201, ETag on a success
  whose body carries the resource's `version`, Idempotent-Replayed on the successes of an
  operation that takes Idempotency-Key, Retry-After on 503;
- If-Match marked required where the server answers 428 without it (`rcm_shared.http.
  IfMatchRequired`);
- component schemas titled by their own (unique) names, so a generator makes one class each;
- the parameters both services share described once (`PARAMETER_DESCRIPTIONS`);
- tags described, servers, contact and license from the service's `DocumentInfo`.

rcm_shared's own tests walk every operation of both services and fail on one that breaks a
rule, so each rule holds for endpoints added later too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field

from rcm_shared.fhir import FHIR_MEDIA_TYPE, OperationOutcome, is_fhir_path
from rcm_shared.issues import IssueOut
from rcm_shared.openapi_glossary import PROPERTY_DESCRIPTIONS
from rcm_shared.problems import PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_BASE

CURSOR_PARAMETERS = frozenset({"cursor", "after"})
IF_MATCH_REQUIRED = "x-if-match-required"
_DESCRIPTIONS = {
    400: "Bad request: a body that is not JSON, or a malformed cursor, If-Match or "
         "Idempotency-Key",
    401: "No API key, or one that is not recognised",
    403: "The API key lacks the scope this operation needs",
    404: "Nothing with that id for this tenant",
    409: "Conflict with the resource's state (or a request with this Idempotency-Key is "
         "still in progress)",
    412: "If-Match names a version that is no longer current; `current_version` is the "
         "current one",
    413: "The request body is too large",
    422: "The request does not pass validation; `issues` names each field",
    428: "This change needs If-Match with the resource's current version, given in "
         "`current_version`",
    503: "Nothing was kept: another request was writing the same records at that moment (type "
         "`concurrent-write`), or a service this one needs did not answer; send it again "
         "after Retry-After",
}

# Every `type` a problem of either service may carry (after PROBLEM_TYPE_BASE), and
# about:blank for the framework's plain HTTP errors (405, an unknown path). A test reads each
# ProblemError raised in the code and fails on a type missing here.
PROBLEM_TYPES = (
    "bad-cursor", "bad-idempotency-key", "bad-if-match", "bad-webhook-signature",
    "coding-errors", "concurrent-write", "conflict", "forbidden", "idempotency-key-in-progress",
    "idempotency-key-reused", "if-match-required", "not-found", "not-ready", "payer-rule",
    "payer-answer", "payer-unavailable", "scrubber", "stale-version", "too-large", "unauthorized",
    "unsupported-media-type", "upstream-refused", "upstream-unavailable", "validation", "x12",
)

# The parameters both services take under one name, described once.
PARAMETER_DESCRIPTIONS = {
    "limit": "Page size: at most this many items",
    "cursor": "`next_cursor` of the previous page, passed back unchanged; none for the first "
              "page",
    "Idempotency-Key": "Makes the request safe to retry: the first response is stored for 24 "
                       "hours and a retry with the same key answers it again (with "
                       "`Idempotent-Replayed: true`) instead of acting twice",
    "If-Match": "The resource's version as last read (its ETag, e.g. `\"3\"`): the change "
                "applies only if it is still current (412 otherwise)",
    "encounter_id": "The encounter's id, as coding-service issued it",
    "claim_id": "The claim's id",
    "check_id": "The eligibility check's id",
    "coverage_id": "The coverage's id",
    "payer_id": "The payer's id (e.g. `MOCK1`)",
    "patient_id": "The patient's id: the EHR's medical record number",
    "npi": "The provider's National Provider Identifier (ten digits)",
    "webhook_id": "The webhook subscription's id",
    "query_id": "The provider query's id",
    "number": "The coding version's number: 1, then one more at each finalization after a "
              "reopen",
    "code": "The code, with or without its dot (`E11.9` or `E119`)",
}

_HEADERS: dict[str, dict[str, Any]] = {
    "X-Request-Id": {"description": "The request's id, on every log line about it: quote it "
                                    "when reporting a problem",
                     "schema": {"type": "string"}},
    "ETag": {"description": "The resource's version, to send back as If-Match",
             "schema": {"type": "string", "pattern": '^"[0-9]+"$'}},
    "Location": {"description": "The path of what was created",
                 "schema": {"type": "string"}},
    "Idempotent-Replayed": {
        "description": "`true` when this is the stored answer to an earlier request with the "
                       "same Idempotency-Key", "schema": {"type": "string", "enum": ["true"]}},
    "Retry-After": {"description": "Seconds to wait before retrying",
                    "schema": {"type": "string", "pattern": "^[0-9]+$"}},
}


class Problem(BaseModel):
    """RFC 9457 problem details: what went wrong, for people (`title`, `detail`) and programs
    (`type`, `status`, `issues`)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="What kind of problem: a URI under "
                                  f"{PROBLEM_TYPE_BASE}, or about:blank for plain HTTP errors",
                      json_schema_extra={"enum": ["about:blank",
                                                  *(PROBLEM_TYPE_BASE + t for t in PROBLEM_TYPES)]})
    title: str = Field(description="A short summary of the kind of problem")
    status: int = Field(description="The HTTP status code", ge=400, le=599)
    detail: str = Field(description="What went wrong with this request")
    instance: str | None = Field(None, description="The path of the request")
    issues: list[IssueOut] | None = Field(
        None, description="Each rule broken, with the field it concerns (422, and some 400)")
    current_version: int | None = Field(
        None, description="The resource's current version (412 and 428): send it as If-Match "
                          "after reading the resource again")


@dataclass(frozen=True)
class DocumentInfo:
    """What a service says about itself in its document beyond its routes."""

    tags: Mapping[str, str]
    servers: list[dict[str, str]] = field(default_factory=list)
    webhooks: Mapping[str, Any] = field(default_factory=dict)
    schemas: Iterable[type[BaseModel]] = ()
    # The service's own property descriptions, over PROPERTY_DESCRIPTIONS (same keys).
    properties: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Example:
    """One request an operation documents with what the server answers to it, paired by name
    in the document (a request example and the response example of `status` share `name`, as
    mock servers pair them). Each service's test_examples.py sends every documented request and
    checks the answer's status, so an example the server would refuse cannot stay."""

    name: str
    summary: str
    status: int
    request: Any = None
    response: Any = None
    # Path, query and header parameters by name (an id as an earlier example's answer shows it),
    # of their schema's type.
    parameters: Mapping[str, str | int] = field(default_factory=dict)


# The operation extension `examples()` leaves for finish_document to place.
_EXAMPLES = "x-rcm-examples"


def examples(*named: Example) -> dict[str, Any]:
    """A route's `openapi_extra=`: its request and response examples, e.g.
    `openapi_extra=examples(Example("created", "A new patient's visit", 201, body, answer),
    Example("invalid", "A date of service in the future", 422, bad_body, problem))`."""
    # As JSON text: FastAPI encodes the document without null values, and an example keeps
    # its nulls.
    return {_EXAMPLES: json.dumps([{**asdict(example), "parameters": dict(example.parameters)}
                                   for example in named])}


CONTACT = {"name": "coding-service and billing-service maintainers"}
LICENSE = {"name": "MIT", "identifier": "MIT"}


def operation_id(route: APIRoute) -> str:
    """`create_encounter` -> `createEncounter`."""
    first, *rest = route.name.split("_")
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


def install_document_rules(app: FastAPI, info: DocumentInfo | None = None) -> None:
    build_schema: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            finish_document(build_schema(), info)
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def finish_document(schema: dict[str, Any], info: DocumentInfo | None = None) -> None:
    schema["openapi"] = "3.1.0"
    schema["info"].setdefault("contact", CONTACT)
    schema["info"].setdefault("license", LICENSE)
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    fhir = any(is_fhir_path(path) for path in schema.get("paths", {}))
    schemas.update(_component_schemas((Problem, IssueOut, *(info.schemas if info else ()),
                                       *((OperationOutcome,) if fhir else ()))))
    # FastAPI's own validation error shape is never sent: 422 answers are problems.
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    components["headers"] = {name: dict(header) for name, header in _HEADERS.items()}
    if info is not None:
        schema["tags"] = [{"name": name, "description": description}
                          for name, description in info.tags.items()]
        if info.servers:
            schema["servers"] = list(info.servers)
        if info.webhooks:
            schema["webhooks"] = dict(info.webhooks)
    for item in [*schema.get("paths", {}).values(), *schema.get("webhooks", {}).values()]:
        for operation in item.values():
            # Said outright: an operation without a key (a probe, a signed webhook) is public.
            operation.setdefault("security", [])
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            _describe_parameters(operation)
            _complete_successes(operation)
            _document_problems(operation, path, writes=method != "get")
            _document_headers(operation, schemas)
            _place_examples(operation, f"{operation.get('operationId')}")
    _unique_titles(schema)
    _describe_properties(schema["components"]["schemas"],
                         {**PROPERTY_DESCRIPTIONS, **(info.properties if info else {})})


def _describe_properties(schemas: dict[str, Any], glossary: Mapping[str, str]) -> None:
    """A property its model leaves undescribed takes the glossary's words: for its schema
    first (`Schema.property`), else for its name."""
    for name, component in schemas.items():
        for prop, prop_schema in component.get("properties", {}).items():
            if prop_schema.get("description"):
                continue
            described = glossary.get(f"{name}.{prop}") or glossary.get(prop)
            if described is not None:
                prop_schema["description"] = described


def _place_examples(operation: dict[str, Any], where: str) -> None:
    for example in json.loads(operation.pop(_EXAMPLES, "[]")):
        name, summary, status = example["name"], example["summary"], example["status"]
        for parameter in operation.get("parameters", []):
            if parameter["name"] in example["parameters"]:
                parameter.setdefault("examples", {})[name] = {
                    "summary": summary, "value": example["parameters"][parameter["name"]]}
        if example["request"] is not None:
            content = operation["requestBody"]["content"]["application/json"]
            content.setdefault("examples", {})[name] = {"summary": summary,
                                                        "value": example["request"]}
        if example["response"] is None:
            continue
        response = operation["responses"].get(str(status))
        if response is None or "content" not in response:
            raise ValueError(f"{where}: example {name!r} answers {status}, which the "
                             "operation does not document with a body")
        # Problem bodies are one shared dict: each operation gets its own copy to extend.
        media_type, media = next(iter(response["content"].items()))
        response["content"] = {**response["content"], media_type: {
            **media, "examples": {**media.get("examples", {}), name: {
                "summary": summary, "value": example["response"]}}}}


def _describe_parameters(operation: dict[str, Any]) -> None:
    for parameter in operation.get("parameters", []):
        parameter_schema = parameter.get("schema", {})
        if parameter_schema.pop(IF_MATCH_REQUIRED, False):
            parameter["required"] = True
            # What `required` means is said by the parameter; a null is never sent.
            parameter["schema"] = {k: v for k, v in parameter_schema.items() if k != "anyOf"} \
                | _non_null(parameter_schema)
        description = parameter.get("description") or parameter_schema.get("description") \
            or PARAMETER_DESCRIPTIONS.get(parameter["name"])
        if description:
            parameter["description"] = description


def _complete_successes(operation: dict[str, Any]) -> None:
    """A second success a route declares by its description alone (POST /v1/encounters' 200
    for an encounter already made) has the body of the route's main one."""
    responses = operation.get("responses", {})
    bodies = [r["content"] for s, r in responses.items() if s.startswith("2") and "content" in r]
    if not bodies:
        return
    for status, response in responses.items():
        if status.startswith("2") and status != "204" and "content" not in response:
            response["content"] = bodies[0]


def _non_null(parameter_schema: dict[str, Any]) -> dict[str, Any]:
    variants = [v for v in parameter_schema.get("anyOf", []) if v.get("type") != "null"]
    return variants[0] if len(variants) == 1 else {}


def problem_statuses(operation: dict[str, Any], path: str, *, writes: bool) -> set[int]:
    parameters = {(p["in"], p["name"]): p for p in operation.get("parameters", [])}
    headers = {name.lower(): p for (where, name), p in parameters.items() if where == "header"}
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
        statuses |= {400, 409, 412}
        if headers["if-match"].get("required"):
            statuses.add(428)
    if "idempotency-key" in headers:
        statuses |= {400, 409, 422}
    if writes:
        statuses.add(503)
    return statuses


def _document_problems(operation: dict[str, Any], path: str, *, writes: bool) -> None:
    # Under /fhir/ a problem is answered as a FHIR OperationOutcome (rcm_shared.fhir).
    problem = ({FHIR_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/OperationOutcome"}}}
               if is_fhir_path(path) else
               {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}})
    responses = operation.setdefault("responses", {})
    for status in sorted(problem_statuses(operation, path, writes=writes)):
        # A route's own description of an answer is kept; its body is a problem.
        existing = responses.get(str(status), {})
        responses[str(status)] = {
            "description": existing.get("description") or _DESCRIPTIONS[status],
            "content": problem,
        }


def _document_headers(operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    idempotent = any(p["in"] == "header" and p["name"].lower() == "idempotency-key"
                     for p in operation.get("parameters", []))
    for status, response in operation.get("responses", {}).items():
        headers = response.setdefault("headers", {})
        names = ["X-Request-Id"]
        success = status.startswith("2")
        if status == "201":
            names.append("Location")
        if success and _carries_version(response, schemas):
            names.append("ETag")
        if success and idempotent:
            names.append("Idempotent-Replayed")
        if status in ("503", "429"):
            names.append("Retry-After")
        for name in names:
            headers.setdefault(name, {"$ref": f"#/components/headers/{name}"})


def _carries_version(response: dict[str, Any], schemas: dict[str, Any]) -> bool:
    for media in response.get("content", {}).values():
        ref = media.get("schema", {}).get("$ref", "")
        target = schemas.get(ref.rsplit("/", 1)[-1], {})
        if "version" in target.get("properties", {}):
            return True
    return False


def _unique_titles(schema: dict[str, Any]) -> None:
    """`ServiceLine-Input` -> `ServiceLineInput`, each schema titled by its name: a generator
    names its classes by title, and two schemas with one title lose one of them."""
    schemas = schema.get("components", {}).get("schemas", {})
    renamed = {name: _schema_name(name) for name in schemas}
    refs = {f"#/components/schemas/{old}": f"#/components/schemas/{new}"
            for old, new in renamed.items() if old != new}
    schema["components"]["schemas"] = {renamed[name]: body for name, body in schemas.items()}
    for name, body in schema["components"]["schemas"].items():
        body["title"] = name
    if refs:
        _rewrite_refs(schema, refs)


def _schema_name(name: str) -> str:
    """`Page_EncounterSummary_` (a generic model) -> `EncounterSummaryPage`; two models of one
    name, which pydantic qualifies by module (`billing_service__payers__schemas__PlanOut`),
    -> `PayersPlanOut`, named by their domain package."""
    *modules, model = name.split("__")
    if modules:
        domain = modules[-2] if modules[-1] == "schemas" and len(modules) > 1 else modules[-1]
        name = domain.title() + model
    generic = re.fullmatch(r"([A-Za-z0-9]+)_([A-Za-z0-9_]+)_", name)
    if generic:
        name = generic[2].replace("_", "") + generic[1]
    return re.sub(r"[^A-Za-z0-9]", "", name)


def _rewrite_refs(node: Any, refs: Mapping[str, str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value in refs:
                node[key] = refs[value]
            else:
                _rewrite_refs(value, refs)
    elif isinstance(node, list):
        for item in node:
            _rewrite_refs(item, refs)


def _component_schemas(models: Iterable[type[BaseModel]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for model in models:
        model_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        found.update(model_schema.pop("$defs", {}))
        found[model.__name__] = model_schema
    return found
