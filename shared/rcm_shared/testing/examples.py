"""The requests a service's OpenAPI document gives as examples (rcm_shared.openapi.Example):
each body and parameters with the status, and the body, of the response example of the same
name: what the server must answer it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass(frozen=True)
class RequestExample:
    method: str
    path: str
    name: str
    body: Any
    status: int | None  # None: no response example has its name
    response: Any = None
    # (in, name) -> value
    parameters: dict[tuple[str, str], str | int] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return f"{self.method} {self.path} example {self.name!r}"


def request_examples(schema: dict[str, Any]) -> Iterable[RequestExample]:
    """In the document's order, which is the routers': a resource is created before it is
    changed. An operation that takes nothing (no body, no required parameter) is asked once
    for each of its success examples (its problems come from elsewhere: a database down)."""
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            bodies = content.get("application/json", {}).get("examples", {})
            parameters = operation.get("parameters", [])
            names = dict.fromkeys([*bodies, *(name for p in parameters
                                              for name in p.get("examples", {}))])
            if not content and not any(p.get("required") for p in parameters):
                names |= dict.fromkeys(response_examples(operation, successes_only=True))
            for name in names:
                answers = [(int(status), media["examples"][name]["value"])
                           for status, response in operation["responses"].items()
                           for media in response.get("content", {}).values()
                           if name in media.get("examples", {})]
                if not answers and "204" in operation["responses"]:
                    answers = [(204, None)]  # an answer without a body shows no example
                yield RequestExample(
                    method.upper(), path, name,
                    bodies[name]["value"] if name in bodies else None,
                    answers[0][0] if answers else None, answers[0][1] if answers else None,
                    {(p["in"], p["name"]): p["examples"][name]["value"]
                     for p in parameters if name in p.get("examples", {})})


def response_examples(operation: dict[str, Any], *, successes_only: bool = False) -> list[str]:
    """The names of an operation's response examples, in the order of its statuses."""
    return [name for status, response in operation.get("responses", {}).items()
            if not successes_only or status.startswith("2")
            for media in response.get("content", {}).values()
            for name in media.get("examples", {})]


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _given_ids(documented: Any, given: Any, key: str = "") -> Iterable[tuple[str, str]]:
    """Each id the documented answer shows (an `id` or `..._id`, or a UUID within a value such
    as a FHIR `location`), with the one the server gave in its place."""
    if isinstance(documented, dict) and isinstance(given, dict):
        for name, value in documented.items():
            if name in given:
                yield from _given_ids(value, given[name], name)
    elif isinstance(documented, list) and isinstance(given, list):
        for documented_item, given_item in zip(documented, given, strict=False):
            yield from _given_ids(documented_item, given_item, key)
    elif isinstance(documented, str) and isinstance(given, str):
        if key == "id" or key.endswith("_id"):
            yield documented, given
        documented_uuids, given_uuids = _UUID.findall(documented), _UUID.findall(given)
        if len(documented_uuids) == len(given_uuids):
            yield from zip(documented_uuids, given_uuids, strict=True)


def shape_difference(documented: Any, given: Any, at: str = "$") -> str | None:
    """Where an answer differs in shape from the documented one (a field added or gone, an
    item more or less, a null or a type changed), or None. Values may differ: ids, times and
    what depends on the day are the server's own."""
    if isinstance(documented, dict) and isinstance(given, dict):
        for key in [*documented, *(k for k in given if k not in documented)]:
            if key not in given:
                return f"{at}.{key}: documented, not answered"
            if key not in documented:
                return f"{at}.{key}: answered, not documented"
            found = shape_difference(documented[key], given[key], f"{at}.{key}")
            if found:
                return found
        return None
    if isinstance(documented, list) and isinstance(given, list):
        if len(documented) != len(given):
            return f"{at}: {len(given)} items answered, {len(documented)} documented"
        return next((found for n, (d, g) in enumerate(zip(documented, given, strict=True))
                     if (found := shape_difference(d, g, f"{at}[{n}]"))), None)
    if type(documented) is not type(given):
        return f"{at}: {type(given).__name__} answered, {type(documented).__name__} documented"
    return None


async def send_examples(
    client: httpx.AsyncClient, examples: Iterable[RequestExample],
) -> dict[str, tuple[int, int | None, str | None]]:
    """Each example sent in turn, answered: where -> (status got, status documented, where
    the answer's shape differs from the documented answer's). An id that an earlier example's
    documented answer shows is sent as the one the server gave."""
    ids: dict[str, str] = {}

    def as_given(value: Any) -> Any:
        text = json.dumps(value)
        for documented, given in ids.items():
            text = text.replace(documented, given)
        return json.loads(text)

    answered: dict[str, tuple[int, int | None, str | None]] = {}
    for example in examples:
        path, headers, query = example.path, {}, {}
        for (where, name), given in example.parameters.items():
            value = str(as_given(given))
            if where == "path":
                path = path.replace(f"{{{name}}}", value)
            elif where == "header":
                headers[name] = value
            else:
                query[name] = value
        response = await client.request(
            example.method, path, headers=headers, params=query,
            json=as_given(example.body) if example.body is not None else None)
        json_answer = "json" in response.headers.get("content-type", "")
        body = response.json() if json_answer else (response.text or None)
        answered[example.where] = (response.status_code, example.status,
                                   shape_difference(example.response, body))
        if response.is_success and json_answer:
            ids.update((documented, given) for documented, given
                       in _given_ids(example.response, body) if documented != given)
    return answered


def undocumented_operations(schema: dict[str, Any]) -> list[str]:
    """Each operation that gives no example at all: no request body, parameter or response
    example."""
    missing = []
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {}).values()
            if not (any(media.get("examples") for media in content)
                    or any(p.get("examples") for p in operation.get("parameters", []))
                    or response_examples(operation)):
                missing.append(f"{method.upper()} {path}")
    return missing
