"""Checks of the internal memo against MEMO-001 … MEMO-005 (contract § 2 and § 3).

The memo is the employer's record of what the tool decided and what the candidate was
told, so these rules compare it with the request that was sent and the message that was
generated whenever those are available. Every rule has the signature
`(memo, request=None, message=None, context=CheckContext())` and never raises on malformed
input: a missing or mistyped field becomes a finding.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, TypeGuard

from nyc_hiring.harness.compliance import calendar
from nyc_hiring.harness.compliance.findings import CheckContext, Finding, finding, text_finding
from nyc_hiring.harness.compliance.message_rules import FIELDS, Doc, field_text, mention_patterns, protected_factors

MemoRule = Callable[[Doc, Doc, Doc, CheckContext], list[Finding]]
DEFAULT_CONTEXT = CheckContext()

FACTOR_KEYS = frozenset({"factor", "value", "weight", "contribution"})
CONTRIBUTIONS = frozenset({"positive", "negative", "neutral"})
SOURCES = frozenset({"api", "greenhouse", "lever", "workday"})
DECISIONS = frozenset({"reject", "advance", "hire", "hold"})
AEDT_ROLES = frozenset({"sole", "weighted_most", "overrode", "assisted"})
NOTICE_METHODS = frozenset({"website", "job_posting", "mail", "email"})
FACTOR_NAME_RE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
NOTICE_TOO_LATE = "notice_too_late"
BIAS_AUDIT_EXPIRED = "bias_audit_expired"
PROTECTED_FLAG = "protected_characteristic_factor"


def _memo(memo: Doc) -> Mapping[str, Any]:
    return memo if isinstance(memo, Mapping) else {}


def _object(value: object) -> Mapping[str, Any]:
    """A JSON object as it is; anything else reads as an empty object, so a mistyped field is only missing."""
    return value if isinstance(value, Mapping) else {}


def _flags(memo: Mapping[str, Any]) -> list[str]:
    flags = memo.get("complianceFlags")
    return [f for f in flags if isinstance(f, str)] if isinstance(flags, list) else []


def _member(value: Any, allowed: frozenset[str]) -> bool:
    """Membership that tolerates unhashable JSON values (a list where a string belongs)."""
    return isinstance(value, str) and value in allowed


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


# --- MEMO-001 ------------------------------------------------------------------------------------


def _factor_shape_problems(factor: Any) -> list[str]:
    """What is wrong with one factor object, per contract § 2 (objects are open: extra keys are welcome)."""
    if not isinstance(factor, Mapping):
        return ["is not an object"]
    problems = []
    missing = sorted(FACTOR_KEYS - set(factor))
    if missing:
        problems.append(f"lacks {', '.join(missing)}")
    name = factor.get("factor")
    if not isinstance(name, str) or not FACTOR_NAME_RE.match(name):
        problems.append(f"has factor name {name!r}, not snake_case")
    if not isinstance(factor.get("value"), str | bool | int | float):
        problems.append(f"has value {factor.get('value')!r}, not a number, string or boolean")
    weight = factor.get("weight")
    if not _is_number(weight) or not 0 <= weight <= 1:
        problems.append(f"has weight {weight!r}, not a number from 0 to 1")
    if not _member(factor.get("contribution"), CONTRIBUTIONS):
        problems.append(f"has contribution {factor.get('contribution')!r}")
    return problems


def _same_value(left: Any, right: Any) -> bool:
    """Equal as JSON values: 2 equals 2.0, but a boolean never equals a number."""
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if _is_number(left) and _is_number(right):
        return left == right
    return type(left) is type(right) and left == right


def _factor_differences(memo_factor: Mapping[str, Any], sent: Any) -> list[str]:
    if not isinstance(sent, Mapping):
        return []
    differences = []
    for key in sorted(FACTOR_KEYS | set(sent)):
        if key not in memo_factor or key not in sent or not _same_value(memo_factor[key], sent[key]):
            differences.append(f"{key} is {memo_factor.get(key)!r}, the request sent {sent.get(key)!r}")
    return differences


def check_memo_001(
    memo: Doc, request: Doc = None, message: Doc = None, context: CheckContext = DEFAULT_CONTEXT
) -> list[Finding]:
    """The memo lists every decision factor, in order, exactly as the request sent it."""
    factors = _memo(memo).get("decisionFactors")
    if not isinstance(factors, list):
        return [finding("MEMO-001", "memo has no decisionFactors list", "memo.decisionFactors", clause="every-factor")]
    findings = [
        finding("MEMO-001", f"memo decision factor {i} {problem}", f"memo.decisionFactors[{i}]", clause="exact")
        for i, factor in enumerate(factors)
        for problem in _factor_shape_problems(factor)
    ]
    sent = request.get("decisionFactors") if isinstance(request, Mapping) else None
    if not isinstance(sent, list):
        return findings
    if len(sent) != len(factors):
        findings.append(
            finding(
                "MEMO-001",
                f"memo lists {len(factors)} decision factors, the request sent {len(sent)}",
                "memo.decisionFactors",
                clause="every-factor",
            )
        )
    for i, (mine, theirs) in enumerate(zip(factors, sent, strict=False)):
        if isinstance(mine, Mapping):
            findings.extend(
                finding("MEMO-001", f"memo decision factor {i}: {diff}", f"memo.decisionFactors[{i}]", clause="exact")
                for diff in _factor_differences(mine, theirs)
            )
    return findings


# --- MEMO-002 ------------------------------------------------------------------------------------

_REQUIRED_TEXT = (
    "aedtName", "aedtVersion", "aedtRole", "decision", "decisionTimestamp", "decisionEventId",
    "explanationId", "candidateIdHash", "jobIdRaw", "source",
)  # fmt: skip
_ENUMS: dict[str, frozenset[str]] = {"source": SOURCES, "decision": DECISIONS, "aedtRole": AEDT_ROLES}
_COPIED_FROM_REQUEST = ("aedtName", "aedtVersion", "decision", "jobIdRaw")


def _same_instant(left: Any, right: Any) -> bool:
    if left == right:
        return True
    try:
        return calendar.parse_timestamp(left)[0] == calendar.parse_timestamp(right)[0]
    except ValueError:
        return False


def _request_mismatches(memo: Mapping[str, Any], request: Mapping[str, Any]) -> list[Finding]:
    findings = [
        finding(
            "MEMO-002",
            f"memo {key} is {memo.get(key)!r}, the request sent {request.get(key)!r}",
            f"memo.{key}",
            clause="values",
        )
        for key in _COPIED_FROM_REQUEST
        if key in request and memo.get(key) != request.get(key)
    ]
    role = request.get("aedtRole") or "assisted"
    if memo.get("aedtRole") != role:
        findings.append(
            finding(
                "MEMO-002",
                f"memo aedtRole is {memo.get('aedtRole')!r}, expected {role!r}",
                "memo.aedtRole",
                clause="values",
            )
        )
    sent = request.get("decisionTimestamp")
    if sent is not None and not _same_instant(memo.get("decisionTimestamp"), sent):
        findings.append(
            finding(
                "MEMO-002",
                f"memo decisionTimestamp {memo.get('decisionTimestamp')!r} is not the instant sent {sent!r}",
                "memo.decisionTimestamp",
                clause="values",
            )
        )
    return findings


def check_memo_002(
    memo: Doc, request: Doc = None, message: Doc = None, context: CheckContext = DEFAULT_CONTEXT
) -> list[Finding]:
    """The memo records the tool, its role, the decision, the IDs and the source."""
    record = _memo(memo)
    findings: list[Finding] = []
    for key in _REQUIRED_TEXT:
        value = record.get(key)
        if not isinstance(value, str) or not value.strip():
            findings.append(finding("MEMO-002", f"memo {key} is missing or empty", f"memo.{key}", clause="fields"))
        elif key in _ENUMS and value not in _ENUMS[key]:
            allowed = ", ".join(sorted(_ENUMS[key]))
            findings.append(
                finding("MEMO-002", f"memo {key} is {value!r}, not one of {allowed}", f"memo.{key}", clause="values")
            )
    stamp = record.get("decisionTimestamp")
    if isinstance(stamp, str) and stamp.strip():
        try:
            calendar.parse_timestamp(stamp)
        except ValueError:
            findings.append(
                finding(
                    "MEMO-002",
                    f"memo decisionTimestamp {stamp!r} is not an RFC 3339 date-time",
                    "memo.decisionTimestamp",
                    clause="values",
                )
            )
    if isinstance(request, Mapping):
        findings.extend(_request_mismatches(record, request))
    return findings


# --- MEMO-003 ------------------------------------------------------------------------------------


def _notice_findings(notice: Any) -> list[Finding]:
    if not isinstance(notice, Mapping):
        return [finding("MEMO-003", "memo does not record the advance notice", "memo.notice", clause="notice")]
    findings = []
    try:
        calendar.parse_date(notice.get("date"))
    except ValueError:
        findings.append(
            finding(
                "MEMO-003", f"notice date {notice.get('date')!r} is not YYYY-MM-DD", "memo.notice.date", clause="notice"
            )
        )
    if not _member(notice.get("method"), NOTICE_METHODS):
        allowed = ", ".join(sorted(NOTICE_METHODS))
        findings.append(
            finding(
                "MEMO-003",
                f"notice method {notice.get('method')!r} is not one of {allowed}",
                "memo.notice.method",
                clause="notice",
            )
        )
    return findings


def _audit_findings(audit: Any) -> list[Finding]:
    if not isinstance(audit, Mapping):
        return [finding("MEMO-003", "memo does not record the bias audit", "memo.biasAudit", clause="audit")]
    findings = []
    try:
        calendar.parse_date(audit.get("date"))
    except ValueError:
        findings.append(
            finding(
                "MEMO-003",
                f"bias audit date {audit.get('date')!r} is not YYYY-MM-DD",
                "memo.biasAudit.date",
                clause="audit",
            )
        )
    url = audit.get("summaryUrl")
    if not isinstance(url, str) or not re.match(r"^https://[^\s/?#]+\.[^\s/?#]+", url):
        findings.append(
            finding(
                "MEMO-003",
                f"bias audit summaryUrl {url!r} is not an https URL",
                "memo.biasAudit.summaryUrl",
                clause="audit",
            )
        )
    return findings


def _flag_finding(flag: str, expected: bool, flags: list[str], why: str, clause: str) -> list[Finding]:
    if expected and flag not in flags:
        return [finding("MEMO-003", f"complianceFlags lacks {flag}: {why}", "memo.complianceFlags", clause=clause)]
    if not expected and flag in flags:
        return [finding("MEMO-003", f"complianceFlags has {flag} but {why}", "memo.complianceFlags", clause=clause)]
    return []


def _timing_findings(record: Mapping[str, Any], context: CheckContext) -> list[Finding]:
    """Recompute the notice and audit flags from the dates (§ 20-871(a)(1), (b))."""
    try:
        decided = calendar.decision_date(record.get("decisionTimestamp"))
    except ValueError:
        return []
    flags = _flags(record)
    findings: list[Finding] = []
    notice = _object(record.get("notice"))
    try:
        noticed = calendar.parse_date(notice.get("date"))
    except ValueError:
        noticed = None
    if noticed is not None:
        days = calendar.business_days_between(noticed, decided, context.holiday_country, context.extra_holidays)
        why = f"{days} business days lie between the notice ({noticed}) and the decision ({decided})"
        late = days < context.notice_business_days
        findings += _flag_finding(NOTICE_TOO_LATE, late, flags, why, _notice_clause(noticed, decided, late, context))
    audit = _object(record.get("biasAudit"))
    try:
        audited = calendar.parse_date(audit.get("date"))
    except ValueError:
        return findings
    expired = calendar.bias_audit_expired(audited, decided)
    verdict = "is not" if expired else "is"
    why = f"the audit ({audited}) {verdict} within the year before the decision ({decided})"
    clause = "audit-after-decision" if audited > decided else "audit-too-old"
    findings += _flag_finding(BIAS_AUDIT_EXPIRED, expired, flags, why, clause)
    return findings


def _notice_clause(noticed: date, decided: date, late: bool, context: CheckContext) -> str:
    """`holidays` when the flag is wrong only because holidays were counted as business days."""
    weekdays = calendar.business_days_between(noticed, decided, None, ())
    holidays_decide = late and weekdays >= context.notice_business_days
    return "holidays" if holidays_decide else "notice-too-late"


def check_memo_003(
    memo: Doc, request: Doc = None, message: Doc = None, context: CheckContext = DEFAULT_CONTEXT
) -> list[Finding]:
    """Notice and bias audit are recorded, and their flags agree with the calendar.

    Business days d with notice < d <= decision date (New York), Monday to Friday, less the
    holidays of context.holiday_country and context.extra_holidays.
    """
    record = _memo(memo)
    findings = _notice_findings(record.get("notice")) + _audit_findings(record.get("biasAudit"))
    return findings + _timing_findings(record, context)


# --- MEMO-004 ------------------------------------------------------------------------------------


def message_sha256(message: Mapping[str, Any]) -> str:
    """Hex SHA-256 of the UTF-8 of subject + "\\n\\n" + body (contract MEMO-004)."""
    text = field_text(message, "subject") + "\n\n" + field_text(message, "body")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_memo_004(
    memo: Doc, request: Doc = None, message: Doc = None, context: CheckContext = DEFAULT_CONTEXT
) -> list[Finding]:
    """candidateMessageSha256 proves which message was sent; checked only when the message is given."""
    recorded = _memo(memo).get("candidateMessageSha256")
    if not isinstance(recorded, str) or not re.fullmatch(r"[0-9a-fA-F]{64}", recorded):
        return [
            finding(
                "MEMO-004",
                f"memo candidateMessageSha256 {recorded!r} is not a hex SHA-256",
                "memo.candidateMessageSha256",
                clause="message-hash",
            )
        ]
    if not isinstance(message, Mapping):
        return []
    actual = message_sha256(message)
    if recorded.lower() != actual:
        return [
            finding(
                "MEMO-004",
                f"memo candidateMessageSha256 {recorded} does not match the message sent ({actual})",
                "memo.candidateMessageSha256",
                clause="message-hash",
            )
        ]
    return []


# --- MEMO-005 ------------------------------------------------------------------------------------


def _mentions(message: Mapping[str, Any], location: str, factor_name: str, terms: list[str]) -> list[Finding]:
    findings: list[Finding] = []
    for field in FIELDS:
        text = field_text(message, field)
        for pattern in mention_patterns(factor_name, terms):
            findings.extend(
                text_finding(
                    "MEMO-005",
                    f"{field} mentions protected factor '{factor_name}' ({location}): '{m.group(0)}'",
                    field,
                    text,
                    m.start(),
                    m.end(),
                    clause="kept-out",
                )
                for m in pattern.finditer(text)
            )
    return findings


def check_memo_005(
    memo: Doc, request: Doc = None, message: Doc = None, context: CheckContext = DEFAULT_CONTEXT
) -> list[Finding]:
    """A protected-characteristic or ZIP-code factor is flagged and kept out of the message.

    Grounded in IL HB 3773 (zip-code proxy ban) and anti-discrimination law
    (docs/sources.md#automated-decisions). "weight" alone does not make a factor protected
    (see vocabulary).
    """
    record = _memo(memo)
    protected = protected_factors(record, request)
    if not protected:
        return []
    findings: list[Finding] = []
    if PROTECTED_FLAG not in _flags(record):
        names = ", ".join(sorted({name for _, name, _ in protected}))
        findings.append(
            finding(
                "MEMO-005",
                f"complianceFlags lacks {PROTECTED_FLAG} for factor(s) {names}",
                "memo.complianceFlags",
                clause="flagged",
            )
        )
    if isinstance(message, Mapping):
        seen: set[str] = set()
        for location, name, terms in protected:
            if name not in seen:
                seen.add(name)
                findings.extend(_mentions(message, location, name, terms))
    return _dedupe(findings)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    unique: dict[tuple[Any, ...], Finding] = {}
    for item in findings:
        unique.setdefault((item.field, item.span, item.message if item.span is None else None), item)
    return list(unique.values())


MEMO_RULES: dict[str, MemoRule] = {
    "MEMO-001": check_memo_001,
    "MEMO-002": check_memo_002,
    "MEMO-003": check_memo_003,
    "MEMO-004": check_memo_004,
    "MEMO-005": check_memo_005,
}


def check_memo(
    memo: Mapping[str, Any],
    request: Doc = None,
    message: Doc = None,
    context: CheckContext = DEFAULT_CONTEXT,
) -> list[Finding]:
    """Run every memo rule; an empty list means the memo is compliant."""
    return [f for rule in MEMO_RULES.values() for f in rule(memo, request, message, context)]
