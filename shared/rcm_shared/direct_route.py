"""A route FastAPI documents from its endpoint's signature but answers without its per-request
machinery: the key checked, the raw JSON body validated once by pydantic-core (its text
searched for control characters once, instead of field by field), the endpoint called.

FastAPI answers a request by decoding the body with `json.loads`, validating the Python objects
against the model and solving the dependency graph (the scope check and the bearer scheme under
it), several hundred microseconds of Python per request before the endpoint runs. For an
endpoint whose own work costs less than that (POST /v1/validate), DirectRoute does the same
checks directly: the endpoint, its signature and so the OpenAPI operation stay exactly as
FastAPI reads them, and only the handler FastAPI calls with each request is replaced.

It takes endpoints of one shape, checked when the route is built: one JSON body that is a
pydantic model, scope checks made by `rcm_shared.auth.require_scope`, optionally the Request,
nothing else, and it answers the Response the endpoint returns. Invalid requests are answered
as FastAPI answers them, in the same order: a body that is not JSON before the key is looked at
(422), then the key (401, 403), then the body's schema (422, the same errors, found by FastAPI's
own validation of the body). Being no dependency, its scope check is not replaced by the app's
`dependency_overrides`.
"""

from __future__ import annotations

import email.message
import inspect
import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException
from fastapi._compat import ModelField, Undefined
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import request_body_to_args
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute, _effective_route_context_var
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from rcm_shared.auth import bearer_scheme, principal_with_scope
from rcm_shared.schemas import text_check_context

_JSON = "application/json"


class DirectRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        # A route included in a router is served through its inclusion's view of it (the
        # prefix's path, the including router's dependencies too), as APIRoute reads it.
        context = _effective_route_context_var.get()
        route: Any = context if context is not None and context.original_route is self else self
        return _direct_handler(route.path, route.endpoint, route.dependant, route.body_field)


def _direct_handler(path: str, endpoint: Callable[..., Any], dependant: Dependant,
                    body_field: ModelField | None,
                    ) -> Callable[[Request], Coroutine[Any, Any, Response]]:
    """Checks the endpoint's shape once and answers its requests."""
    if not inspect.iscoroutinefunction(endpoint):
        raise TypeError(f"{path}: DirectRoute needs an async endpoint")
    if [*dependant.path_params, *dependant.query_params, *dependant.header_params,
            *dependant.cookie_params] or any((
            dependant.websocket_param_name, dependant.response_param_name,
            dependant.background_tasks_param_name, dependant.http_connection_param_name,
            dependant.security_scopes_param_name)):
        raise TypeError(f"{path}: DirectRoute takes a body, scope checks and the Request")
    model = body_field.field_info.annotation if body_field is not None else None
    if body_field is None or len(dependant.body_params) != 1 or not (
            isinstance(model, type) and issubclass(model, BaseModel)):
        raise TypeError(f"{path}: DirectRoute needs one body parameter, a pydantic model")
    scopes: list[tuple[str | None, str]] = []
    for dependency in dependant.dependencies:
        required = getattr(dependency.call, "required_scope", None)
        if required is None:
            raise TypeError(f"{path}: DirectRoute's dependencies must be scope checks")
        scopes.append((dependency.name, required))
    body_name = body_field.name
    request_name = dependant.request_param_name
    fields = [body_field]

    async def answer(request: Request) -> Response:
        try:
            raw = await request.body()
        except Exception as exc:  # noqa: BLE001 - FastAPI's answer to a body it cannot read
            raise _unreadable() from exc
        content_type = request.headers.get("content-type")
        body: BaseModel | None = None
        if raw and _is_json(content_type):
            try:
                body = model.model_validate_json(raw, context=text_check_context(raw))
            except ValidationError:
                body = None  # answered below exactly as FastAPI answers it
        if body is None:
            # Decoded first, as FastAPI does: a body that is not JSON answers before the key.
            received = _received_body(raw, content_type)
        values: dict[str, Any] = {}
        for name, required in scopes:
            principal = principal_with_scope(request, await bearer_scheme(request), required)
            if name is not None:
                values[name] = principal
        if body is None:
            validated, errors = await request_body_to_args(fields, received,
                                                           embed_body_fields=False)
            if errors:
                raise RequestValidationError(errors, body=received)
            body = validated[body_name]
        values[body_name] = body
        if request_name is not None:
            values[request_name] = request
        response: Response = await endpoint(**values)
        return response

    return answer


def _is_json(content_type: str | None) -> bool:
    """FastAPI's rule: application/json or any application/...+json."""
    if content_type == _JSON:
        return True
    if not content_type:
        return False
    message = email.message.Message()
    message["content-type"] = content_type
    if message.get_content_maintype() != "application":
        return False
    subtype = message.get_content_subtype()
    return subtype == "json" or subtype.endswith("+json")


def _received_body(raw: bytes, content_type: str | None) -> Any:
    """The body as FastAPI hands it to validation: nothing when empty, the decoded JSON for a
    JSON media type (a 422 when it is not JSON, a 400 when it is not even text), the bytes
    otherwise."""
    if not raw:
        return Undefined
    if not _is_json(content_type):
        return raw
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise RequestValidationError(
            [{"type": "json_invalid", "loc": ("body", exc.pos), "msg": "JSON decode error",
              "input": {}, "ctx": {"error": exc.msg}}], body=exc.doc) from exc
    except ValueError as exc:
        raise _unreadable() from exc


def _unreadable() -> HTTPException:
    return HTTPException(400, "There was an error parsing the body")
