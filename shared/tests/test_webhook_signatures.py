"""Webhook signatures: what the sender signs, the receiver's verification accepts; nothing else."""

from __future__ import annotations

import pytest

from rcm_shared.webhooks import (
    WebhookSignatureError,
    compute_signature,
    new_secret,
    signature_header,
    verify_signature,
)

SECRET = "whsec_test-secret-0123456789"
BODY = b'{"id":"7","type":"encounter.finalized"}'
NOW = 1_790_000_000


def test_a_signed_delivery_verifies_and_yields_its_timestamp() -> None:
    header = signature_header(SECRET, NOW, BODY)
    assert header.startswith(f"t={NOW},v1=")
    assert verify_signature(SECRET, BODY, header, now=NOW + 10) == NOW


def test_the_signature_is_hmac_sha256_over_timestamp_dot_body() -> None:
    # `printf '1.{}' | openssl dgst -sha256 -hmac key`: what a consumer in any language computes.
    assert compute_signature("key", 1, b"{}") == (
        "1ba6b8171186efc613e8bcc0cbdab2748f24984d7c5a84faa2637afa0e40d224"
    )


@pytest.mark.parametrize(
    "body, secret",
    [(BODY + b" ", SECRET), (BODY, "whsec_another-secret-000000"), (b"", SECRET)],
    ids=["tampered body", "wrong secret", "empty body"],
)
def test_a_changed_body_or_another_secret_is_refused(body: bytes, secret: str) -> None:
    header = signature_header(SECRET, NOW, BODY)
    with pytest.raises(WebhookSignatureError, match="No signature matches"):
        verify_signature(secret, body, header, now=NOW)


@pytest.mark.parametrize("skew", [-301, 301])
def test_timestamps_outside_the_tolerance_are_refused(skew: int) -> None:
    header = signature_header(SECRET, NOW, BODY)
    with pytest.raises(WebhookSignatureError, match="tolerance"):
        verify_signature(SECRET, BODY, header, now=NOW + skew)
    assert verify_signature(SECRET, BODY, header, now=NOW + skew, tolerance_seconds=400) == NOW


@pytest.mark.parametrize(
    "header", [None, "", "v1=abc", f"t={NOW}", "t=yesterday,v1=abc", "garbage"],
)
def test_missing_or_malformed_headers_are_refused(header: str | None) -> None:
    with pytest.raises(WebhookSignatureError):
        verify_signature(SECRET, BODY, header, now=NOW)


def test_rotation_any_known_secret_and_any_v1_value_may_match() -> None:
    old, new = "whsec_old-secret-0000000000", "whsec_new-secret-0000000000"
    signed_with_old = signature_header(old, NOW, BODY)
    assert verify_signature([new, old], BODY, signed_with_old, now=NOW) == NOW
    both = f"{signed_with_old},v1={compute_signature(new, NOW, BODY)}"
    assert verify_signature(new, BODY, both, now=NOW) == NOW
    with pytest.raises(WebhookSignatureError):
        verify_signature(["whsec_neither-0000000000000"], BODY, both, now=NOW)


def test_generated_secrets_are_long_and_distinct() -> None:
    secrets = {new_secret() for _ in range(20)}
    assert len(secrets) == 20
    assert all(s.startswith("whsec_") and len(s) >= 40 for s in secrets)
