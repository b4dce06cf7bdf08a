"""Lever webhooks.

Signature (docs/sources.md#lever): the body carries `token`, `triggeredAt` (Unix ms) and `signature`
= hex HMAC-SHA256(signatureToken, token + str(triggeredAt)). It does not cover `data`, so a captured
delivery replayed with altered data still verifies: dedup on (token, triggeredAt) makes any such
replay a duplicate (IDEM-004), and a freshness window bounds first deliveries (SIG-006). Lever
retries keep their original `triggeredAt`, so a delivery already recorded is a duplicate at any age.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from ..config import Settings
from ..models import parse_json
from ..timestamps import rfc3339
from .common import (
    Ignored,
    VerifiedDelivery,
    WebhookDecision,
    as_dict,
    bad_signature,
    decision_factor,
    digests_match,
    identifier,
    stale,
    unprocessable,
)

_DIGEST = re.compile(r"[0-9a-f]{64}")
_ARCHIVE_EVENTS = {"candidateArchiveChange", "candidateArchived"}


def signature(secret: str, token: str, triggered_at: int) -> str:
    """The hex digest Lever writes into a delivery's `signature` field."""
    return hmac.new(secret.encode(), f"{token}{triggered_at}".encode(), hashlib.sha256).hexdigest()


class Lever:
    name = "lever"

    def verify(
        self, headers: Mapping[str, str], body: bytes, secret: str, now: datetime, settings: Settings
    ) -> VerifiedDelivery:
        payload = parse_json(body)  # Lever signs body fields, so parsing comes first (docs/sources.md#lever)
        if not isinstance(payload, dict):
            raise unprocessable("A Lever webhook body is a JSON object.")
        token, triggered_at, given = payload.get("token"), payload.get("triggeredAt"), payload.get("signature")
        if (
            not isinstance(token, str)
            or not token
            or isinstance(triggered_at, bool)
            or not isinstance(triggered_at, int)
        ):
            raise bad_signature("A Lever webhook carries a string 'token' and an integer 'triggeredAt'.")
        if not isinstance(given, str) or not _DIGEST.fullmatch(given):
            raise bad_signature("The 'signature' field must be 64 lowercase hex digits.")
        if not digests_match(signature(secret, token, triggered_at), given):
            raise bad_signature("The signature does not match token + triggeredAt.")
        now_ms = int(now.timestamp() * 1000)
        if triggered_at > now_ms + settings.lever_future_seconds * 1000:
            raise stale("triggeredAt is in the future.")
        too_old = triggered_at < now_ms - settings.lever_max_age_seconds * 1000
        return VerifiedDelivery(payload, [f"{token}:{triggered_at}"], stale_unless_seen=too_old)

    def interpret(self, payload: dict[str, Any]) -> WebhookDecision | Ignored:
        event = payload.get("event")
        if not isinstance(event, str):
            raise unprocessable("A Lever webhook has a string 'event'.", "/event")
        data = as_dict(payload.get("data"))
        decision = _decision(event, data)
        if decision is None:
            return Ignored(event, f"'{event}' does not record a hiring decision")
        candidate = data.get("candidateId") or data.get("opportunityId")
        if candidate is None:
            # Lever's connection test is signed but names no opportunity (docs/sources.md#lever).
            return Ignored(event, "no candidate or opportunity: a connection test")
        job = data.get("postingId") or data.get("opportunityId") or candidate
        triggered = datetime.fromtimestamp(payload["triggeredAt"] / 1000, UTC)
        return WebhookDecision(
            event=event,
            candidate_id=identifier(candidate, "/data/candidateId"),
            job_id=identifier(job, "/data/postingId"),
            decision=decision,
            timestamp=rfc3339(triggered),
            factor=decision_factor(decision, as_dict(data.get("toArchived")).get("reason")),
        )


def _decision(event: str, data: dict[str, Any]) -> str | None:
    if event == "candidateStageChange":
        return "advance"
    if event == "candidateHired":
        return "hire"
    if event in _ARCHIVE_EVENTS:
        return "reject" if data.get("toArchived") else None  # toArchived null: an unarchive
    return None


LEVER = Lever()
