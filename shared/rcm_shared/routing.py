"""A route class that lets dependencies finish their work inside the request's transaction.

The request's session (rcm_shared.db.get_session, scope="function") commits once the endpoint
has returned and its response has been built, before the response is sent. TransactionalRoute
runs the hooks that dependencies registered with `before_commit` at exactly that point, so what
they write (the stored response of an idempotent request, an audit entry) commits together with
the endpoint's own changes, or not at all.

A dependency can also answer for the endpoint by raising EarlyResponse (an idempotent replay):
the endpoint is not run and the transaction has nothing to commit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.routing import APIRoute
from starlette.responses import Response

from rcm_shared.auth import authenticate

ResponseHook = Callable[[Response], Awaitable[None]]
_HOOKS = "before_commit_hooks"


class EarlyResponse(Exception):  # noqa: N818 - a control-flow signal, not an error
    """Raised by a dependency to answer with `response` instead of running the endpoint."""

    def __init__(self, response: Response) -> None:
        super().__init__("early response")
        self.response = response


def before_commit(request: Request, hook: ResponseHook) -> None:
    """Run `hook(response)` after the endpoint succeeded, before the transaction commits."""
    route = request.scope.get("route")
    if not isinstance(route, TransactionalRoute):
        # Without the route class the hook would never run and its work would be lost.
        raise RuntimeError(f"{getattr(route, 'path', '?')} needs route_class=TransactionalRoute")
    hooks: list[ResponseHook] = getattr(request.state, _HOOKS, None) or []
    hooks.append(hook)
    setattr(request.state, _HOOKS, hooks)


class TransactionalRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def run_hooks_before_commit(request: Request) -> Response:
            try:
                response = await handler(request)
            except EarlyResponse as early:
                return early.response
            for hook in getattr(request.state, _HOOKS, None) or []:
                await hook(response)
            return response

        return run_hooks_before_commit


def api_router(prefix: str, tag: str) -> APIRouter:
    """A router of authenticated endpoints run in the request's transaction. The key is
    checked before any other parameter is read, so a request without one answers 401."""
    return APIRouter(prefix=prefix, tags=[tag], route_class=TransactionalRoute,
                     dependencies=[Depends(authenticate)])
