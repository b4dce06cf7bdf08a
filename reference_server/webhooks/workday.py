"""Workday events, signed with Standard Webhooks v1.

Workday has no native signed webhook (docs/sources.md#workday); customers build the integration, so the
contract fixes the body and the Standard Webhooks scheme (docs/sources.md#standard-webhooks):
`webhook-signature: v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>`, the key being the
base64-decoded `whsec_` secret, any one of a space-separated list matching, timestamps within ±5 min.
Senders re-sign each retry, so the `webhook-id` alone identifies a redelivery.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ..config import Settings
from ..models import parse_json
from .common import (
    Ignored,
    VerifiedDelivery,
    WebhookDecision,
    as_dict,
    bad_signature,
    decision_factor,
    digests_match,
    identifier,
    optional_text,
    stale,
    unprocessable,
)

_EVENTS = {
    "JobApplication.Dispositioned": "reject",
    "JobApplication.StageChanged": "advance",
    "JobApplication.Hired": "hire",
}


def decode_secret(secret: str) -> bytes:
    """The HMAC key: the base64 after `whsec_` (padding optional, as the reference library allows)."""
    encoded = secret.removeprefix("whsec_")
    try:
        key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except binascii.Error as exc:
        raise ValueError("a Standard Webhooks secret is 'whsec_' followed by base64") from exc
    if not key:
        raise ValueError("the Standard Webhooks secret is empty")
    return key


def signature(secret: str, msg_id: str, timestamp: str, body: bytes) -> str:
    """The base64 digest of a `v1,<base64>` entry: HMAC-SHA256 of `id.timestamp.body`."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return base64.b64encode(hmac.new(decode_secret(secret), signed, hashlib.sha256).digest()).decode()


class Workday:
    name = "workday"

    def verify(
        self, headers: Mapping[str, str], body: bytes, secret: str, now: datetime, settings: Settings
    ) -> VerifiedDelivery:
        msg_id = headers.get("webhook-id")
        timestamp = headers.get("webhook-timestamp")
        signatures = headers.get("webhook-signature")
        if not msg_id or not timestamp or not signatures:
            raise bad_signature("Missing webhook-id, webhook-timestamp or webhook-signature header.")
        if not timestamp.isascii() or not timestamp.isdigit():
            raise bad_signature("webhook-timestamp must be an integer number of seconds.")
        expected = signature(secret, msg_id, timestamp, body)
        if not any(_matches(entry, expected) for entry in signatures.split(" ")):
            raise bad_signature("No v1 signature in webhook-signature matches.")
        if abs(now.timestamp() - int(timestamp)) > settings.workday_tolerance_seconds:
            raise stale(f"webhook-timestamp is more than {settings.workday_tolerance_seconds} s from now.")
        payload = parse_json(body)
        if not isinstance(payload, dict):
            raise unprocessable("A Workday event body is a JSON object.")
        return VerifiedDelivery(payload, ["webhook-id:" + msg_id[:200]])

    def interpret(self, payload: dict[str, Any]) -> WebhookDecision | Ignored:
        event = payload.get("eventType")
        if not isinstance(event, str):
            raise unprocessable("A Workday event has a string 'eventType'.", "/eventType")
        decision = _EVENTS.get(event)
        if decision is None:
            return Ignored(event, f"'{event}' does not record a hiring decision")
        application = payload.get("jobApplication")
        if not isinstance(application, dict):
            raise unprocessable("The event has no jobApplication object.", "/jobApplication")
        requisition = as_dict(application.get("jobRequisition"))
        return WebhookDecision(
            event=event,
            candidate_id=identifier(as_dict(application.get("candidate")).get("id"), "/jobApplication/candidate/id"),
            job_id=identifier(requisition.get("id"), "/jobApplication/jobRequisition/id"),
            decision=decision,
            timestamp=optional_text(payload.get("occurredAt")),
            factor=decision_factor(decision, as_dict(application.get("disposition")).get("reason")),
            job_title=optional_text(requisition.get("title")),
        )


def _matches(entry: str, expected: str) -> bool:
    version, _, value = entry.partition(",")
    return version == "v1" and digests_match(expected, value)


WORKDAY = Workday()
