"""Pure-ASGI middleware: request ids, access logs, Prometheus metrics, body size limit."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable, Mapping

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rcm_shared.logging import request_id_var
from rcm_shared.problems import ProblemError, problem_response

access_log = logging.getLogger("rcm.access")


class Metrics:
    """One registry per app, so two apps in one process (tests) never collide."""

    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "http_requests_total", "HTTP requests", ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds", "HTTP request latency", ["method", "route"],
            registry=self.registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
        self.service = service


class RequestContextMiddleware:
    """Assigns a request id, logs one JSON line per request and records metrics."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, b"x-request-id")
        request_id = incoming if incoming and len(incoming) <= 64 else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []),
                                      (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            method = scope["method"]
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(elapsed)
            state = scope.get("state") or {}
            access_log.info(
                "request",
                extra={
                    "method": method,
                    "route": route,
                    "status": status,
                    "latency_ms": round(elapsed * 1000, 2),
                    "tenant_id": state.get("tenant_id"),
                },
            )
            request_id_var.reset(token)


class BodySizeLimitMiddleware:
    """Answers 413 before reading more than max_bytes of a request body.

    A declared Content-Length is checked up front. A body without one (chunked) is counted as
    it arrives: past the limit the 413 is sent from here and the app is told the client went
    away, so whatever it answers to the cut-off body is dropped (an exception raised into the
    app's body reading would become the framework's generic 400).
    """

    def __init__(self, app: ASGIApp, max_bytes: int,
                 path_limits: Mapping[str, int] | None = None) -> None:
        """`path_limits`: a larger (or smaller) limit for the exact paths named."""
        self.app = app
        self.max_bytes = max_bytes
        self.path_limits = dict(path_limits or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self.path_limits.get(scope["path"], self.max_bytes)
        declared = _header(scope, b"content-length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            await problem_response(self._too_large(max_bytes), Request(scope))(
                scope, receive, send)
            return
        received = 0
        refused = False

        async def limited_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    refused = True
                    await problem_response(self._too_large(max_bytes), Request(scope))(
                        scope, receive, send)
                    return {"type": "http.disconnect"}
            return message

        async def send_unless_refused(message: Message) -> None:
            if not refused:
                await send(message)

        await self.app(scope, limited_receive, send_unless_refused)

    @staticmethod
    def _too_large(max_bytes: int) -> ProblemError:
        detail = f"The request body exceeds {max_bytes} bytes."
        return ProblemError(413, "Payload Too Large", detail, type_="too-large")


def _header(scope: Scope, name: bytes) -> str | None:
    headers: Iterable[tuple[bytes, bytes]] = scope.get("headers", ())
    for key, value in headers:
        if key == name:
            return value.decode("latin-1")
    return None
