"""Webhook signatures: the sender signs, the receiver verifies, with the same code.

A delivery carries

    Webhook-Id: <event id>              the same on every retry: deduplicate on it
    Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">

The timestamp is inside the signed text, so a captured request cannot be replayed later than
the receiver's tolerance (5 minutes by default). Several v1 values may appear (while a secret
is rotated); one matching any of the receiver's secrets is enough.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable

SIGNATURE_HEADER = "Webhook-Signature"
ID_HEADER = "Webhook-Id"
SIGNATURE_VERSION = "v1"
DEFAULT_TOLERANCE_SECONDS = 300
SECRET_PREFIX = "whsec_"


class WebhookSignatureError(ValueError):
    """The delivery is not signed by a known secret, or it is too old or too new."""


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def compute_signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},{SIGNATURE_VERSION}={compute_signature(secret, timestamp, body)}"


def _parse(header: str) -> tuple[int, list[str]]:
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isdigit():
            timestamp = int(value)
        elif name == SIGNATURE_VERSION and value:
            signatures.append(value)
    if timestamp is None or not signatures:
        raise WebhookSignatureError(f"{SIGNATURE_HEADER} needs t=<unix time> and v1=<hex>.")
    return timestamp, signatures


def verify_signature(
    secrets_: str | Iterable[str],
    body: bytes,
    header: str | None,
    *,
    now: float,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
) -> int:
    """The delivery's timestamp when `header` signs `body` with one of the secrets.

    `body` must be the raw bytes received, before any JSON parsing. Raises
    WebhookSignatureError otherwise.
    """
    if not header:
        raise WebhookSignatureError(f"The {SIGNATURE_HEADER} header is missing.")
    timestamp, signatures = _parse(header)
    if abs(now - timestamp) > tolerance_seconds:
        raise WebhookSignatureError("The signature timestamp is outside the tolerance.")
    candidates = [secrets_] if isinstance(secrets_, str) else list(secrets_)
    for secret in candidates:
        expected = compute_signature(secret, timestamp, body)
        if any(hmac.compare_digest(expected, given) for given in signatures):
            return timestamp
    raise WebhookSignatureError("No signature matches.")
