"""Webhook signature schemes of Greenhouse, Lever and Standard Webhooks (Workday).

Each verifier compares in constant time (``hmac.compare_digest``) and answers only
"valid" or a 401 problem; the expected value never leaves this module. Greenhouse and
Standard Webhooks sign the raw bytes, so the body is verified before it is parsed.
Lever signs two body fields, so its body is parsed first.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time

from tests.independent.responses import outside_window, signature_rejected

WORKDAY_TOLERANCE_SECONDS = 300
LEVER_FUTURE_MILLIS = 5 * 60 * 1000
LEVER_MAX_AGE_MILLIS = 24 * 3600 * 1000
_GREENHOUSE = re.compile(r"sha256 ([0-9a-f]{64})")
_DIGITS = re.compile(r"[0-9]{1,15}")


def verify_greenhouse(secret: bytes | None, header_values: list[str], body: bytes) -> None:
    """``Signature: sha256 <lowercase hex HMAC-SHA256(secret, raw body)>``."""
    if secret is None or len(header_values) != 1:
        raise signature_rejected("Send one Signature header: sha256 <hex HMAC-SHA256 of the raw body>.")
    match = _GREENHOUSE.fullmatch(header_values[0].strip())
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
    if match is None or not hmac.compare_digest(match.group(1), expected):
        raise signature_rejected("The Signature header does not match the body.")


def lever_signature_ok(secret: bytes | None, token: object, triggered_at: object, signature: object) -> bool:
    """``signature == hex HMAC-SHA256(token secret, token + str(triggeredAt))``."""
    if secret is None or not isinstance(token, str) or not token or not isinstance(signature, str):
        return False
    if not isinstance(triggered_at, int) or isinstance(triggered_at, bool):
        return False
    expected = hmac.new(secret, f"{token}{triggered_at}".encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(signature.encode(), expected.encode())


def verify_lever(secret: bytes | None, token: object, triggered_at: object, signature: object) -> None:
    if not lever_signature_ok(secret, token, triggered_at, signature):
        raise signature_rejected("The token, triggeredAt and signature fields do not match.")


def require_lever_not_future(triggered_at: int, now_ms: int | None = None) -> None:
    now = time.time_ns() // 1_000_000 if now_ms is None else now_ms
    if triggered_at > now + LEVER_FUTURE_MILLIS:
        raise outside_window("triggeredAt lies more than five minutes in the future.")


def require_lever_recent(triggered_at: int, now_ms: int | None = None) -> None:
    """Only a delivery never seen before is refused for its age: a retry keeps its triggeredAt."""
    now = time.time_ns() // 1_000_000 if now_ms is None else now_ms
    if triggered_at < now - LEVER_MAX_AGE_MILLIS:
        raise outside_window("triggeredAt is more than twenty-four hours old.")


def verify_standard_webhook(
    key: bytes | None,
    message_id: list[str],
    stamp: list[str],
    signature: list[str],
    body: bytes,
    now: float | None = None,
) -> str:
    """Standard Webhooks v1: any ``v1,<base64>`` entry over ``id.timestamp.body``; returns the message id."""
    if key is None or len(message_id) != 1 or len(stamp) != 1 or len(signature) != 1:
        raise signature_rejected("Send webhook-id, webhook-timestamp and webhook-signature once each.")
    identifier, timestamp_text = message_id[0].strip(), stamp[0].strip()
    if not identifier or len(identifier) > 255 or not _DIGITS.fullmatch(timestamp_text):
        raise signature_rejected("webhook-id or webhook-timestamp is malformed.")
    signed = f"{identifier}.{timestamp_text}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest())
    entries = [entry.partition(",") for entry in signature[0].split()]
    matches = [hmac.compare_digest(value.encode(), expected) for version, _, value in entries if version == "v1"]
    if not any(matches):
        raise signature_rejected("No v1 entry of webhook-signature matches.")
    moment = time.time() if now is None else now
    if abs(moment - int(timestamp_text)) > WORKDAY_TOLERANCE_SECONDS:
        raise outside_window("webhook-timestamp is more than five minutes from now.")
    return identifier
