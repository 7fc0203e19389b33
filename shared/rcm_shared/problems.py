"""RFC 9457 problem details: one exception type, one response shape, handlers for FastAPI."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import iter_route_contexts
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import Match

from rcm_shared.fhir import FHIR_MEDIA_TYPE, is_fhir_path, operation_outcome
from rcm_shared.issues import issue
from rcm_shared.jsonutil import dumps

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://rcm.dev/problems/"
logger = logging.getLogger("rcm.problems")


class ProblemError(Exception):
    """Raised anywhere in a request to answer with an application/problem+json body."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        *,
        type_: str = "about:blank",
        issues: Sequence[Mapping[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.type = type_ if type_ == "about:blank" else PROBLEM_TYPE_BASE + type_
        self.issues = list(issues) if issues is not None else None
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})

    def body(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": self.type,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if instance:
            body["instance"] = instance
        if self.issues is not None:
            body["issues"] = self.issues
        # Extras never override the standard members.
        body.update({k: v for k, v in self.extra.items() if k not in body})
        return body


def not_found(what: str) -> ProblemError:
    return ProblemError(404, "Not Found", f"No {what} with that id.", type_="not-found")


def conflict(detail: str, **extra: Any) -> ProblemError:
    return ProblemError(409, "Conflict", detail, type_="conflict", extra=extra)


def problem_response(problem: ProblemError, request: Request | None = None) -> Response:
    if request is not None and is_fhir_path(request.url.path):
        # A FHIR client reads every answer as FHIR: the same status, as an OperationOutcome.
        return Response(
            dumps(operation_outcome(problem.status, problem.title, problem.detail,
                                    problem.type, problem.issues)),
            status_code=problem.status,
            media_type=FHIR_MEDIA_TYPE,
            headers=problem.headers,
        )
    return Response(
        dumps(problem.body(request.url.path if request else None)),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=problem.headers,
    )


def _location_to_path(loc: Sequence[Any]) -> str:
    """('body', 'service_lines', 0, 'units') -> '$.service_lines[0].units' (a JSON path)."""
    parts = list(loc)
    source = parts.pop(0) if parts and parts[0] in ("body", "query", "path", "header") else None
    path = "$" if source in (None, "body") else f"{source}:"
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif path.endswith(":"):
            path += str(part)
        else:
            path += f".{part}"
    return path


# Pydantic prefixes what a validator raised; the message a client reads is the rule alone.
_RAISED_PREFIXES = ("Value error, ", "Assertion failed, ")


def error_message(error: Mapping[str, Any]) -> str:
    message = str(error.get("msg", "Invalid value"))
    for prefix in _RAISED_PREFIXES:
        message = message.removeprefix(prefix)
    return message


def _validation_problem(exc: RequestValidationError) -> ProblemError:
    issues = []
    for error in exc.errors():
        loc = [p for p in error.get("loc", ()) if not (isinstance(p, str) and "[" in p)]
        issues.append(
            issue(
                rule=f"schema.{error.get('type', 'invalid')}",
                path=_location_to_path(loc),
                message=error_message(error),
            )
        )
    fields = ", ".join(sorted({i["path"] for i in issues}))
    return ProblemError(
        422,
        "Request validation failed",
        f"The request does not match the schema at: {fields}.",
        type_="validation",
        issues=issues,
    )


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path.

    Starlette's 405 names only the first route whose path matched; a path with GET and DELETE
    routes would claim to allow GET alone. A path some route names literally
    (/v1/claims/x12-batch) is that resource's alone: a route with a parameter there
    (/v1/claims/{claim_id}) would only take it for an id nobody has.
    """
    literal: set[str] = set()
    templated: set[str] = set()
    for route in iter_route_contexts(request.app.routes):
        match, _ = route.matches(request.scope)
        if match is not Match.NONE:
            (templated if route.param_convertors else literal).update(route.methods or ())
    return sorted(literal or templated)


# What PostgreSQL answers when it chose this transaction to give way to another one writing
# the same rows (a deadlock, a serialization failure): rolled back whole, it can be sent again.
_GAVE_WAY_SQLSTATES = frozenset({"40P01", "40001"})


def gave_way(exc: DBAPIError) -> bool:
    """The database refused the statement only because another transaction held its rows:
    PostgreSQL's deadlock or serialization failure, SQLite's lock still held after its busy
    timeout."""
    if getattr(exc.orig, "sqlstate", None) in _GAVE_WAY_SQLSTATES:
        return True
    return "database is locked" in str(exc.orig)


def install_problem_handlers(app: FastAPI) -> None:
    async def on_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ProblemError)
        return problem_response(exc, request)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return problem_response(_validation_problem(exc), request)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        title = {400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}.get(
            exc.status_code, "HTTP error")
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(_allowed_methods(request))
        problem = ProblemError(exc.status_code, title, str(exc.detail), headers=headers)
        return problem_response(problem, request)

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        # Log the type and where it happened, never the message (it may carry request data).
        frames = [f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno} {frame.name}"
                  for frame in traceback.extract_tb(exc.__traceback__)[-8:]]
        logger.error("unhandled %s", type(exc).__name__,
                     extra={"error_type": type(exc).__name__, "frames": frames})
        problem = ProblemError(500, "Internal Server Error", "An unexpected error occurred.")
        return problem_response(problem, request)

    async def on_database_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, DBAPIError)
        if not gave_way(exc):
            return await on_unexpected(request, exc)
        logger.warning("request gave way to a concurrent transaction",
                       extra={"error_type": type(exc.orig).__name__})
        problem = ProblemError(
            503, "Service Unavailable",
            "Another request was writing the same records at the same moment, and this one "
            "was rolled back whole: nothing of it was kept. Send it again.",
            type_="concurrent-write", headers={"Retry-After": "1"})
        return problem_response(problem, request)

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(DBAPIError, on_database_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unexpected)
