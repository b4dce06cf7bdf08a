"""What every webhook source shares: the shapes a delivery turns into, and how reasons become factors."""

from __future__ import annotations

import hmac
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from ..config import Settings
from ..problems import ProblemError


@dataclass(frozen=True)
class VerifiedDelivery:
    """A delivery whose signature checked out."""

    payload: dict[str, Any]
    dedup_keys: list[str]
    # Lever: older than the freshness window, acceptable only as a redelivery of something recorded.
    stale_unless_seen: bool = False


@dataclass(frozen=True)
class Ignored:
    event: str
    reason: str


@dataclass(frozen=True)
class WebhookDecision:
    event: str
    candidate_id: str
    job_id: str
    decision: str
    timestamp: str | None  # as the ATS wrote it; None when the payload carries none
    factor: dict[str, Any]
    job_title: str | None = None


class WebhookSource(Protocol):
    """One ATS: how its deliveries are verified, and what each one means."""

    @property
    def name(self) -> str: ...

    def verify(
        self, headers: Mapping[str, str], body: bytes, secret: str, now: datetime, settings: Settings
    ) -> VerifiedDelivery: ...

    def interpret(self, payload: dict[str, Any]) -> WebhookDecision | Ignored: ...


def digests_match(expected: str, given: str) -> bool:
    """Constant-time comparison (SIG-008): how long it takes says nothing of how much of `given` is right."""
    return hmac.compare_digest(expected, given)


def bad_signature(detail: str) -> ProblemError:
    return ProblemError(401, "invalid_signature", detail)


def stale(detail: str) -> ProblemError:
    return ProblemError(401, "stale_delivery", detail)


def unprocessable(detail: str, pointer: str = "") -> ProblemError:
    return ProblemError(422, "validation_failed", detail, errors=[{"pointer": pointer, "detail": detail}])


_OPAQUE_ID = re.compile(r"[0-9a-fA-F-]{8,}|\S*\d\S*")


def reason_factor(reason: object) -> str:
    """Contract § 3: a rejection reason becomes one snake_case factor ("Too Junior" → too_junior).

    Lever sends an archive-reason ID, not its name (docs/sources.md#lever); an opaque ID names no
    qualification a candidate could read, so it counts as no reason given.
    """
    if not isinstance(reason, str) or not reason.strip() or _OPAQUE_ID.fullmatch(reason.strip()):
        return "rejection_reason_unspecified"
    folded = unicodedata.normalize("NFKD", reason).encode("ascii", "ignore").decode().lower()
    name = re.sub(r"[^a-z0-9]+", "_", folded).strip("_")
    if not name:
        return "rejection_reason_unspecified"
    if name[0].isdigit():
        name = "reason_" + name
    return name[:100].rstrip("_")


def reject_factor(reason: object) -> dict[str, Any]:
    return {"factor": reason_factor(reason), "value": True, "weight": 1, "contribution": "negative"}


def review_factor() -> dict[str, Any]:
    return {"factor": "application_review", "value": True, "weight": 1, "contribution": "positive"}


def decision_factor(decision: str, reason: object = None) -> dict[str, Any]:
    return reject_factor(reason) if decision == "reject" else review_factor()


def identifier(value: object, pointer: str) -> str:
    """An ATS ID as a string: numbers and strings are fine, anything else is a payload the server cannot use."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise unprocessable(f"{pointer} is missing or not an ID", pointer)
    text = str(value)
    if not 1 <= len(text) <= 256:
        raise unprocessable(f"{pointer} must be 1 to 256 characters", pointer)
    return text


def as_dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def optional_text(value: object, limit: int = 200) -> str | None:
    return value[:limit] if isinstance(value, str) and value.strip() else None
