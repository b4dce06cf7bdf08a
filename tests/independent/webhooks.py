"""What each ATS's events mean as decisions (contract § 3).

Each mapper returns the decision an event records, or None for an event that records
nothing: an unsupported event, a Lever unarchive, or a supported event without the
candidate and job IDs a decision needs (such as Lever's signed connection test). Those
are acknowledged with 200 and ignored: an ATS retries anything else, and a retry of
the same bytes could never succeed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

UNSPECIFIED_REASON = "rejection_reason_unspecified"
REVIEW_FACTOR = "application_review"
MAX_ID = 256


@dataclass(frozen=True)
class Mapped:
    decision: str
    candidate_id: str
    job_id: str
    reason: str | None = None
    job_title: str | None = None
    occurred_at: str | None = None

    def factor(self) -> dict[str, object]:
        """The single factor a webhook decision carries."""
        if self.decision == "reject":
            return {
                "factor": snake_case(self.reason) or UNSPECIFIED_REASON,
                "value": True,
                "weight": 1,
                "contribution": "negative",
            }
        return {"factor": REVIEW_FACTOR, "value": True, "weight": 1, "contribution": "positive"}


def snake_case(reason: str | None) -> str | None:
    """``"Insufficient experience"`` becomes ``insufficient_experience``."""
    if not reason:
        return None
    ascii_text = unicodedata.normalize("NFKD", reason).encode("ascii", "ignore").decode().lower()
    name = re.sub(r"[^a-z0-9]+", "_", ascii_text).strip("_")
    if not name:
        return None
    if not name[0].isalpha():
        name = f"reason_{name}"
    return name[:100].rstrip("_")


def _member(value: object, *path: str | int) -> object:
    for step in path:
        if isinstance(step, int):
            value = value[step] if isinstance(value, list) and len(value) > step else None
        else:
            value = value.get(step) if isinstance(value, dict) else None
    return value


def _identifier(*candidates: object) -> str | None:
    for value in candidates:
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int | str) and 0 < len(str(value)) <= MAX_ID:
            return str(value)
    return None


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def greenhouse(document: dict[str, object]) -> Mapped | None:
    action = document.get("action")
    application = _member(document, "payload", "application")
    status = _member(application, "status")
    decisions = {
        "reject_candidate": "reject",
        "application_rejected": "reject",
        "hire_candidate": "hire",
        "candidate_stage_change": "reject" if status == "rejected" else "advance",
    }
    decision = decisions.get(action) if isinstance(action, str) else None
    if decision is None:
        return None
    candidate = _identifier(_member(application, "candidate", "id"), _member(application, "candidate_id"))
    job = _identifier(_member(application, "jobs", 0, "id"), _member(application, "job_id"))
    if candidate is None or job is None:
        return None
    reason = _member(application, "rejection_reason")
    reason_text = _text(_member(reason, "name")) if isinstance(reason, dict) else _text(reason)
    title = _text(_member(application, "jobs", 0, "name"))
    return Mapped(decision, candidate, job, reason_text, title)


def _lever_decision(event: object, data: object) -> str | None:
    """An archive is a rejection; one whose ``toArchived`` is null is an unarchive, not a decision."""
    if event in ("candidateArchiveChange", "candidateArchived"):
        return "reject" if _member(data, "toArchived") else None
    decisions = {"candidateStageChange": "advance", "candidateHired": "hire"}
    return decisions.get(event) if isinstance(event, str) else None


def lever(document: dict[str, object]) -> Mapped | None:
    data = document.get("data")
    decision = _lever_decision(document.get("event"), data)
    if decision is None:
        return None
    opportunity = _member(data, "opportunityId")
    candidate = _identifier(_member(data, "candidateId"), opportunity)
    job = _identifier(_member(data, "postingId"), opportunity)
    if candidate is None or job is None:
        return None
    reason = _member(data, "toArchived", "reason")
    return Mapped(decision, candidate, job, _text(reason))


def workday(document: dict[str, object]) -> Mapped | None:
    decisions = {
        "JobApplication.Dispositioned": "reject",
        "JobApplication.StageChanged": "advance",
        "JobApplication.Hired": "hire",
    }
    event_type = document.get("eventType")
    decision = decisions.get(event_type) if isinstance(event_type, str) else None
    if decision is None:
        return None
    application = document.get("jobApplication")
    candidate = _identifier(_member(application, "candidate", "id"))
    job = _identifier(_member(application, "jobRequisition", "id"))
    if candidate is None or job is None:
        return None
    reason = _text(_member(application, "disposition", "reason"))
    title = _text(_member(application, "jobRequisition", "title"))
    occurred = document.get("occurredAt")
    return Mapped(decision, candidate, job, reason, title, occurred if isinstance(occurred, str) else None)
