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
from rcm_shared.openapi import DocumentInfo, install_document_rules, operation_id
from rcm_shared.problems import PROBLEM_MEDIA_TYPE, ProblemError, install_problem_handlers
from rcm_shared.settings import ServiceSettings

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
) -> FastAPI:
    """`body_limits`: request-body limits of particular paths, instead of the settings' one;
    `document`: the tags, servers and webhooks of the OpenAPI document."""
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

    @app.get("/healthz", tags=["operations"], summary="The process is up")
    async def healthz() -> dict[str, str]:
        """Answers 200 while the process runs, whatever its database: a liveness probe. It needs no
        API key."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["operations"], summary="Database reachable and code sets loaded",
             responses={503: {"description": "Not ready", "content": {PROBLEM_MEDIA_TYPE: {
                 "schema": {"$ref": "#/components/schemas/Problem"}}}}})
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
                 CONTENT_TYPE_LATEST.split(";")[0]: {"schema": {"type": "string"}}}}})
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
