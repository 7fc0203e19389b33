"""Webhook signatures after Standard Webhooks: what the sender signs, the specification's own
library verifies, and the receiver's verification accepts; nothing else."""

from __future__ import annotations

import base64
import time

import pytest
from standardwebhooks import Webhook

from rcm_shared.webhooks import (
    WebhookSignatureError,
    is_valid_secret,
    new_secret,
    signature,
    signed_headers,
    verify,
)

SECRET = "whsec_" + base64.b64encode(b"a 32-byte key for the tests here").decode()
BODY = b'{"id":"7","type":"encounter.finalized"}'
NOW = 1_790_000_000


def test_a_signed_delivery_verifies_and_yields_its_timestamp() -> None:
    headers = signed_headers(SECRET, "7", NOW, BODY)
    assert headers["webhook-id"] == "7" and headers["webhook-timestamp"] == str(NOW)
    assert headers["webhook-signature"].startswith("v1,")
    assert verify(SECRET, BODY, headers, now=NOW + 10) == NOW


def test_the_signature_is_the_specifications_hmac_over_id_timestamp_and_body() -> None:
    # The specification's example secret, id, timestamp and payload, and the signature its
    # documentation gives for them: what a consumer in any language computes.
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    assert signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body) == (
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")


def test_the_standard_webhooks_library_verifies_what_is_signed() -> None:
    now = int(time.time())
    headers = signed_headers(SECRET, "evt-1", now, BODY)
    assert Webhook(SECRET).verify(BODY, headers) == {"id": "7", "type": "encounter.finalized"}


@pytest.mark.parametrize(
    "body, secret, message_id",
    [(BODY + b" ", SECRET, "7"), (BODY, new_secret(), "7"), (b"", SECRET, "7"),
     (BODY, SECRET, "8")],
    ids=["tampered body", "wrong secret", "empty body", "another id"],
)
def test_a_changed_body_id_or_another_secret_is_refused(body: bytes, secret: str,
                                                        message_id: str) -> None:
    headers = {**signed_headers(SECRET, "7", NOW, BODY), "webhook-id": message_id}
    with pytest.raises(WebhookSignatureError, match="No signature matches"):
        verify(secret, body, headers, now=NOW)


@pytest.mark.parametrize("skew", [-301, 301])
def test_timestamps_outside_the_tolerance_are_refused(skew: int) -> None:
    headers = signed_headers(SECRET, "7", NOW, BODY)
    with pytest.raises(WebhookSignatureError, match="tolerance"):
        verify(SECRET, BODY, headers, now=NOW + skew)
    assert verify(SECRET, BODY, headers, now=NOW + skew, tolerance_seconds=400) == NOW


@pytest.mark.parametrize(
    "changed",
    [{"webhook-id": ""}, {"webhook-timestamp": ""}, {"webhook-signature": ""},
     {"webhook-timestamp": "yesterday"}, {"webhook-timestamp": "1.5e9"},
     {"webhook-signature": "garbage"}, {"webhook-signature": "v1="},
     {"webhook-signature": "v2,abc"}],
)
def test_missing_or_malformed_headers_are_refused(changed: dict[str, str]) -> None:
    headers = {**signed_headers(SECRET, "7", NOW, BODY), **changed}
    with pytest.raises(WebhookSignatureError):
        verify(SECRET, BODY, headers, now=NOW)


def test_rotation_any_known_secret_and_any_v1_value_may_match() -> None:
    old, new = new_secret(), new_secret()
    signed_with_old = signed_headers(old, "7", NOW, BODY)
    assert verify([new, old], BODY, signed_with_old, now=NOW) == NOW
    both = {**signed_with_old, "webhook-signature": (
        f"{signed_with_old['webhook-signature']} {signature(new, '7', NOW, BODY)}")}
    assert verify(new, BODY, both, now=NOW) == NOW
    with pytest.raises(WebhookSignatureError):
        verify([new_secret()], BODY, both, now=NOW)


def test_generated_secrets_are_whsec_and_the_base64_of_32_random_bytes() -> None:
    secrets = {new_secret() for _ in range(20)}
    assert len(secrets) == 20
    for secret in secrets:
        assert is_valid_secret(secret)
        assert len(base64.b64decode(secret.removeprefix("whsec_"), validate=True)) == 32


@pytest.mark.parametrize("secret, valid", [
    (SECRET, True), ("whsec_" + base64.b64encode(b"x" * 24).decode(), True),
    ("whsec_" + base64.b64encode(b"x" * 23).decode(), False),
    ("whsec_" + base64.urlsafe_b64encode(b"\xfb" * 30).decode(), False),
    (SECRET.removeprefix("whsec_"), False), (SECRET + "=", False)])
def test_a_secret_is_whsec_and_the_base64_of_at_least_24_bytes(secret: str, valid: bool) -> None:
    assert is_valid_secret(secret) is valid


def test_an_older_secret_of_any_text_still_signs_and_verifies() -> None:
    legacy = "my-own-secret-of-some-length"
    headers = signed_headers(legacy, "7", NOW, BODY)
    assert verify(legacy, BODY, headers, now=NOW) == NOW
    assert Webhook(legacy.encode()).verify(BODY, signed_headers(legacy, "7", int(time.time()),
                                                                BODY)) is not None
