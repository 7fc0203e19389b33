"""The request examples a service's OpenAPI document gives (rcm_shared.openapi.Example), each
with the status of the response example of the same name: what the server must answer it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RequestExample:
    method: str
    path: str
    name: str
    body: Any
    status: int | None  # None: no response example has its name

    @property
    def where(self) -> str:
        return f"{self.method} {self.path} example {self.name!r}"


def request_examples(schema: dict[str, Any]) -> Iterable[RequestExample]:
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            for name, example in content.get("application/json", {}).get("examples", {}).items():
                statuses = [int(status) for status, response in operation["responses"].items()
                            if any(name in media.get("examples", {})
                                   for media in response.get("content", {}).values())]
                yield RequestExample(method.upper(), path, name, example["value"],
                                     statuses[0] if statuses else None)
