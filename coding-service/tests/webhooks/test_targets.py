"""Webhook targets on this network are refused in production (server-side request forgery)."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from typing import Any

import httpcore
import httpx
import pytest

from coding_service.config import Settings
from coding_service.webhooks.delivery import DeliveryPolicy, _Claimed, _send
from coding_service.webhooks.targets import (
    PrivateTargetError,
    PublicOnlyBackend,
    PublicOnlyTransport,
    delivery_transport,
    ensure_public_target,
)
from rcm_shared.auth import ApiKeyRecord, hash_key
from rcm_shared.db import utcnow


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8002/hook", "http://169.254.169.254/latest/meta-data", "http://10.1.2.3/",
     "http://192.168.0.10/", "http://[::1]/", "http://localhost/hook", "http://0.0.0.0/"],
)
async def test_private_and_local_targets_are_refused(url: str) -> None:
    with pytest.raises(PrivateTargetError):
        await ensure_public_target(url)


@pytest.mark.parametrize("address", [
    "64:ff9b::a9fe:a9fe",  # NAT64 to 169.254.169.254
    "64:ff9b::7f00:1",  # NAT64 to 127.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 through 169.254.169.254
    "2002:0a00:0001::1",  # 6to4 through 10.0.0.1
    "::127.0.0.1",  # IPv4-compatible
    "::10.0.0.1",
    "::ffff:10.0.0.1",  # IPv4-mapped
    "::ffff:127.0.0.1",
    "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo to client 10.0.0.1
    "2001:0:a9fe:a9fe::1",  # Teredo through server 169.254.169.254
    "64:ff9b:1::a9fe:a9fe",  # local-use NAT64
    "64:ff9b:1:ffff::808:808",
])
async def test_ipv6_forms_that_reach_a_private_ipv4_address_are_refused(address: str) -> None:
    with pytest.raises(PrivateTargetError, match="non-public address"):
        await ensure_public_target(f"http://[{address}]/hook")


@pytest.mark.parametrize("url", [
    "https://93.184.215.14/hook", "http://[2606:4700::6810:85e5]/hook",
    "http://[64:ff9b::808:808]/hook", "http://[2002:808:808::1]/hook",
    "http://[::ffff:8.8.8.8]/hook",
])
async def test_public_addresses_pass(url: str) -> None:
    await ensure_public_target(url)


async def test_an_unresolvable_host_is_refused() -> None:
    with pytest.raises(PrivateTargetError, match="does not resolve"):
        await ensure_public_target("https://no-such-host.invalid/hook")


def test_private_targets_are_allowed_only_in_development_unless_configured() -> None:
    assert Settings().private_webhook_targets_allowed
    production = {"environment": "production", "database_url": "postgresql+asyncpg://x/y",
                  "api_keys": [ApiKeyRecord(key_sha256=hash_key("k"), tenant_id="t")]}
    assert not Settings(**production).private_webhook_targets_allowed
    allowed = Settings(**production, webhook_allow_private_targets=True)
    assert allowed.private_webhook_targets_allowed


async def test_a_refusing_service_answers_422_naming_the_url(app, client) -> None:
    app.state.settings = Settings(**{**app.state.settings.model_dump(),
                                     "webhook_allow_private_targets": False})
    try:
        response = await client.post("/v1/webhooks", json={
            "url": "http://127.0.0.1:9/hook", "events": ["encounter.finalized"]})
    finally:
        app.state.settings = Settings(**{**app.state.settings.model_dump(),
                                         "webhook_allow_private_targets": None})
    assert response.status_code == 422
    assert response.json()["issues"][0]["rule"] == "webhook.private_target"
    assert response.json()["issues"][0]["path"] == "$.url"


class Rebinding:
    """A resolver whose name answers a public address first and a private one after."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        return [self.answers.pop(0)]


class Network(httpcore.AsyncNetworkBackend):
    """Records the address each connection dials; connects them all to one local listener."""

    def __init__(self, listener_port: int) -> None:
        self.listener_port = listener_port
        self.dialed: list[tuple[str, int]] = []
        self.tls_names: list[str | None] = []

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Any = None) -> httpcore.AsyncNetworkStream:
        self.dialed.append((host, port))
        stream = await httpcore.AnyIOBackend().connect_tcp("127.0.0.1", self.listener_port)
        return _TlsRecording(stream, self.tls_names)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class _TlsRecording(httpcore.AsyncNetworkStream):
    def __init__(self, stream: httpcore.AsyncNetworkStream, names: list[str | None]) -> None:
        self.stream, self.names = stream, names

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self.stream.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self.stream.write(buffer, timeout)

    async def aclose(self) -> None:
        await self.stream.aclose()

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        self.names.append(server_hostname)
        raise httpcore.ConnectError("the test listener speaks no TLS")


@pytest.fixture
async def listener() -> AsyncIterator[tuple[int, list[bytes]]]:
    """A local HTTP server answering 204; it records each request's head."""
    heads: list[bytes] = []

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        heads.append(await reader.readuntil(b"\r\n\r\n"))
        writer.write(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    async with server:
        yield server.sockets[0].getsockname()[1], heads


async def test_a_name_that_rebinds_to_a_private_address_is_dialed_at_the_checked_one(
        listener: tuple[int, list[bytes]]) -> None:
    port, heads = listener
    resolver, network = Rebinding("93.184.215.14", "127.0.0.1"), Network(port)
    transport = PublicOnlyTransport(PublicOnlyBackend(resolver, network))
    async with httpx.AsyncClient(transport=transport) as http:
        response = await http.post("http://hooks.example.test/hook", content=b"{}")
    assert response.status_code == 204
    assert resolver.asked == ["hooks.example.test"]  # resolved once, for the check
    assert network.dialed == [("93.184.215.14", 80)]  # and dialed where it was checked
    assert b"\r\nHost: hooks.example.test\r\n" in heads[0]


async def test_tls_is_set_up_for_the_name_not_the_address(
        listener: tuple[int, list[bytes]]) -> None:
    network = Network(listener[0])
    transport = PublicOnlyTransport(PublicOnlyBackend(Rebinding("93.184.215.14"), network))
    async with httpx.AsyncClient(transport=transport) as http:
        with pytest.raises(httpx.ConnectError):
            await http.get("https://hooks.example.test/hook")
    assert network.dialed == [("93.184.215.14", 443)]
    assert network.tls_names == ["hooks.example.test"]


async def test_a_name_resolving_to_a_private_address_is_never_dialed(
        listener: tuple[int, list[bytes]]) -> None:
    network = Network(listener[0])
    transport = PublicOnlyTransport(PublicOnlyBackend(Rebinding("10.0.0.1"), network))
    async with httpx.AsyncClient(transport=transport) as http:
        with pytest.raises(PrivateTargetError):
            await http.get("http://hooks.example.test/hook")
    assert network.dialed == []


async def test_a_production_send_to_a_private_target_is_not_made(
        listener: tuple[int, list[bytes]]) -> None:
    port, heads = listener
    item = _Claimed(delivery_id=1, subscription_id="s", url=f"http://127.0.0.1:{port}/hook",
                    secret="x" * 16, event_id="1", event_type="encounter.finalized", body=b"{}")
    transport = delivery_transport(allow_private_targets=False)
    async with httpx.AsyncClient(transport=transport) as http:
        outcome = await _send(http, item, DeliveryPolicy(), utcnow)
    assert outcome.error == "private target refused"
    assert heads == []
    async with httpx.AsyncClient(
            transport=delivery_transport(allow_private_targets=True)) as http:
        assert (await _send(http, item, DeliveryPolicy(), utcnow)).status_code == 204
