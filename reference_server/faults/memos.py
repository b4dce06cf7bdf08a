"""MEMO faults: internal memos kept the ways deployments get them wrong, one rule broken at a time."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from ..calendar import audit_expired, decision_date
from ..explanations import FLAG_AUDIT_EXPIRED, FLAG_NOTICE_TOO_LATE, FLAG_PROTECTED_FACTOR
from ..factors import is_protected
from . import openapi
from .drafting import Draft, revise
from .messages import ASSESSED
from .registry import Variant, fault

TIMING_FLAGS = (FLAG_NOTICE_TOO_LATE, FLAG_AUDIT_EXPIRED)


def _memo_schema(variant: Variant) -> dict[str, Any]:
    return openapi.schema(variant.openapi, "InternalMemo")


# -- MEMO-001 --------------------------------------------------------------------------------------


def _last_factor_dropped(draft: Draft) -> None:
    if len(draft.memo["decisionFactors"]) > 1:
        del draft.memo["decisionFactors"][-1]


@fault("MEMO-001", "every-factor", "the memo leaves out the last of several decision factors")
def memo_factor_mismatch(variant: Variant) -> None:
    revise(variant, _last_factor_dropped)


def _values_as_text(draft: Draft) -> None:
    for factor in draft.memo["decisionFactors"]:
        value = factor["value"]
        if isinstance(value, int | float) and not isinstance(value, bool):
            factor["value"] = str(value)


@fault("MEMO-001", "exact", 'the memo records numeric factor values as text: 2 becomes "2"')
def memo_values_as_text(variant: Variant) -> None:
    revise(variant, _values_as_text)


# -- MEMO-002 --------------------------------------------------------------------------------------


@fault("MEMO-002", "fields", "the memo does not record the decision's source (api, greenhouse, lever, workday)")
def memo_missing_fields(variant: Variant) -> None:
    revise(variant, lambda draft: draft.memo.pop("source", None))
    schema = _memo_schema(variant)
    schema["required"] = [name for name in schema["required"] if name != "source"]


def _slug(draft: Draft) -> None:
    draft.memo["aedtName"] = re.sub(r"[^a-z0-9]+", "-", draft.memo["aedtName"].lower()).strip("-")


@fault("MEMO-002", "values", "the memo records the AEDT's name as a slug ('CustomATS AI' becomes 'customats-ai')")
def memo_aedt_name_slug(variant: Variant) -> None:
    revise(variant, _slug)


# -- MEMO-003 --------------------------------------------------------------------------------------


@fault("MEMO-003", "notice", "the memo records the notice's date but not its method")
def memo_notice_without_method(variant: Variant) -> None:
    revise(variant, lambda draft: draft.memo["notice"].pop("method", None))
    _memo_schema(variant)["properties"]["notice"]["required"] = ["date"]


@fault("MEMO-003", "audit", "the memo records the bias audit's date but not its summary URL")
def memo_audit_without_url(variant: Variant) -> None:
    revise(variant, lambda draft: draft.memo["biasAudit"].pop("summaryUrl", None))
    _memo_schema(variant)["properties"]["biasAudit"]["required"] = ["date"]


@fault("MEMO-003", "notice-too-late", "notice_too_late is flagged on every decision, however early the notice")
def memo_spurious_notice_flag(variant: Variant) -> None:
    revise(variant, lambda draft: draft.flag(FLAG_NOTICE_TOO_LATE, present=True))


def _weekdays_between(start: dt.date, end: dt.date) -> int:
    """Monday to Friday days d with start < d <= end, holidays counted as working days."""
    days = (end - start).days
    return sum(1 for offset in range(1, days + 1) if (start + dt.timedelta(days=offset)).weekday() < 5)


def _holidays_as_business_days(draft: Draft) -> None:
    days = _weekdays_between(draft.profile.notice.date, decision_date(draft.decision.decision_instant))
    draft.memo["notice"]["businessDaysBeforeDecision"] = days
    draft.flag(FLAG_NOTICE_TOO_LATE, present=days < draft.profile.calendar.notice_business_days)


@fault(
    "MEMO-003",
    "holidays",
    "business days before the decision are counted Monday to Friday without leaving out US federal holidays",
)
def notice_days_ignore_holidays(variant: Variant) -> None:
    revise(variant, _holidays_as_business_days)


def _expired_only_when_after(draft: Draft) -> None:
    decided = decision_date(draft.decision.decision_instant)
    draft.flag(FLAG_AUDIT_EXPIRED, present=draft.profile.bias_audit.date > decided)


@fault(
    "MEMO-003",
    "audit-too-old",
    "bias_audit_expired is flagged only for an audit dated after the decision, never for one over a year old; "
    "to show it, the bias audit of this deployment's profile is a year older (2025-06-01 in the sandbox's), "
    "since a decision more than a year after a 2026-06-01 audit would lie in the future",
)
def audit_age_unchecked(variant: Variant) -> None:
    audit = variant.profile.bias_audit
    older = audit.model_copy(update={"date": audit.date.replace(year=audit.date.year - 1)})
    variant.profile = variant.profile.model_copy(update={"bias_audit": older})
    revise(variant, _expired_only_when_after)


def _expired_only_when_old(draft: Draft) -> None:
    decided = decision_date(draft.decision.decision_instant)
    audited = draft.profile.bias_audit.date
    draft.flag(FLAG_AUDIT_EXPIRED, present=audited <= decided and audit_expired(audited, decided))


@fault(
    "MEMO-003",
    "audit-after-decision",
    "bias_audit_expired is flagged only for an audit over a year old, never for one dated after the decision",
)
def audit_after_decision_unflagged(variant: Variant) -> None:
    revise(variant, _expired_only_when_old)


def _timing_flags_in_memo_only(draft: Draft) -> None:
    draft.flags = [flag for flag in draft.flags if flag not in TIMING_FLAGS]


@fault(
    "MEMO-003",
    "response-flags",
    "notice_too_late and bias_audit_expired are in the memo only, not in the response's complianceFlags",
)
def response_flags_without_timing(variant: Variant) -> None:
    revise(variant, _timing_flags_in_memo_only)


# -- MEMO-004 --------------------------------------------------------------------------------------


def _body_hash(draft: Draft) -> None:
    draft.rehash = False
    draft.memo["candidateMessageSha256"] = hashlib.sha256(draft.body.encode()).hexdigest()


@fault("MEMO-004", "message-hash", "candidateMessageSha256 covers the body only, not subject + blank line + body")
def memo_wrong_hash(variant: Variant) -> None:
    revise(variant, _body_hash)


# -- MEMO-005 --------------------------------------------------------------------------------------


def _protected_unflagged_in_memo(draft: Draft) -> None:
    flags = draft.memo["complianceFlags"]
    draft.memo["complianceFlags"] = [flag for flag in flags if flag != FLAG_PROTECTED_FACTOR]


@fault(
    "MEMO-005",
    "flagged",
    "the memo does not flag protected-characteristic and ZIP-code factors (the response's complianceFlags do)",
)
def memo_protected_unflagged(variant: Variant) -> None:
    revise(variant, _protected_unflagged_in_memo)


def _protected_listed(draft: Draft) -> None:
    names = [str(f.get("factor", "")) for f in draft.decision.factors if is_protected(str(f.get("factor", "")))]
    index = draft.find(ASSESSED)
    if not names or index is None:
        return
    listed = draft.paragraphs[index]
    if not listed.startswith("The tool looked at these things about you:"):
        listed = "The tool looked at these things about you:"
    draft.paragraphs[index] = listed + "".join(f"\n- Your {name.replace('_', ' ')}." for name in names)


@fault(
    "MEMO-005",
    "kept-out",
    "protected-characteristic factors are listed among what the tool looked at (they are flagged all the same)",
)
def msg_protected_factor_named(variant: Variant) -> None:
    revise(variant, _protected_listed)
