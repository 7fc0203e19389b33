"""Where webhooks may be sent: never, in production, to this network's own addresses.

A tenant admin chooses the URL and sees each delivery's status code, so an unchecked URL would
let them probe internal services (server-side request forgery). The check runs when the
subscription is made and again on each connection a delivery opens. A name is resolved once
per connection and the connection dials the very address that was checked: resolving again to
connect would let a name that answers public then private (DNS rebinding) slip through.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import urlsplit

import httpcore
import httpx

Resolver = Callable[[str, int], Awaitable[list[str]]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# IPv6 forms that carry an IPv4 address in their last 32 bits: NAT64's well-known prefix
# (RFC 6052) and the deprecated IPv4-compatible form (::a.b.c.d).
_LAST_32_BITS_IS_IPV4 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("::/96"))
# Local-use NAT64 (RFC 8215) places the IPv4 address where the operator's prefix length says,
# so no single embedded address can be read from it: it is for a local network, refused whole.
_LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")


class PrivateTargetError(ValueError):
    """The URL's host is, or resolves to, an address that is not on the public internet."""


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses a packet to ip reaches through a translator or tunnel."""
    embedded = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
    if any(ip in network for network in _LAST_32_BITS_IS_IPV4):
        embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFF_FFFF))
    return [address for address in embedded if address is not None]


def is_public(ip: IPAddress) -> bool:
    if not ip.is_global or ip.is_multicast:
        return False
    if isinstance(ip, ipaddress.IPv4Address):
        return True
    return ip not in _LOCAL_NAT64 and all(is_public(v4) for v4 in _embedded_ipv4(ip))


async def resolve(host: str, port: int) -> list[str]:
    """Every address the system resolver gives host, in its order of preference."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise PrivateTargetError(f"the host {host!r} does not resolve") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


async def public_addresses(host: str, port: int, resolver: Resolver = resolve) -> list[str]:
    """host's addresses, all public, or PrivateTargetError naming those that are not."""
    addresses = await resolver(host, port)
    if not addresses:
        raise PrivateTargetError(f"the host {host!r} does not resolve")
    private = sorted(a for a in addresses if not is_public(ipaddress.ip_address(a.split("%")[0])))
    if private:
        raise PrivateTargetError(
            f"the host {host!r} resolves to a non-public address ({', '.join(private)})"
        )
    return addresses


async def ensure_public_target(url: str, resolver: Resolver = resolve) -> None:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    await public_addresses(parts.hostname or "", port, resolver)


class PublicOnlyBackend(httpcore.AsyncNetworkBackend):
    """Dials only addresses it has checked itself. TLS is set up later by httpcore on the
    returned stream with the URL's name, so the certificate is still checked against the
    name (and sent as SNI), and the Host header still carries it."""

    def __init__(self, resolver: Resolver = resolve,
                 network: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._resolver = resolver
        self._network = network or httpcore.AnyIOBackend()

    async def connect_tcp(
        self, host: str, port: int, timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await public_addresses(host, port, self._resolver)
        error: Exception | None = None
        for address in addresses:
            try:
                return await self._network.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address,
                    socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None  # public_addresses never answers an empty list
        raise error

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise PrivateTargetError("webhooks are never sent to a local socket")

    async def sleep(self, seconds: float) -> None:
        await self._network.sleep(seconds)


# httpx's own defaults, which its transport would have used.
_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)


class PublicOnlyTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport (TLS, pooling, HTTP/1.1) over a PublicOnlyBackend. httpx takes no
    network backend, so its connection pool is replaced by one built with ours."""

    def __init__(self, backend: PublicOnlyBackend | None = None) -> None:
        ssl_context = httpx.create_ssl_context()
        super().__init__(verify=ssl_context, limits=_LIMITS)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=_LIMITS.max_connections,
            max_keepalive_connections=_LIMITS.max_keepalive_connections,
            keepalive_expiry=_LIMITS.keepalive_expiry,
            network_backend=backend or PublicOnlyBackend(),
        )


def delivery_transport(*, allow_private_targets: bool) -> httpx.AsyncBaseTransport | None:
    """The network under webhook deliveries: httpx's default in development (any address),
    public addresses only otherwise."""
    return None if allow_private_targets else PublicOnlyTransport()
