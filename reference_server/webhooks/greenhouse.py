"""Greenhouse Recruiting web hooks.

Signature (docs/sources.md#greenhouse): `Signature: sha256 <hex>`,
HMAC-SHA256 with the web hook's secret over the entire raw body. Greenhouse escapes unicode
(`\\u003c`) before signing, so only the bytes as received verify; nothing is re-serialised.
No timestamp is signed: retries resend identical bytes, so the body hash (and `Greenhouse-Event-ID`
when present) identify a redelivery (IDEM-004). Greenhouse counts anything but 200 as a failure.
"""

from __future__ import annotations

import hashlib
import hmac
import re
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
    unprocessable,
)

_DIGEST = re.compile(r"[0-9a-f]{64}")
_DECISION_ACTIONS = {"reject_candidate", "application_rejected", "candidate_stage_change", "hire_candidate"}


def signature(secret: str, body: bytes) -> str:
    """The hex digest a `Signature: sha256 <hex>` header carries for `body`."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Greenhouse:
    name = "greenhouse"

    def verify(
        self, headers: Mapping[str, str], body: bytes, secret: str, now: datetime, settings: Settings
    ) -> VerifiedDelivery:
        header = headers.get("signature")
        if not header:
            raise bad_signature("Missing 'Signature: sha256 <hex>' header.")
        scheme, space, digest = header.partition(" ")
        if scheme != "sha256" or not space or not _DIGEST.fullmatch(digest):
            raise bad_signature("The Signature header must be 'sha256 ' followed by 64 lowercase hex digits.")
        if not digests_match(signature(secret, body), digest):
            raise bad_signature("The signature does not match the body.")
        payload = parse_json(body)
        if not isinstance(payload, dict):
            raise unprocessable("A Greenhouse web hook body is a JSON object.")
        keys = ["body:" + hashlib.sha256(body).hexdigest()]
        event_id = headers.get("greenhouse-event-id")
        if event_id:
            keys.append("event-id:" + event_id[:200])
        return VerifiedDelivery(payload, keys)

    def interpret(self, payload: dict[str, Any]) -> WebhookDecision | Ignored:
        action = payload.get("action")
        if not isinstance(action, str):
            raise unprocessable("A Greenhouse web hook has a string 'action'.", "/action")
        if action not in _DECISION_ACTIONS:
            return Ignored(action, f"'{action}' does not record a hiring decision")
        application = as_dict(payload.get("payload")).get("application")
        if not isinstance(application, dict):
            raise unprocessable("The web hook has no payload.application object.", "/payload/application")
        decision = _decision(action, application)
        candidate = as_dict(application.get("candidate")).get("id", application.get("candidate_id"))
        jobs = application.get("jobs")
        first_job = as_dict(jobs[0]) if isinstance(jobs, list) and jobs else {}
        job = first_job.get("id", application.get("job_id"))
        timestamp = application.get("rejected_at") if decision == "reject" else None
        return WebhookDecision(
            event=action,
            candidate_id=identifier(candidate, "/payload/application/candidate/id"),
            job_id=identifier(job, "/payload/application/jobs/0/id"),
            decision=decision,
            timestamp=optional_text(timestamp or application.get("last_activity_at")),
            factor=decision_factor(decision, as_dict(application.get("rejection_reason")).get("name")),
            job_title=optional_text(first_job.get("name")),
        )


def _decision(action: str, application: dict[str, Any]) -> str:
    if action in ("reject_candidate", "application_rejected"):
        return "reject"
    if action == "hire_candidate":
        return "hire"
    return "reject" if application.get("status") == "rejected" else "advance"


GREENHOUSE = Greenhouse()
