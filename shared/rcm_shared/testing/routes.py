"""An app's API routes as FastAPI resolves them, for tests that must cover every endpoint
(a new one is covered, or flagged, without anyone remembering those tests)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts


def api_routes(app: FastAPI) -> list[Any]:
    """Every /v1 operation (included routers flattened), as route contexts with .path,
    .methods, .dependant and .original_route."""
    return [
        context for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
        and context.path is not None and context.path.startswith("/v1/")
    ]


def dependency_calls(route: Any) -> set[Any]:
    """Every dependency callable in the route's tree."""
    calls: set[Any] = set()
    pending = list(route.dependant.dependencies)
    while pending:
        dependant = pending.pop()
        calls.add(dependant.call)
        pending.extend(dependant.dependencies)
    return calls


def required_scopes(route: Any) -> set[str]:
    return {scope for call in dependency_calls(route)
            if (scope := getattr(call, "required_scope", None)) is not None}


def operations(app: FastAPI) -> Iterator[tuple[str, Any]]:
    for route in api_routes(app):
        for method in sorted(route.methods - {"HEAD"}):
            yield method, route
