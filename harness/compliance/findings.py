"""Findings: what a compliance check reports, down to the clause of the requirement it breaks.

A finding is deliberately small and serialisable so the conformance report can show it next to the
request and response that produced it, and a compliance officer can read it without knowing the code.
Its level is the catalog's (harness/catalog.toml), the one place levels are written.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from nyc_hiring.harness.catalog import requirement as catalog_requirement


@dataclass(frozen=True)
class Finding:
    """One way an explanation falls short of one clause of one requirement."""

    requirement: str
    clause: str
    message: str
    field: str | None = None
    span: tuple[int, int] | None = None
    excerpt: str | None = None

    @property
    def level(self) -> str:
        return catalog_requirement(self.requirement).level

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form for reports (the span becomes a two-item list)."""
        data = asdict(self)
        data["span"] = list(self.span) if self.span is not None else None
        data["level"] = self.level
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
    *,
    clause: str,
) -> Finding:
    """Build a finding for a clause the catalog lists, so no rule can name a clause that does not exist."""
    catalog_requirement(requirement).clause(clause)
    return Finding(requirement, clause, message, field, span, excerpt)


def text_finding(
    requirement: str, message: str, field: str, text: str, start: int, end: int, *, clause: str
) -> Finding:
    """A finding that points at text[start:end] of a message field."""
    return finding(requirement, message, field, (start, end), text[start:end], clause=clause)
