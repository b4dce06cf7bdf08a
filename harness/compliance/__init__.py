"""Message and memo compliance checks (contract MSG-001 … MSG-013, MEMO-001 … MEMO-005).

A plain library: no network, no test framework, no dependency on any server, so the
conformance harness can run it on explanations from any deployment and the reference
server's tests can run it on every message its generator produces. An empty list of
findings means compliant.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nyc_hiring.harness.compliance.findings import CheckContext, Finding
from nyc_hiring.harness.compliance.memo_rules import MEMO_RULES, check_memo, message_sha256
from nyc_hiring.harness.compliance.message_rules import DEFAULT_CONTEXT, MESSAGE_RULES, check_message

__all__ = [
    "MEMO_RULES",
    "MESSAGE_RULES",
    "CheckContext",
    "Finding",
    "check_explanation",
    "check_memo",
    "check_message",
    "message_sha256",
    "requirements_checked",
]


def check_explanation(
    message: Mapping[str, Any],
    memo: Mapping[str, Any],
    request: Mapping[str, Any] | None = None,
    context: CheckContext = DEFAULT_CONTEXT,
) -> list[Finding]:
    """Both the message rules and the memo rules, each given everything available."""
    return check_message(message, memo, request, context) + check_memo(memo, request, message, context)


def requirements_checked() -> set[str]:
    """The requirement IDs this library checks, so a report can tell checked from not covered."""
    return set(MESSAGE_RULES) | set(MEMO_RULES)
