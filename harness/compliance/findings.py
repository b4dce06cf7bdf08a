"""Findings: what a compliance check reports, and how severe each requirement is.

A finding is deliberately small and serialisable so the conformance report can show it
next to the request and response that produced it, and a compliance officer can read it
without knowing the code.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

MUST = "MUST"
SHOULD = "SHOULD"

#: The contract's level for every requirement this library checks (contract § 3).
LEVELS: dict[str, str] = {
    "MSG-001": MUST,
    "MSG-002": MUST,
    "MSG-003": MUST,
    "MSG-004": MUST,
    "MSG-005": SHOULD,
    "MSG-006": MUST,
    "MSG-007": MUST,
    "MSG-008": MUST,
    "MSG-009": MUST,
    "MSG-010": MUST,
    "MSG-011": MUST,
    "MSG-012": SHOULD,
    "MSG-013": SHOULD,
    "MEMO-001": MUST,
    "MEMO-002": MUST,
    "MEMO-003": MUST,
    "MEMO-004": MUST,
    "MEMO-005": MUST,
}


@dataclass(frozen=True)
class Finding:
    """One way an explanation falls short of one requirement."""

    requirement: str
    level: str
    message: str
    field: str | None = None
    span: tuple[int, int] | None = None
    excerpt: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form for reports (the span becomes a two-item list)."""
        data = asdict(self)
        data["span"] = list(self.span) if self.span is not None else None
        return data


@dataclass(frozen=True)
class CheckContext:
    """Facts about the deployment that the message and memo alone do not carry."""

    employer_name: str | None = None
    notice_business_days: int = 10
    holiday_country: str = "US"
    extra_holidays: tuple[date, ...] = ()


def finding(
    requirement: str,
    message: str,
    field: str | None = None,
    span: tuple[int, int] | None = None,
    excerpt: str | None = None,
) -> Finding:
    """Build a finding at the requirement's contract level, so no rule can get the level wrong."""
    return Finding(requirement, LEVELS[requirement], message, field, span, excerpt)


def text_finding(requirement: str, message: str, field: str, text: str, start: int, end: int) -> Finding:
    """A finding that points at text[start:end] of a message field."""
    return finding(requirement, message, field, (start, end), text[start:end])
