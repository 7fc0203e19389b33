"""Where webhooks may be sent: never, in production, to this network's own addresses.

A tenant admin chooses the URL and sees each delivery's status code, so an unchecked URL would
let them probe internal services (server-side request forgery). The check runs when the
subscription is made and again before each send, since a name can resolve elsewhere later.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit


class PrivateTargetError(ValueError):
    """The URL's host is, or resolves to, an address that is not on the public internet."""


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return ip.is_global and not ip.is_multicast


async def ensure_public_target(url: str) -> None:
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            host, port, type=socket.SOCK_STREAM
        )
    except socket.gaierror as exc:
        raise PrivateTargetError(f"the host {host!r} does not resolve") from exc
    private = sorted({info[4][0] for info in infos if not _is_public(info[4][0])})
    if private:
        raise PrivateTargetError(
            f"the host {host!r} resolves to a non-public address ({', '.join(private)})"
        )
