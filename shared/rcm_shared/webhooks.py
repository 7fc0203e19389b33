"""Webhook signatures after the Standard Webhooks specification (standardwebhooks.com), signed
by the sender and verified by the receiver with the `standardwebhooks` package, so a consumer
verifies them with that specification's library in any language. A delivery carries

    webhook-id: <event id>                    the same on every retry: deduplicate on it
    webhook-timestamp: <unix seconds>
    webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<raw body>">

The key is the secret's bytes: a secret is `whsec_` and their base64. The id and timestamp
are inside the signed text, so a captured request cannot be replayed later than the
receiver's tolerance (5 minutes by default), nor under another id. Several space-separated
`v1,` values may appear (while a secret is rotated); one matching any of the receiver's
secrets is enough.
"""

from __future__ import annotations

import base64
import hmac
import re
import secrets
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from standardwebhooks import Webhook

ID_HEADER = "webhook-id"
TIMESTAMP_HEADER = "webhook-timestamp"
SIGNATURE_HEADER = "webhook-signature"
DEFAULT_TOLERANCE_SECONDS = 300
SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32
# Standard base64 of at least 24 bytes of key, as the specification recommends.
SECRET_PATTERN = (r"^whsec_(?:[A-Za-z0-9+/]{4}){8,}"
                  r"(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


class WebhookSignatureError(ValueError):
    """The delivery is not signed by a known secret, or it is too old or too new."""


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def is_valid_secret(secret: str) -> bool:
    """`whsec_` and the standard base64 of at least 24 bytes."""
    return re.fullmatch(SECRET_PATTERN, secret) is not None


def _signer(secret: str) -> Webhook:
    if is_valid_secret(secret):
        return Webhook(secret)
    # A subscription's secret from before secrets took the whsec_-base64 form (any printable
    # text) is keyed by its own bytes, so it keeps signing as both ends expect.
    return Webhook(secret.encode())


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """`v1,<base64>`: the webhook-signature of one secret."""
    return _signer(secret).sign(message_id, datetime.fromtimestamp(timestamp, UTC), body)


def signed_headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {ID_HEADER: message_id, TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: signature(secret, message_id, timestamp, body)}


def verify(
    secrets_: str | Iterable[str],
    body: bytes,
    headers: Mapping[str, str],
    *,
    now: float,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
) -> int:
    """The delivery's timestamp when its headers sign `body` with one of the secrets.

    `body` must be the raw bytes received, before any JSON parsing; `headers` are looked up
    by their lower-case names (Starlette's and httpx's headers answer to any case). Raises
    WebhookSignatureError otherwise.
    """
    message_id = headers.get(ID_HEADER)
    timestamp_text = headers.get(TIMESTAMP_HEADER)
    given = headers.get(SIGNATURE_HEADER)
    if not (message_id and timestamp_text and given):
        raise WebhookSignatureError(
            f"{ID_HEADER}, {TIMESTAMP_HEADER} and {SIGNATURE_HEADER} are all needed.")
    if not _TIMESTAMP.fullmatch(timestamp_text):
        raise WebhookSignatureError(f"{TIMESTAMP_HEADER} must be the unix time in seconds.")
    timestamp = int(timestamp_text)
    if abs(now - timestamp) > tolerance_seconds:
        raise WebhookSignatureError("The signature timestamp is outside the tolerance.")
    offered = [value.encode() for value in given.split(" ")]
    candidates = [secrets_] if isinstance(secrets_, str) else list(secrets_)
    for secret in candidates:
        expected = signature(secret, message_id, timestamp, body).encode()
        if any(hmac.compare_digest(expected, value) for value in offered):
            return timestamp
    raise WebhookSignatureError("No signature matches.")
