"""Webhook signers for the three ATS schemes the API accepts.

The harness signs every delivery itself instead of trusting the deployment's own code, so these
functions are written from the published schemes (``docs/sources.md``) and checked against the
published test vectors. Everything works on raw bytes: a signature over a re-serialised body is
exactly the mistake the suite has to catch (SIG-001, SIG-005).

Only the standard library is used, so a signer can never disagree with the spec because of a
third-party helper's quirks.
"""

from __future__ import annotations

import base64
import binascii
import copy
import hashlib
import hmac
import secrets
import string
import time
from collections.abc import Mapping
from typing import Any

JSON_CONTENT_TYPE = "application/json"

# Standard Webhooks: secrets are "Random. Between 24 bytes (192 bits) and 64 bytes (512 bits)",
# "base64 encoded, prefixed with whsec_" (docs/sources.md#standard-webhooks).
WHSEC_PREFIX = "whsec_"
WHSEC_MIN_BYTES = 24
WHSEC_MAX_BYTES = 64

_MSG_ID_ALPHABET = string.ascii_letters + string.digits


def _hmac_sha256(key: bytes, message: bytes) -> bytes:
    return hmac.new(key, message, hashlib.sha256).digest()


# --- Greenhouse (docs/sources.md#greenhouse) ---------------------------------------------------------------


def greenhouse_signature(secret: str, body: bytes) -> str:
    """Return the ``Signature`` header value: ``sha256 <lowercase hex HMAC-SHA256(secret, body)>``.

    docs/sources.md#greenhouse: "the SHA algorithm used to generate the signature, a space, and the signature",
    computed over "the entire content of the JSON response" exactly as sent, ``\\u003c`` escapes
    included. Greenhouse signs no timestamp, so the body bytes are the whole signed message.
    """
    return "sha256 " + _hmac_sha256(secret.encode("utf-8"), body).hex()


def greenhouse_headers(secret: str, body: bytes, event_id: str | None = None) -> dict[str, str]:
    """Headers of a Greenhouse delivery of ``body``.

    ``Greenhouse-Event-ID`` is per delivery (docs/sources.md#greenhouse); it is optional here because the
    dedup check needs to send the same bytes both with and without it.
    """
    headers = {"Content-Type": JSON_CONTENT_TYPE, "Signature": greenhouse_signature(secret, body)}
    if event_id is not None:
        headers["Greenhouse-Event-ID"] = event_id
    return headers


# --- Lever (docs/sources.md#lever) --------------------------------------------------------------------


def lever_signature(signature_token: str, token: str, triggered_at: int) -> str:
    """Return ``hex(HMAC-SHA256(signatureToken, token + str(triggeredAt)))``.

    docs/sources.md#lever: Lever signs two body fields concatenated without a separator, not the body,
    so ``data`` is unprotected and dedup on ``(token, triggeredAt)`` has to cover replays.
    """
    message = (token + str(triggered_at)).encode("utf-8")
    return _hmac_sha256(signature_token.encode("utf-8"), message).hex()


def lever_sign_body(
    signature_token: str,
    body: Mapping[str, Any],
    *,
    token: str | None = None,
    triggered_at_ms: int | None = None,
) -> dict[str, Any]:
    """Return a deep copy of ``body`` with ``token``, ``triggeredAt`` and ``signature`` set.

    The signature travels inside the body (docs/sources.md#lever), so signing means rewriting those
    fields. A fresh random token and the current time in milliseconds are the defaults, which
    makes every call a new delivery rather than a replay of an earlier one.
    """
    signed = copy.deepcopy(dict(body))
    signed["token"] = secrets.token_hex(16) if token is None else token
    signed["triggeredAt"] = time.time_ns() // 1_000_000 if triggered_at_ms is None else triggered_at_ms
    signed["signature"] = lever_signature(signature_token, signed["token"], signed["triggeredAt"])
    return signed


# --- Standard Webhooks, used for Workday (docs/sources.md#standard-webhooks) ----------------------------------------


def decode_whsec(secret: str) -> bytes:
    """Return the HMAC key of a Standard Webhooks secret.

    The key is the base64-decoded part after ``whsec_``; the reference library accepts the
    secret with or without the prefix and pads the base64 before decoding (docs/sources.md#standard-webhooks). An
    empty secret is an error there too, so a misconfigured run fails loudly instead of signing
    with an empty key.
    """
    encoded = secret.removeprefix(WHSEC_PREFIX)
    if not encoded:
        raise ValueError("empty Standard Webhooks secret")
    try:
        key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except binascii.Error as exc:
        raise ValueError("Standard Webhooks secret is not valid base64") from exc
    if not key:
        raise ValueError("empty Standard Webhooks secret")
    return key


def generate_whsec(nbytes: int = 32) -> str:
    """Return a new ``whsec_`` secret of ``nbytes`` random bytes (24 to 64, per docs/sources.md#standard-webhooks)."""
    if not WHSEC_MIN_BYTES <= nbytes <= WHSEC_MAX_BYTES:
        raise ValueError(f"a Standard Webhooks secret has {WHSEC_MIN_BYTES} to {WHSEC_MAX_BYTES} bytes")
    return WHSEC_PREFIX + base64.b64encode(secrets.token_bytes(nbytes)).decode("ascii")


def standard_webhooks_signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """Return one ``v1,<base64 HMAC-SHA256(key, msg_id.timestamp.body)>`` signature.

    docs/sources.md#standard-webhooks: the signed content is "msg_id.timestamp.payload" over the raw body, keyed by
    the decoded ``whsec_`` secret. The id is not checked for ``.`` on purpose: the harness must be
    able to build the odd deliveries a verifier has to survive.
    """
    message = f"{msg_id}.{timestamp}.".encode() + body
    digest = _hmac_sha256(decode_whsec(secret), message)
    return "v1," + base64.b64encode(digest).decode("ascii")


def new_msg_id() -> str:
    """Return a fresh ``msg_`` id (alphanumeric, so it can never contain the ``.`` separator)."""
    return "msg_" + "".join(secrets.choice(_MSG_ID_ALPHABET) for _ in range(27))


def standard_webhooks_headers(
    secret: str,
    body: bytes,
    *,
    msg_id: str | None = None,
    timestamp: int | None = None,
) -> dict[str, str]:
    """Headers of a Standard Webhooks delivery of ``body`` (docs/sources.md#standard-webhooks).

    A fresh id and the current time are the defaults; pass the previous ``msg_id`` with a new
    timestamp to build a re-signed retry, which a receiver must treat as a duplicate (IDEM-004).
    """
    msg_id = new_msg_id() if msg_id is None else msg_id
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "Content-Type": JSON_CONTENT_TYPE,
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": standard_webhooks_signature(secret, msg_id, timestamp, body),
    }
