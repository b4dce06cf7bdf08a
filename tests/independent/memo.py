"""Compliance flags and the internal memo.

The memo carries exactly the fields the contract lists and nothing more: the record
an auditor needs, and no employer details, which belong to the profile, not to a
decision. The flags are computed for every decision, explained or not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tests.independent.business_calendar import business_days_after
from tests.independent.employer_profile import Profile
from tests.independent.factors import is_protected

NOTICE_TOO_LATE = "notice_too_late"
BIAS_AUDIT_EXPIRED = "bias_audit_expired"
PROTECTED_FACTOR = "protected_characteristic_factor"


def one_year_after(day: date) -> date:
    """The same calendar date a year later (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def compliance_flags(decision_day: date, factor_names: Sequence[str], profile: Profile) -> list[str]:
    """What an auditor must look at for a decision taken on *decision_day* (New York date)."""
    flags: list[str] = []
    needed = profile.notice_business_days
    if business_days_after(profile.notice_date, decision_day, needed) < needed:
        flags.append(NOTICE_TOO_LATE)
    if profile.audit_date > decision_day or decision_day > one_year_after(profile.audit_date):
        flags.append(BIAS_AUDIT_EXPIRED)
    if any(is_protected(name) for name in factor_names):
        flags.append(PROTECTED_FACTOR)
    return flags


@dataclass(frozen=True)
class MemoFacts:
    """What a memo states about one decision, gathered by the recorder."""

    explanation_id: str
    decision_event_id: str
    candidate_id_hash: str
    job_id_raw: str
    source: str
    aedt_name: str
    aedt_version: str
    aedt_role: str
    decision: str
    decision_timestamp: str
    timestamp_assumed_utc: bool
    decision_factors: list[dict[str, object]]
    message_sha256: str
    flags: list[str]
    generated_at: str


def internal_memo(facts: MemoFacts, profile: Profile) -> dict[str, object]:
    return {
        "explanationId": facts.explanation_id,
        "decisionEventId": facts.decision_event_id,
        "candidateIdHash": facts.candidate_id_hash,
        "jobIdRaw": facts.job_id_raw,
        "source": facts.source,
        "aedtName": facts.aedt_name,
        "aedtVersion": facts.aedt_version,
        "aedtRole": facts.aedt_role,
        "decision": facts.decision,
        "decisionTimestamp": facts.decision_timestamp,
        "timestampAssumedUtc": facts.timestamp_assumed_utc,
        "decisionFactors": facts.decision_factors,
        "notice": {"date": profile.notice_date.isoformat(), "method": profile.notice_method},
        "biasAudit": {"date": profile.audit_date.isoformat(), "summaryUrl": profile.audit_summary_url},
        "dataPolicy": {
            "types": list(profile.data_types),
            "sources": list(profile.data_sources),
            "retention": profile.retention,
        },
        "candidateMessageSha256": facts.message_sha256,
        "complianceFlags": list(facts.flags),
        "generatedAt": facts.generated_at,
    }
