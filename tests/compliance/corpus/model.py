"""A corpus entry: one candidate message, what it was written for, and the verdict it deserves.

The harness sees a message next to the request that produced it (or none, for a webhook decision)
and a memo. Entries carry only what a deployment must send: the memo built here has the contract
§ 2 fields and nothing else unless an entry adds an extension, so no rule can lean on a field a
deployment may leave out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field, replace
from typing import Any

from nyc_hiring.harness.compliance import CheckContext

#: A (requirement, clause) pair, as a finding names it.
Pair = tuple[str, str]

CANDIDATE_ID = "C-48213"
DECISION_EVENT_ID = "3f9c2a4e-5b1d-4c8e-9a7f-2d6b8e1c0a53"
EXPLANATION_ID = "expl-7K2M9Q4T"
CANDIDATE_ID_HASH = "9b74c9897bac770ffc029102a200c5de" + "cb3e7a1f4f0d2a6b5c8e9d7f1a2b3c4d"
JOB_ID = "REQ-4411"
AUDIT_URL = "https://careers.example.com/audit"


def factor(name: str, value: Any, weight: float, contribution: str = "negative") -> dict[str, Any]:
    """One decision factor as contract § 2 shapes it."""
    return {"factor": name, "value": value, "weight": weight, "contribution": contribution}


@dataclass(frozen=True)
class Entry:
    """One message and its expected verdict: no findings, or exactly the listed clauses."""

    id: str
    subject: str
    body: str
    decision: str
    factors: tuple[Mapping[str, Any], ...] = ()
    job_title: str | None = None
    #: A webhook decision: no request body, so the factors come from the memo.
    webhook: bool = False
    #: What the harness was told with --employer-name (None: not given).
    employer_name: str | None = None
    audit_url: str = AUDIT_URL
    #: Memo fields beyond contract § 2 (an optional extension a deployment may add).
    memo_extra: Mapping[str, Any] = field(default_factory=dict)
    expect: Set[Pair] = frozenset()
    note: str = ""

    @property
    def compliant(self) -> bool:
        return not self.expect

    def message(self) -> dict[str, str]:
        return {"subject": self.subject, "body": self.body, "locale": "en-US"}

    def request(self) -> dict[str, Any] | None:
        """The decision-event request, or None for a webhook decision."""
        if self.webhook:
            return None
        request: dict[str, Any] = {
            "candidateIdRaw": CANDIDATE_ID,
            "jobIdRaw": JOB_ID,
            "decision": self.decision,
            "decisionTimestamp": "2026-06-22T14:00:00Z",
            "decisionFactors": [dict(f) for f in self.factors],
            "aedtName": "TalentLens",
            "aedtVersion": "4.2",
            "aedtRole": "assisted",
            "requestExplanation": True,
        }
        if self.job_title is not None:
            request["jobTitle"] = self.job_title
        return request

    def memo(self) -> dict[str, Any]:
        """A memo with the contract § 2 fields only, plus any extension the entry names."""
        memo: dict[str, Any] = {
            "explanationId": EXPLANATION_ID,
            "decisionEventId": DECISION_EVENT_ID,
            "candidateIdHash": CANDIDATE_ID_HASH,
            "jobIdRaw": JOB_ID,
            "source": "greenhouse" if self.webhook else "api",
            "aedtName": "TalentLens",
            "aedtVersion": "4.2",
            "aedtRole": "assisted",
            "decision": self.decision,
            "decisionTimestamp": "2026-06-22T14:00:00Z",
            "timestampAssumedUtc": False,
            "decisionFactors": [dict(f) for f in self.factors],
            "notice": {"date": "2026-01-05", "method": "website"},
            "biasAudit": {"date": "2026-05-01", "summaryUrl": self.audit_url},
            "dataPolicy": {"types": ["resume"], "sources": ["candidate"], "retention": "two years"},
            "candidateMessageSha256": "0" * 64,
            "complianceFlags": [],
            "generatedAt": "2026-06-22T14:00:01Z",
        }
        memo.update(self.memo_extra)
        return memo

    def context(self) -> CheckContext:
        return CheckContext(employer_name=self.employer_name)


def derive(
    base: Entry,
    id: str,
    *,
    expect: Iterable[Pair],
    replace_text: Iterable[tuple[str, str]] = (),
    subject: str | None = None,
    note: str = "",
    **changes: Any,
) -> Entry:
    """A variant of a compliant entry with one deliberate change, so only that change can be at fault.

    Each (old, new) pair must occur in the base body exactly once: a silent no-op would leave a
    "violating" message compliant.
    """
    body = base.body
    for old, new in replace_text:
        if body.count(old) != 1:
            raise ValueError(f"{id}: {old!r} occurs {body.count(old)} times in {base.id}")
        body = body.replace(old, new)
    return replace(
        base,
        id=id,
        body=body,
        subject=base.subject if subject is None else subject,
        expect=frozenset(expect),
        note=note,
        **changes,
    )
