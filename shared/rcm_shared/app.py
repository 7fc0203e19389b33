"""The app factory both services build on: problem handlers, middleware, health and metrics."""

from __future__ import annotations

import gc
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.responses import Response

from rcm_shared.auth import METRICS_SCOPE, ApiKeyRegistry, require_scope
from rcm_shared.docs import install_offline_docs
from rcm_shared.idempotency import REPLAYED_HEADER
from rcm_shared.jsonutil import FastJSONResponse
from rcm_shared.middleware import BodySizeLimitMiddleware, Metrics, RequestContextMiddleware
from rcm_shared.openapi import (
    DocumentInfo,
    Example,
    examples,
    install_document_rules,
    operation_id,
)
from rcm_shared.problems import (
    PROBLEM_MEDIA_TYPE,
    PROBLEM_TYPE_BASE,
    ProblemError,
    install_problem_handlers,
)
from rcm_shared.settings import ServiceSettings

# The start of what GET /metrics answers (Prometheus text format), as its example.
METRICS_EXCERPT = """\
# HELP http_requests_total HTTP requests
# TYPE http_requests_total counter
http_requests_total{method="GET",route="/v1/claims",status="200"} 3.0
# HELP http_request_duration_seconds HTTP request latency
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.001",method="GET",route="/v1/claims"} 0.0
http_request_duration_seconds_bucket{le="0.005",method="GET",route="/v1/claims"} 3.0
http_request_duration_seconds_count{method="GET",route="/v1/claims"} 3.0
http_request_duration_seconds_sum{method="GET",route="/v1/claims"} 0.0112
"""

ReadinessCheck = Callable[[FastAPI], Awaitable[dict[str, Any]]]


def freeze_startup_objects() -> None:
    """Leave what start-up built out of the garbage collector's full passes.

    A service's modules, app and reference data live as long as the process; a full
    collection still walks all of them, pausing every request for tens of milliseconds
    (about 55 ms for coding-service with its code sets on the benchmark machine). Called at
    the end of start-up, so later collections walk only what requests allocate. No collection
    runs first: it would cost start-up as long again, and start-up leaves next to no garbage
    to keep (rcm_shared.serve already froze the imported modules and the app).
    """
    gc.freeze()


def create_service_app(
    *,
    name: str,
    title: str,
    description: str,
    version: str,
    settings: ServiceSettings,
    lifespan: Any,
    readiness: ReadinessCheck,
    body_limits: Mapping[str, int] | None = None,
    document: DocumentInfo | None = None,
    ready_checks: Mapping[str, Any] | None = None,
) -> FastAPI:
    """`body_limits`: request-body limits of particular paths, instead of the settings' one;
    `document`: the tags, servers and webhooks of the OpenAPI document; `ready_checks`: what
    `readiness` answers when ready, as GET /readyz's example shows it."""
    app = FastAPI(
        title=title,
        description=description,
        version=version,
        lifespan=lifespan,
        default_response_class=FastJSONResponse,
        docs_url=None,
        redoc_url=None,
        generate_unique_id_function=operation_id,
    )
    install_offline_docs(app)
    app.state.settings = settings
    app.state.api_keys = ApiKeyRegistry(settings.effective_api_keys())
    metrics = Metrics(name)
    install_problem_handlers(app)
    install_document_rules(app, document)

    @app.get("/healthz", tags=["operations"], summary="The process is up",
             openapi_extra=examples(Example("up", "The process runs", 200,
                                            response={"status": "ok"})))
    async def healthz() -> dict[str, str]:
        """Answers 200 while the process runs, whatever its database: a liveness probe. It needs no
        API key."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["operations"], summary="Database reachable and code sets loaded",
             responses={503: {"description": "Not ready", "content": {PROBLEM_MEDIA_TYPE: {
                 "schema": {"$ref": "#/components/schemas/Problem"}}}}},
             openapi_extra=examples(
                 Example("ready", "Every check passed", 200, response={
                     "status": "ready", "checks": dict(ready_checks or {"database": "ok"})}),
                 Example("not_ready", "The database did not answer", 503, response={
                     "type": PROBLEM_TYPE_BASE + "not-ready", "title": "Not ready",
                     "status": 503, "detail": "Readiness check failed (OperationalError).",
                     "instance": "/readyz"})))
    async def readyz(request: Request) -> dict[str, Any]:
        """Answers 200 with each check once the service can serve requests (its database answers,
        and its reference data is loaded); 503 with Retry-After otherwise. A readiness probe; it
        needs no API key."""
        try:
            checks = await readiness(request.app)
        except Exception as exc:  # noqa: BLE001 - any failure means not ready
            raise ProblemError(
                503, "Not ready", f"Readiness check failed ({type(exc).__name__}).",
                type_="not-ready", headers={"Retry-After": "5"},
            ) from exc
        return {"status": "ready", "checks": checks}

    @app.get("/metrics", tags=["operations"], summary="Prometheus metrics",
             description=f"Needs a key with the `{METRICS_SCOPE}` scope (`admin` does not "
             "imply it: the counts cover every tenant).",
             dependencies=[Depends(require_scope(METRICS_SCOPE))],
             response_class=Response, responses={200: {"content": {
                 CONTENT_TYPE_LATEST.split(";")[0]: {"schema": {"type": "string"}}}}},
             openapi_extra=examples(Example("counts", "An excerpt: requests by route and "
                                            "status, and their durations", 200,
                                            response=METRICS_EXCERPT)))
    async def metrics_endpoint() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes,
                       path_limits=body_limits)
    local_origins = settings.local_origin_pattern()
    if settings.cors_origins or local_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_origin_regex=local_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["ETag", "Location", "Retry-After", "X-Request-Id",
                            REPLAYED_HEADER],
        )
    app.add_middleware(RequestContextMiddleware, metrics=metrics)
    return app
