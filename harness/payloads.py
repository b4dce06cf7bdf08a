"""Request bodies for the checks: valid, realistic, and unique per run so no check collides with another.

Every body carries the run's nonce in its IDs, so a run against a long-lived deployment never trips over
records of an earlier run (a natural-key duplicate or a Greenhouse redelivery by accident).
"""

from __future__ import annotations

import itertools
import json
import os
import secrets
from datetime import UTC, datetime
from typing import Any

RUN_ID = secrets.token_hex(4)
_counter = itertools.count(1)


def _a_nonce_of_its_own() -> None:
    """A forked worker (harness.parallel) draws IDs under a nonce of its own: two workers forked from one
    parent would otherwise send the same IDs, and the second one's deliveries would be duplicates."""
    global RUN_ID, _counter
    RUN_ID = secrets.token_hex(4)
    _counter = itertools.count(1)


os.register_at_fork(after_in_child=_a_nonce_of_its_own)


def unique(prefix: str) -> str:
    return f"{prefix}-{RUN_ID}-{next(_counter)}"


def unique_number() -> int:
    """For ATSs whose IDs are integers (Greenhouse)."""
    return int(RUN_ID, 16) * 100_000 + next(_counter)


def now_rfc3339() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


GUIDE_FACTORS: list[dict[str, Any]] = [
    {"factor": "years_experience", "value": 2, "weight": 0.3, "contribution": "negative"},
    {"factor": "technical_score", "value": 45, "weight": 0.4, "contribution": "negative"},
]


def decision_event(**overrides: Any) -> dict[str, Any]:
    """The integration guide's direct-API example, with a unique candidate; `field=...` removes a field."""
    body: dict[str, Any] = {
        "candidateIdRaw": unique("candidate"),
        "jobIdRaw": "job_67890",
        "decision": "reject",
        "decisionTimestamp": now_rfc3339(),
        "decisionFactors": [dict(factor) for factor in GUIDE_FACTORS],
        "aedtName": "CustomATS AI",
        "aedtVersion": "1.0",
        "requestExplanation": True,
    }
    body.update(overrides)
    return {name: value for name, value in body.items() if value is not ...}


def greenhouse(
    action: str = "reject_candidate",
    status: str = "rejected",
    reason: str | None = "Too Junior",
    *,
    escaped: bool = True,
) -> bytes:
    """A Greenhouse application event in the documented shape (docs/sources.md#greenhouse), compact.

    As Greenhouse writes them, non-ASCII letters and the job notes' `<` and `>` are `\\u` escapes, so a
    receiver that re-serialises the body before verifying fails (SIG-001 raw-bytes, SIG-005);
    `escaped=False` writes the same event without any escape.
    """
    application = {
        "id": unique_number(),
        "status": status,
        "rejected_at": now_rfc3339() if status == "rejected" else None,
        "last_activity_at": now_rfc3339(),
        "rejection_reason": {"id": 14, "name": reason, "type": {"id": 3, "name": "Wrong skill set"}}
        if reason
        else None,
        "current_stage": {"id": 2708728, "name": "Offer", "interviews": []},
        "candidate": {"id": unique("gh-candidate"), "first_name": "Zo\u00eb", "last_name": "Porter"},
        "jobs": [{"id": 371417, "name": "Designer", "notes": "<p>Digital and print</p>"}],
    }
    event = {"action": action, "payload": {"application": application}}
    if not escaped:
        return json.dumps(event, separators=(",", ":"), ensure_ascii=False).replace("<", "[").replace(">", "]").encode()
    text = json.dumps(event, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").encode()


def lever(event: str = "candidateArchiveChange", archived: bool = True) -> dict[str, Any]:
    """A Lever webhook body before signing (docs/sources.md#lever)."""
    opportunity = unique("lever-opportunity")
    data: dict[str, Any] = {"candidateId": opportunity, "opportunityId": opportunity, "contactId": unique("contact")}
    if event in ("candidateArchiveChange", "candidateArchived"):
        data["fromArchived"] = None
        data["toArchived"] = {"archivedAt": 1476468488485, "reason": "Underqualified"} if archived else None
    elif event == "candidateStageChange":
        data.update({"fromStageId": "lead-new", "toStageId": "applicant-new"})
    return {"event": event, "data": data}


def workday(event_type: str = "JobApplication.Dispositioned") -> bytes:
    """A Workday event in the contract's fixed shape (contract § 3)."""
    application: dict[str, Any] = {
        "id": unique("JA"),
        "candidate": {"id": unique("C")},
        "jobRequisition": {"id": "JR-11111", "title": "Data Analyst"},
        "stage": {"name": "Screen"},
    }
    if event_type == "JobApplication.Dispositioned":
        application["disposition"] = {"reason": "Insufficient experience", "category": "Qualifications"}
    body = {
        "eventType": event_type,
        "eventId": unique("evt"),
        "occurredAt": now_rfc3339(),
        "tenant": "acme",
        "jobApplication": application,
    }
    return json.dumps(body, separators=(",", ":")).encode()
