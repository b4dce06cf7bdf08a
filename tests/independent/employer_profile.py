"""The employer this deployment speaks for: contacts, notice, bias audit, data policy.

It lives in ``profile.json`` next to this module (or a file given on the command line),
so the dates behind the ``notice_too_late`` and ``bias_audit_expired`` flags are data,
not code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

DEFAULT_PROFILE = Path(__file__).with_name("profile.json")


@dataclass(frozen=True)
class WebhookTool:
    """The AEDT an ATS's decisions are attributed to."""

    name: str
    version: str


@dataclass(frozen=True)
class Profile:
    employer_name: str
    review_email: str
    access_email: str
    access_url: str
    notice_date: date
    notice_method: str
    notice_business_days: int
    audit_date: date
    audit_summary_url: str
    data_types: tuple[str, ...]
    data_sources: tuple[str, ...]
    retention: str
    data_policy_url: str
    data_summary: tuple[str, ...]
    webhook_tools: dict[str, WebhookTool]


def load(path: Path = DEFAULT_PROFILE) -> Profile:
    raw = json.loads(path.read_text(encoding="utf-8"))
    contacts, notice, audit, policy = raw["contacts"], raw["notice"], raw["biasAudit"], raw["dataPolicy"]
    tools = {ats: WebhookTool(item["aedtName"], item["aedtVersion"]) for ats, item in raw["webhookTools"].items()}
    return Profile(
        employer_name=raw["employerName"],
        review_email=contacts["reviewEmail"],
        access_email=contacts["accessEmail"],
        access_url=contacts["accessUrl"],
        notice_date=date.fromisoformat(notice["date"]),
        notice_method=notice["method"],
        notice_business_days=int(notice["businessDays"]),
        audit_date=date.fromisoformat(audit["date"]),
        audit_summary_url=audit["summaryUrl"],
        data_types=tuple(policy["types"]),
        data_sources=tuple(policy["sources"]),
        retention=policy["retention"],
        data_policy_url=policy["pageUrl"],
        data_summary=tuple(policy["candidateSummary"]),
        webhook_tools=tools,
    )
