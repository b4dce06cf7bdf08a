"""Recording a decision: one path for the direct API and every webhook source.

A decision is prepared first (IDs, record, explanation: no I/O), then written inside the caller's
transaction, together with whatever else the caller keeps about it (webhook delivery keys, the
Idempotency-Key answer), so a crash leaves either all of it or none.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .explanations import Decision, Explanation, compliance_flags, generate_explanation
from .profile import EmployerProfile
from .store import Store
from .timestamps import DecisionInstant, rfc3339

Clock = Callable[[], datetime]
# What writes the candidate message and the memo for a decision; generate_explanation by default.
Explainer = Callable[[Decision, EmployerProfile, datetime], Explanation]


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_id(prefix: str) -> str:
    """`de_`/`ex_` + 26 base32 characters: 128 random bits, URL-safe, no padding."""
    return prefix + base64.b32encode(secrets.token_bytes(16)).decode().rstrip("=").lower()


def natural_key(candidate_hash: str, job_id_raw: str, decision: str, instant: datetime, aedt_name: str) -> str:
    """IDEM-001: what makes two decisions one (the environment is a column of its own).

    The timestamp counts as an instant, so `Z`, `+00:00` and any other offset of it are the same.
    """
    parts = [candidate_hash, job_id_raw, decision, rfc3339(instant), aedt_name]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True)
class NewDecision:
    environment: str
    source: str
    candidate_id_raw: str
    job_id_raw: str
    decision: str
    decision_timestamp: str
    instant: DecisionInstant
    factors: list[dict[str, Any]]
    aedt_name: str
    aedt_version: str
    aedt_role: str
    job_title: str | None
    candidate_locale: str
    request_explanation: bool


@dataclass(frozen=True)
class Recorded:
    """A decision ready to be written: its IDs, the record `GET` serves, and its explanation if asked for."""

    event_id: str
    explanation_id: str | None
    natural_key: str
    received_at: datetime
    record: dict[str, Any]
    explanation: Explanation | None

    def response_body(self) -> dict[str, Any]:
        """The 201 body of `POST /decision-event` (contract § 2)."""
        return {
            "decisionEventId": self.event_id,
            "explanationId": self.explanation_id,
            "environment": self.record["environment"],
            "candidateIdHash": self.record["candidateIdHash"],
            "receivedAt": self.record["receivedAt"],
            "candidateMessage": self.explanation.candidate_message if self.explanation else None,
            "internalMemo": self.explanation.internal_memo if self.explanation else None,
            "complianceFlags": self.record["complianceFlags"],
        }


class Recorder:
    def __init__(
        self,
        store: Store,
        profile: EmployerProfile,
        candidate_hash_key: bytes,
        clock: Clock = utc_now,
        explainer: Explainer = generate_explanation,
    ) -> None:
        self.store = store
        self.profile = profile
        self.clock = clock
        self.explainer = explainer
        # A keyed hash, stable for duplicate detection; its key is kept out of the database (keyring.py),
        # so the short, guessable IDs cannot be recovered from the database alone.
        self._hash_key = candidate_hash_key

    def candidate_id_hash(self, environment: str, candidate_id_raw: str) -> str:
        message = f"{environment}\x00{candidate_id_raw}".encode()
        return hmac.new(self._hash_key, message, hashlib.sha256).hexdigest()

    def prepare(self, new: NewDecision) -> Recorded:
        """Everything about the decision that needs no database: IDs, record and explanation."""
        now = self.clock()
        candidate_hash = self.candidate_id_hash(new.environment, new.candidate_id_raw)
        event_id = new_id("de_")
        explanation_id = new_id("ex_") if new.request_explanation else None
        decision = _decision(new, event_id, explanation_id or "", candidate_hash, now)
        explanation = self.explainer(decision, self.profile, now) if explanation_id else None
        flags = explanation.compliance_flags if explanation else compliance_flags(decision, self.profile)
        key = natural_key(candidate_hash, new.job_id_raw, new.decision, new.instant.instant, new.aedt_name)
        record = _record(new, event_id, explanation_id, candidate_hash, now, flags)
        return Recorded(event_id, explanation_id, key, now, record, explanation)

    def write(self, db: sqlite3.Connection, recorded: Recorded) -> None:
        """Write inside the caller's transaction; raise store.DuplicateEvent (with the original IDs)
        for a natural-key duplicate, which the caller's rollback then undoes everything with."""
        record = recorded.record
        self.store.insert_event(
            db,
            event_id=recorded.event_id,
            environment=record["environment"],
            source=record["source"],
            natural_key=recorded.natural_key,
            explanation_id=recorded.explanation_id,
            record=record,
            received_at=recorded.received_at.timestamp(),
        )
        if recorded.explanation is not None and recorded.explanation_id is not None:
            self.store.insert_explanation(
                db,
                recorded.explanation_id,
                record["environment"],
                recorded.event_id,
                {
                    "explanationId": recorded.explanation_id,
                    "decisionEventId": recorded.event_id,
                    "candidateMessage": recorded.explanation.candidate_message,
                    "internalMemo": recorded.explanation.internal_memo,
                },
            )


def _decision(new: NewDecision, event_id: str, explanation_id: str, candidate_hash: str, now: datetime) -> Decision:
    return Decision(
        decision_event_id=event_id,
        explanation_id=explanation_id,
        candidate_id_hash=candidate_hash,
        job_id_raw=new.job_id_raw,
        source=new.source,  # type: ignore[arg-type]
        aedt_name=new.aedt_name,
        aedt_version=new.aedt_version,
        aedt_role=new.aedt_role,
        decision=new.decision,  # type: ignore[arg-type]
        decision_timestamp=new.decision_timestamp,
        decision_instant=new.instant.instant,
        timestamp_assumed_utc=new.instant.assumed_utc,
        factors=tuple(new.factors),
        job_title=new.job_title,
        candidate_locale=new.candidate_locale,
        received_at=now,
    )


def _record(
    new: NewDecision,
    event_id: str,
    explanation_id: str | None,
    candidate_hash: str,
    received_at: datetime,
    flags: list[str],
) -> dict[str, Any]:
    """The `GET /decision-events/{id}` body: the request less candidateIdRaw, plus what the server knows."""
    return {
        "decisionEventId": event_id,
        "explanationId": explanation_id,
        "environment": new.environment,
        "source": new.source,
        "candidateIdHash": candidate_hash,
        "jobIdRaw": new.job_id_raw,
        "decision": new.decision,
        "decisionTimestamp": new.decision_timestamp,
        "decisionFactors": new.factors,
        "aedtName": new.aedt_name,
        "aedtVersion": new.aedt_version,
        "aedtRole": new.aedt_role,
        "requestExplanation": new.request_explanation,
        "jobTitle": new.job_title,
        "candidateLocale": new.candidate_locale,
        "receivedAt": rfc3339(received_at),
        "complianceFlags": flags,
    }
