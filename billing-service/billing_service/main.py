"""The billing-service app factory."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Coroutine
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import text
from starlette.datastructures import State

from billing_service import __version__
from billing_service.accounts.router import router as accounts_router
from billing_service.appeals.router import router as appeals_router
from billing_service.claims.router import router as claims_router
from billing_service.claimstatus.router import router as claim_status_router
from billing_service.claimstatus.service import StatusInquiryWorker
from billing_service.codingclient.client import CodingClient
from billing_service.codingevents.follower import FeedFollower
from billing_service.codingevents.router import router as coding_events_router
from billing_service.config import Settings, get_settings
from billing_service.contracts.router import router as contracts_router
from billing_service.coverages.router import router as coverages_router
from billing_service.dependencies import audit_trail, idempotency_store
from billing_service.eligibility.router import router as eligibility_router
from billing_service.estimates.router import router as estimates_router
from billing_service.fhir import router as fhir
from billing_service.interchanges.router import router as x12_router
from billing_service.openapi import AUDIT, DOCUMENT
from billing_service.patients.router import router as patients_router
from billing_service.payers.adapter import PayerAdapter
from billing_service.payers.clearinghouse import clearinghouse_adapter
from billing_service.payers.router import router as payers_router
from billing_service.payers.service import PayerService
from billing_service.providers.demo import seed_demo_providers
from billing_service.providers.router import router as providers_router
from billing_service.remittances.router import router as remittances_router
from billing_service.submissions.router import router as admin_router
from billing_service.submissions.service import PayerConversation
from billing_service.worklist.router import router as worklist_router
from rcm_shared.app import create_service_app, freeze_startup_objects
from rcm_shared.background import run_every, running
from rcm_shared.db import create_engine, session_factory
from rcm_shared.logging import configure_logging
from rcm_shared.settings import Environment

DESCRIPTION = """Builds professional claims from finalized encounters read from coding-service,
scrubs and submits them through a payer adapter (a mock payer ships with it, in process or
as a mock clearinghouse over HTTP) as X12 837P, and
follows each claim through its 277CA acknowledgment, 835 adjudication, correction and void.
Any 835 can also be posted directly. Claims are also built by themselves from coding-service's
signed webhooks and (optionally) its event feed. Authenticate with
`Authorization: Bearer <api-key>`."""


@asynccontextmanager
async def open_payer_adapter(settings: Settings) -> AsyncIterator[PayerAdapter]:
    """The adapter PAYER_ADAPTER names, its connections closed on the way out."""
    if settings.payer_adapter == "http":
        assert settings.clearinghouse_url and settings.clearinghouse_api_key  # the settings' rule
        async with clearinghouse_adapter(
            settings.clearinghouse_url, settings.clearinghouse_api_key.get_secret_value(),
            settings.clearinghouse_timeout_seconds,
        ) as adapter:
            yield adapter
        return
    # Imported here: a deployment with a clearinghouse never loads the mock payer.
    from mockpayer.adapter import in_process_payer

    async with in_process_payer(settings.mock_payer_database_url,
                                settings.mock_payer) as in_process:
        yield in_process


@asynccontextmanager
async def service_runtime(
    settings: Settings,
    state: State,
    *,
    coding_transport: httpx.AsyncBaseTransport | None = None,
    payer_adapter: PayerAdapter | None = None,
) -> AsyncIterator[State]:
    """What the API and the background loops work with, put on `state`: the settings, the
    engine and sessions, the coding-service client and the payer adapter."""
    engine = create_engine(settings.database_url)
    state.settings = settings
    state.engine = engine
    state.sessionmaker = session_factory(engine)
    coding_http = httpx.AsyncClient(
        base_url=settings.coding_service_url,
        timeout=httpx.Timeout(settings.coding_timeout_seconds,
                              connect=settings.coding_connect_timeout_seconds),
        transport=coding_transport,
        # Only paths under base_url are requested and redirects are not followed, so an
        # http:// coding-service never uses TLS: its CA bundle is loaded only for https://
        # (loading it is 60 ms of billing's start-up).
        verify=httpx.URL(settings.coding_service_url).scheme != "http",
    )
    state.coding_client = CodingClient(
        coding_http, attempts=settings.coding_retries,
        backoff_seconds=settings.coding_backoff_seconds,
    )
    try:
        async with AsyncExitStack() as stack:
            state.payer_adapter = payer_adapter or await stack.enter_async_context(
                open_payer_adapter(settings))
            yield state
    finally:
        await coding_http.aclose()
        await engine.dispose()


def feed_follower(state: State) -> FeedFollower:
    return FeedFollower(state.sessionmaker, coding=state.coding_client,
                        payers=PayerService(state.payer_adapter), settings=state.settings)


def payer_conversation(state: State) -> PayerConversation:
    return PayerConversation(state.sessionmaker, state.payer_adapter, state.settings)


def status_inquiry_worker(state: State) -> StatusInquiryWorker:
    return StatusInquiryWorker(state.sessionmaker, state.payer_adapter, state.settings)


def background_loops(state: State, *, payer: bool) -> list[Coroutine[Any, Any, None]]:
    """The loops an API process runs beside its requests (`payer`: PAYER_WORKER_ENABLED), and
    all of them in `billing-service worker`."""
    settings: Settings = state.settings

    async def purge_idempotency_keys() -> None:
        async with state.sessionmaker() as session, session.begin():
            await idempotency_store.purge_expired(session)

    follower = feed_follower(state)
    conversation = payer_conversation(state)

    async def follow_coding_feeds() -> None:
        await follower.follow_once()

    loops: list[Coroutine[Any, Any, None]] = [run_every(
        settings.idempotency_purge_interval_seconds, purge_idempotency_keys,
        name="idempotency purge")]
    if payer:
        # Sending and polling run side by side: a round of one never waits for the other's.
        loops += [
            run_every(settings.payer_poll_interval_seconds, conversation.send_due,
                      name="payer submissions"),
            run_every(settings.payer_poll_interval_seconds, conversation.poll,
                      name="payer responses"),
            run_every(settings.status_inquiry_interval_seconds,
                      status_inquiry_worker(state).inquire_unanswered_once,
                      name="claim status inquiries"),
        ]
    if settings.follow_coding_feed:
        loops.append(run_every(settings.coding_feed_interval_seconds, follow_coding_feeds,
                               name="coding feed"))
    return loops


async def run_worker(settings: Settings, stop: asyncio.Event) -> None:
    """`billing-service worker`: the background loops without the API, until `stop` is set.
    Run beside API processes started with PAYER_WORKER_ENABLED=false, the payer loop gets an
    event loop of its own instead of waiting behind every request in flight."""
    configure_logging("billing-service", settings.log_level)
    async with service_runtime(settings, State()) as state, \
            running(*background_loops(state, payer=True)):
        await stop.wait()


def create_app(
    settings: Settings | None = None,
    *,
    coding_transport: httpx.AsyncBaseTransport | None = None,
    payer_adapter: PayerAdapter | None = None,
) -> FastAPI:
    """`coding_transport` and `payer_adapter` replace the real ones (tests)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging("billing-service", settings.log_level)
        async with service_runtime(settings, app.state, coding_transport=coding_transport,
                                   payer_adapter=payer_adapter) as state:
            if settings.environment is Environment.DEVELOPMENT and settings.seed_demo_providers:
                await seed_demo_providers(state.sessionmaker)
            loops = background_loops(state, payer=settings.payer_worker_enabled)
            freeze_startup_objects()
            async with running(*loops):
                yield

    async def readiness(app: FastAPI) -> dict[str, Any]:
        async with app.state.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return {"database": "ok"}

    app = create_service_app(
        name="billing-service",
        title="billing-service",
        description=DESCRIPTION,
        version=__version__,
        settings=settings,
        lifespan=lifespan,
        readiness=readiness,
        document=DOCUMENT,
        body_limits={"/v1/remittances": settings.remittance_max_bytes},
    )
    # The claims before their exports: the document lists operations in this order, and its
    # examples build a claim before they export it.
    for router in (coverages_router, providers_router, eligibility_router,
                   estimates_router, claims_router, claim_status_router, appeals_router,
                   x12_router, remittances_router, payers_router, contracts_router,
                   patients_router, accounts_router, worklist_router,
                   admin_router, coding_events_router, fhir.metadata, fhir.router,
                   audit_trail.router(*AUDIT)):
        app.include_router(router)
    return app
