"""The explanation generator: a plain-language candidate message and an internal memo per decision.

The candidate message carries what NYC Local Law 144 asks an employer to tell candidates (notice of
the automated tool, the qualifications assessed, how to ask for an accommodation or another
process, the data policy: NYC Admin. Code § 20-871(b); 6 RCNY § 5-304) and, for a rejection, what
other regimes ask (the principal reasons and a human review: docs/sources.md#automated-decisions). The contract's MSG
rules hold for *any* input: factor names, job titles and tool names are user data, so nothing from a
request reaches the message unless it is a plain phrase built from factor words or a sanitised title.
The memo keeps the evidence (factors exactly as sent, notice and audit dates, the message hash) that
the message must not show (MEMO-001 to MEMO-005).

Generation runs inside the request, so the fixed wording for a profile is rendered once and cached,
and everything else is string joins over precompiled patterns.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from typing import Any, Literal

from .calendar import audit_expired, business_days_between, decision_date
from .factors import is_protected, phrase_for
from .profile import EmployerProfile

GENERATOR_NAME = "nyc-hiring-reference-server"
MESSAGE_LOCALE = "en-US"
FALLBACK_ROLE = "the role you applied for"
MAX_SUBJECT = 120
MAX_SHOWN_TEXT = 80

FLAG_NOTICE_TOO_LATE = "notice_too_late"
FLAG_AUDIT_EXPIRED = "bias_audit_expired"
FLAG_PROTECTED_FACTOR = "protected_characteristic_factor"


def _generator_version() -> str:
    try:
        return metadata.version("nyc-hiring-conformance")
    except metadata.PackageNotFoundError:
        return "0+unknown"


GENERATOR_VERSION = _generator_version()


@dataclass(frozen=True)
class Decision:
    """A recorded decision event, as the generator needs it (already validated by the caller)."""

    decision_event_id: str
    explanation_id: str
    candidate_id_hash: str
    job_id_raw: str
    source: Literal["api", "greenhouse", "lever", "workday"]
    aedt_name: str
    aedt_version: str
    aedt_role: str
    decision: Literal["reject", "advance", "hire", "hold"]
    decision_timestamp: str  # exactly as sent
    decision_instant: dt.datetime  # aware, UTC
    timestamp_assumed_utc: bool
    factors: tuple[Mapping[str, Any], ...]  # {factor, value, weight, contribution}, as sent
    job_title: str | None
    candidate_locale: str
    received_at: dt.datetime


@dataclass(frozen=True)
class Explanation:
    candidate_message: dict[str, str]  # {"subject", "body", "locale"}
    internal_memo: dict[str, Any]  # contract § 2 memo plus the wire-format extras, JSON-ready
    compliance_flags: list[str]


@dataclass(frozen=True)
class _Timing:
    """The dates behind MEMO-003, worked out once per decision."""

    notice_days: int
    audit_age_days: int
    notice_too_late: bool
    audit_expired: bool


# --- public API -------------------------------------------------------------------------------


def compliance_flags(decision: Decision, profile: EmployerProfile) -> list[str]:
    """The memo's flags for this decision: sorted and unique (MEMO-003, MEMO-005)."""
    excluded = _protected_names(decision.factors)
    return _flags(_timing(decision, profile), excluded)


def generate_explanation(decision: Decision, profile: EmployerProfile, now: dt.datetime) -> Explanation:
    """Build the candidate message and the memo that records it."""
    excluded = _protected_names(decision.factors)
    timing = _timing(decision, profile)
    flags = _flags(timing, excluded)
    subject, body = _render_message(decision, profile)
    digest = hashlib.sha256(f"{subject}\n\n{body}".encode()).hexdigest()
    memo = _memo(decision, profile, timing, flags, excluded, digest, now)
    message = {"subject": subject, "body": body, "locale": MESSAGE_LOCALE}
    return Explanation(candidate_message=message, internal_memo=memo, compliance_flags=flags)


def rfc3339_utc(moment: dt.datetime) -> str:
    """An instant as RFC 3339 in UTC with a ``Z`` (a naive value is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    moment = moment.astimezone(dt.UTC)
    text = moment.replace(tzinfo=None).isoformat(timespec="microseconds" if moment.microsecond else "seconds")
    return text + "Z"


def long_date(day: dt.date) -> str:
    """A date in words, e.g. "June 1, 2026": readers (and date-aware checkers) see a date, not a number."""
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


# --- flags and memo ---------------------------------------------------------------------------


def _protected_names(factors: tuple[Mapping[str, Any], ...]) -> list[str]:
    names: list[str] = []
    for item in factors:
        name = str(item.get("factor", ""))
        if is_protected(name) and name not in names:
            names.append(name)
    return names


def _timing(decision: Decision, profile: EmployerProfile) -> _Timing:
    decided_on = decision_date(decision.decision_instant)
    notice_days = business_days_between(profile.notice.date, decided_on, profile.calendar)
    return _Timing(
        notice_days=notice_days,
        audit_age_days=(decided_on - profile.bias_audit.date).days,
        notice_too_late=notice_days < profile.calendar.notice_business_days,
        audit_expired=audit_expired(profile.bias_audit.date, decided_on),
    )


def _flags(timing: _Timing, excluded: list[str]) -> list[str]:
    flags = []
    if timing.audit_expired:
        flags.append(FLAG_AUDIT_EXPIRED)
    if timing.notice_too_late:
        flags.append(FLAG_NOTICE_TOO_LATE)
    if excluded:
        flags.append(FLAG_PROTECTED_FACTOR)
    return flags  # already in sorted order


def _memo(
    decision: Decision,
    profile: EmployerProfile,
    timing: _Timing,
    flags: list[str],
    excluded: list[str],
    digest: str,
    now: dt.datetime,
) -> dict[str, Any]:
    memo: dict[str, Any] = {
        "explanationId": decision.explanation_id,
        "decisionEventId": decision.decision_event_id,
        "candidateIdHash": decision.candidate_id_hash,
        "jobIdRaw": decision.job_id_raw,
        "source": decision.source,
        "aedtName": decision.aedt_name,
        "aedtVersion": decision.aedt_version,
        "aedtRole": decision.aedt_role,
        "decision": decision.decision,
        "decisionTimestamp": decision.decision_timestamp,
        "timestampAssumedUtc": decision.timestamp_assumed_utc,
        "decisionTimestampUtc": rfc3339_utc(decision.decision_instant),
        "decisionFactors": [dict(item) for item in decision.factors],
        "notice": {
            "date": profile.notice.date.isoformat(),
            "method": profile.notice.method,
            "businessDaysBeforeDecision": timing.notice_days,
        },
        "biasAudit": {
            "date": profile.bias_audit.date.isoformat(),
            "summaryUrl": profile.bias_audit.summary_url,
            "ageDays": timing.audit_age_days,
            "auditor": profile.bias_audit.auditor,
        },
        "dataPolicy": {
            "types": list(profile.data_policy.types),
            "sources": list(profile.data_policy.sources),
            "retention": profile.data_policy.retention,
            "url": profile.data_policy.url,
        },
        "employer": {
            "name": profile.name,
            "contactEmail": profile.contact_email,
            "contactUrl": profile.contact_url,
        },
        "jobTitle": decision.job_title,
        "candidateLocale": decision.candidate_locale,
        "receivedAt": rfc3339_utc(decision.received_at),
        "candidateMessageSha256": digest,
        "complianceFlags": list(flags),
        "excludedFromMessage": excluded,
        "generatedAt": rfc3339_utc(now),
        "generator": {"name": GENERATOR_NAME, "version": GENERATOR_VERSION},
    }
    if not _is_english(decision.candidate_locale):
        memo["messageLocaleFallback"] = True  # the templates exist in English only
    return memo


def _is_english(locale: str) -> bool:
    return locale.split("-", 1)[0].lower() == "en"


# --- the candidate message --------------------------------------------------------------------

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

_OUTCOME = {
    "reject": "We are not moving forward with your application.",
    "advance": "We are moving your application forward to the next step. "
    "We will contact you soon about what comes next.",
    "hire": "We are happy to tell you that we have decided to hire you. We will contact you soon about the next steps.",
    "hold": "We have put your application on hold for now. We will contact you when we have an update.",
}
_NEUTRAL_OUTCOME = "We have made a decision about your application."

# 6 RCNY § 5-300: the three ways a tool "substantially assists or replaces" a decision, plus plain
# assistance of a person. Described in words, never with the weights behind them.
_ROLE = {
    "sole": "The tool made this decision on its own.",
    "weighted_most": "The tool's result counted more than anything else in this decision.",
    "overrode": "The tool's result was used to override the rest of our review, including a person's view.",
    "assisted": "The tool helped a person on our team make this decision.",
}
_NEUTRAL_ROLE = "The tool was used to help make this decision."

_NOTICE = {
    "website": "We posted a notice about this tool on our careers website on {date}.",
    "job_posting": "We described this tool in the job posting on {date}.",
    "mail": "We mailed you a notice about this tool on {date}.",
    "email": "We emailed you a notice about this tool on {date}.",
}

# What may not come from user data into the message: template residue (MSG-009), identifiers and
# keys (MSG-008: they carry "_" or "@"), links, model internals (MSG-006) and unsupported claims
# (MSG-013). Case-sensitive residue first, then whole words in any case.
_UNSAFE_TEXT = re.compile(r"\{\{|\}\}|\$\{|\[object|None|null|undefined|NaN|_|@|://|www\.|[%‰]")
_UNSAFE_WORDS = re.compile(
    r"\b(?:none|null|nil|nan|undefined"
    r"|scor(?:e|es|ed|ing)|ratings?|rank(?:s|ed|ing)?|thresholds?|cutoffs?|percentiles?|per\s*cent"
    r"|percent(?:age)?s?|pct|probability|confidence|weights?|weighted|weighting|logits?|shap|softmax"
    r"|embeddings?|coefficients?|feature\s+(?:vectors?|importances?)|regression"
    r"|bias|unbiased|fair(?:ness)?|guarantee[ds]?|certified|approved|endorsed)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def shown_text(value: str | None) -> str | None:
    """User text (a job title or tool name) fit to show a candidate, or ``None`` to leave it out.

    Text is dropped when it is long, holds any digit or control character (a number could echo a
    factor value: MSG-006), or holds residue, an identifier, a link, a protected-characteristic word
    or a claim the message may not make.
    """
    if not value:
        return None
    text = " ".join(value.split())
    if not text or len(text) > MAX_SHOWN_TEXT:
        return None
    if any(unicodedata.category(ch)[0] in "NC" for ch in text):
        return None
    if _UNSAFE_TEXT.search(text) or _UNSAFE_WORDS.search(text) or is_protected(text):
        return None
    return text


def _render_message(decision: Decision, profile: EmployerProfile) -> tuple[str, str]:
    fixed = _fixed_text(profile)
    title = shown_text(decision.job_title)
    names = (str(item.get("factor", "")) for item in decision.factors)
    shown = [name for name in names if not is_protected(name)]
    parts = [
        "Hello,",
        _opening(decision.decision, title, profile.name),
        _tool_paragraph(decision),
        _assessed_paragraph(shown),
    ]
    if decision.decision == "reject":
        parts.append(_reasons_paragraph(decision.factors))
    if decision.decision in ("reject", "hold"):
        parts.append(fixed.review)
    parts.extend((fixed.accommodation, fixed.data, fixed.audit, fixed.contact, fixed.closing))
    return _subject(title, profile.name), "\n\n".join(parts)


def _subject(title: str | None, employer: str) -> str:
    if title is None:
        return f"Your application to {employer}"
    subject = f"Your application for {title} at {employer}"
    return subject if len(subject) <= MAX_SUBJECT else f"Your application for {title}"


def _opening(decision: str, title: str | None, employer: str) -> str:
    role = f"the {title} job" if title else FALLBACK_ROLE
    return (
        "We used an automated employment decision tool to review your application "
        f"for {role} at {employer}. {_OUTCOME.get(decision, _NEUTRAL_OUTCOME)}"
    )


def _tool_paragraph(decision: Decision) -> str:
    name = shown_text(decision.aedt_name)
    called = f"The tool is called {name}. " if name else ""
    return called + _ROLE.get(decision.aedt_role, _NEUTRAL_ROLE)


def _assessed_paragraph(names: list[str]) -> str:
    if not names:
        return "The tool looked at your application as a whole."
    return "The tool looked at these things about you:\n" + _bullets(names)


def _reasons_paragraph(factors: tuple[Mapping[str, Any], ...]) -> str:
    """Principal reasons: the negative factors, heaviest first; failing those, every shown factor."""
    shown = [item for item in factors if not is_protected(str(item.get("factor", "")))]
    negative = [item for item in shown if item.get("contribution") == "negative"]
    chosen = sorted(negative or shown, key=_weight_key)
    if not chosen:
        return "We have no specific reason to share for this decision."
    names = [str(item.get("factor", "")) for item in chosen]
    return "The main reasons were:\n" + _bullets(names)


def _weight_key(item: Mapping[str, Any]) -> float:
    weight = item.get("weight")
    return -float(weight) if isinstance(weight, int | float) and not isinstance(weight, bool) else 0.0


def _bullets(names: list[str]) -> str:
    """One short sentence per phrase (each ends with a period, so sentence counts stay short)."""
    lines: list[str] = []
    seen: set[str] = set()
    for name in names:
        phrase = phrase_for(name)
        if phrase not in seen:
            seen.add(phrase)
            lines.append(f"- {phrase[0].upper()}{phrase[1:]}.")
    return "\n".join(lines)


def _join(items: list[str]) -> str:
    items = [item.rstrip(". ") for item in items]
    if len(items) < 3:
        return " and ".join(items)
    return f"{', '.join(items[:-1])}, and {items[-1]}"


@dataclass(frozen=True)
class _FixedText:
    """The paragraphs that depend on the profile only."""

    review: str
    accommodation: str
    data: str
    audit: str
    contact: str
    closing: str


_FIXED_CACHE: dict[int, tuple[EmployerProfile, _FixedText]] = {}


def _fixed_text(profile: EmployerProfile) -> _FixedText:
    """Rendered once per profile (profiles are frozen; the cache holds the profile so ids stay unique)."""
    cached = _FIXED_CACHE.get(id(profile))
    if cached is not None and cached[0] is profile:
        return cached[1]
    text = _render_fixed(profile)
    if len(_FIXED_CACHE) >= 32:
        _FIXED_CACHE.clear()
    _FIXED_CACHE[id(profile)] = (profile, text)
    return text


def _render_fixed(profile: EmployerProfile) -> _FixedText:
    policy = profile.data_policy
    phone = f" You can also call {profile.phone} to ask." if profile.phone else ""
    notice = _NOTICE[profile.notice.method].format(date=long_date(profile.notice.date))
    return _FixedText(
        review=(
            "You can ask a person on our team to review this decision. "
            f"Email {profile.review_email} to ask for a review."
        ),
        accommodation=(
            "You can ask for a reasonable accommodation or an alternative selection process. "
            f"Email {profile.accommodation_email} to ask for either one.{phone}"
        ),
        data=(
            f"{notice} The tool used this data: {_join(policy.types)}. "
            f"This data came from {_join(policy.sources)}. "
            f"How long we keep it: {policy.retention.rstrip('. ')}. "
            f"Read our data policy at {policy.url} to learn more."
        ),
        audit=(
            "An independent auditor checked this tool for bias. "
            f"The audit is dated {long_date(profile.bias_audit.date)}. "
            f"You can read a summary of the audit at {profile.bias_audit.summary_url} at any time."
        ),
        contact=(f"If you have questions, email {profile.contact_email} or visit {profile.contact_url} for help."),
        closing=f"Thank you,\nThe hiring team at {profile.name}",
    )
