"""Signed webhook deliveries for the server tests, built with the harness's own signers."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from nyc_hiring.harness.signing import greenhouse_headers, lever_sign_body, standard_webhooks_headers

from .conftest import GREENHOUSE_SECRET, LEVER_SECRET, WORKDAY_SECRET


def greenhouse_body(action: str = "candidate_stage_change", status: str = "rejected", **application: Any) -> bytes:
    """The guide's Greenhouse example, with a unique application so deliveries never collide."""
    app: dict[str, Any] = {
        "id": int(uuid.uuid4().int % 10**9),
        "candidate_id": int(uuid.uuid4().int % 10**9),
        "job_id": 111,
        "status": status,
        "current_stage": {"name": "Rejected"},
        "rejection_reason": {"name": "Insufficient experience", "type": {"name": "Qualifications"}},
    }
    app.update(application)
    return json.dumps({"action": action, "payload": {"application": app}}).encode()


def greenhouse(body: bytes, secret: str = GREENHOUSE_SECRET, event_id: str | None = None) -> dict[str, Any]:
    return {"content": body, "headers": greenhouse_headers(secret, body, event_id=event_id)}


def lever_body(event: str = "candidateArchiveChange", **data: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "candidateId": str(uuid.uuid4()),
        "opportunityId": str(uuid.uuid4()),
        "toArchived": {"archivedAt": int(time.time() * 1000), "reason": "Underqualified"},
    }
    fields.update(data)
    return {"event": event, "data": fields}


def lever(body: dict[str, Any], secret: str = LEVER_SECRET, **signing: Any) -> dict[str, Any]:
    signed = lever_sign_body(secret, body, **signing)
    return {"content": json.dumps(signed).encode(), "headers": {"Content-Type": "application/json"}}


def workday_body(event_type: str = "JobApplication.Dispositioned") -> bytes:
    application: dict[str, Any] = {
        "id": f"JA-{uuid.uuid4().hex[:8]}",
        "candidate": {"id": f"C-{uuid.uuid4().hex[:8]}"},
        "jobRequisition": {"id": "JR-11111", "title": "Data Analyst"},
        "stage": {"name": "Screen"},
    }
    if event_type == "JobApplication.Dispositioned":
        application["disposition"] = {"reason": "Insufficient experience", "category": "Qualifications"}
    return json.dumps(
        {
            "eventType": event_type,
            "eventId": f"evt_{uuid.uuid4().hex}",
            "occurredAt": "2026-11-28T10:00:00Z",
            "tenant": "acme",
            "jobApplication": application,
        }
    ).encode()


def workday(body: bytes, secret: str = WORKDAY_SECRET, **signing: Any) -> dict[str, Any]:
    return {"content": body, "headers": standard_webhooks_headers(secret, body, **signing)}
