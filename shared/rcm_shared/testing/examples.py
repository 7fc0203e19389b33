"""The requests a service's OpenAPI document gives as examples (rcm_shared.openapi.Example):
each body and parameters with the status, and the body, of the response example of the same
name: what the server must answer it."""

from __future__ import annotations

import json
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
    parameters: dict[tuple[str, str], str] = field(default_factory=dict)  # (in, name) -> value

    @property
    def where(self) -> str:
        return f"{self.method} {self.path} example {self.name!r}"


def request_examples(schema: dict[str, Any]) -> Iterable[RequestExample]:
    """In the document's order, which is the routers': a resource is created before it is
    changed."""
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            bodies = content.get("application/json", {}).get("examples", {})
            parameters = operation.get("parameters", [])
            names = dict.fromkeys([*bodies, *(name for p in parameters
                                              for name in p.get("examples", {}))])
            for name in names:
                answers = [(int(status), media["examples"][name]["value"])
                           for status, response in operation["responses"].items()
                           for media in response.get("content", {}).values()
                           if name in media.get("examples", {})]
                yield RequestExample(
                    method.upper(), path, name,
                    bodies[name]["value"] if name in bodies else None,
                    answers[0][0] if answers else None, answers[0][1] if answers else None,
                    {(p["in"], p["name"]): p["examples"][name]["value"]
                     for p in parameters if name in p.get("examples", {})})


async def send_examples(client: httpx.AsyncClient,
                        examples: Iterable[RequestExample]) -> dict[str, tuple[int, int | None]]:
    """Each example sent in turn, answered: where -> (status got, status documented). An id
    that an earlier example's documented answer shows is sent as the one the server gave."""
    ids: dict[str, str] = {}

    def as_given(value: Any) -> Any:
        text = json.dumps(value)
        for documented, given in ids.items():
            text = text.replace(documented, given)
        return json.loads(text)

    answered: dict[str, tuple[int, int | None]] = {}
    for example in examples:
        path, headers, query = example.path, {}, {}
        for (where, name), value in example.parameters.items():
            value = as_given(value)
            if where == "path":
                path = path.replace(f"{{{name}}}", value)
            elif where == "header":
                headers[name] = value
            else:
                query[name] = value
        response = await client.request(
            example.method, path, headers=headers, params=query,
            json=as_given(example.body) if example.body is not None else None)
        answered[example.where] = (response.status_code, example.status)
        if response.is_success and isinstance(example.response, dict) and "id" in example.response:
            ids[str(example.response["id"])] = str(response.json()["id"])
    return answered
