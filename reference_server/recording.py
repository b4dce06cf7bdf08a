"""Recording a decision: one path for the direct API and every webhook source.

A decision is written in one transaction with its explanation and whatever the caller attaches
(webhook delivery keys, the Idempotency-Key result), so a crash leaves either all of it or none.
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

from . import faults
from .explanations import Decision, Explanation, compliance_flags, generate_explanation
from .profile import EmployerProfile
from .store import Store
from .timestamps import DecisionInstant, rfc3339

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_id(prefix: str) -> str:
    """`de_`/`ex_` + 26 base32 characters: 128 random bits, URL-safe, no padding."""
    return prefix + base64.b32encode(secrets.token_bytes(16)).decode().rstrip("=").lower()


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
    event_id: str
    explanation_id: str | None
    record: dict[str, Any]
    explanation: Explanation | None

    def response_body(self) -> dict[str, Any]:
        """The 201 body of `POST /decision-event` (contract § 2)."""
        memo = self.explanation.internal_memo if self.explanation else None
        return {
            "decisionEventId": self.event_id,
            "explanationId": self.explanation_id,
            "environment": self.record["environment"],
            "candidateIdHash": self.record["candidateIdHash"],
            "receivedAt": self.record["receivedAt"],
            "candidateMessage": self.explanation.candidate_message if self.explanation else None,
            "internalMemo": None if faults.on("memo_not_returned") else memo,
            "complianceFlags": self.record["complianceFlags"],
        }


AttachFn = Callable[[sqlite3.Connection, Recorded], None]

CANDIDATE_HASH_KEY = "candidate_hash_key"


class Recorder:
    def __init__(self, store: Store, profile: EmployerProfile, clock: Clock = utc_now) -> None:
        self.store = store
        self.profile = profile
        self.clock = clock
        # The keyed hash makes candidate IDs unrecoverable from the database alone, yet stable for dedup.
        self._hash_key = bytes.fromhex(store.set_meta_if_absent(CANDIDATE_HASH_KEY, secrets.token_hex(32)))

    def natural_key(self, new: NewDecision) -> str:
        return _natural_key(new, self.candidate_id_hash(new.environment, new.candidate_id_raw))

    def candidate_id_hash(self, environment: str, candidate_id_raw: str) -> str:
        message = f"{environment}\x00{candidate_id_raw}".encode()
        return hmac.new(self._hash_key, message, hashlib.sha256).hexdigest()

    def record(self, new: NewDecision, attach: AttachFn | None = None) -> Recorded:
        """Record once; raise store.DuplicateEvent (with the original IDs) for a natural-key duplicate."""
        now = self.clock()
        candidate_hash = self.candidate_id_hash(new.environment, new.candidate_id_raw)
        event_id = new_id("de_")
        explanation_id = new_id("ex_") if new.request_explanation else None
        decision = self._decision(new, event_id, explanation_id or "", candidate_hash, now)
        explanation = generate_explanation(decision, self.profile, now) if explanation_id else None
        flags = explanation.compliance_flags if explanation else compliance_flags(decision, self.profile)
        if explanation is not None and faults.ACTIVE:
            faults.corrupt_explanation(explanation.candidate_message, explanation.internal_memo, flags)
        recorded = Recorded(event_id, explanation_id, _record(new, event_id, explanation_id, candidate_hash,
                                                               now, flags), explanation)
        with self.store.transaction() as db:
            self.store.insert_event(
                db,
                event_id=event_id,
                environment=new.environment,
                source=new.source,
                natural_key=_stored_natural_key(new, candidate_hash),
                explanation_id=explanation_id,
                record=recorded.record,
                received_at=now.timestamp(),
            )
            if explanation is not None and explanation_id is not None:
                self.store.insert_explanation(db, explanation_id, new.environment, event_id, {
                    "explanationId": explanation_id,
                    "decisionEventId": event_id,
                    "candidateMessage": explanation.candidate_message,
                    "internalMemo": explanation.internal_memo,
                })
            if attach is not None:
                attach(db, recorded)
        return recorded

    @staticmethod
    def _decision(
        new: NewDecision, event_id: str, explanation_id: str, candidate_hash: str, now: datetime
    ) -> Decision:
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


def _natural_key(new: NewDecision, candidate_hash: str) -> str:
    """IDEM-001: environment (a column), candidate, job, decision, timestamp as an instant, AEDT."""
    parts = [candidate_hash, new.job_id_raw, new.decision, rfc3339(new.instant.instant), new.aedt_name]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


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
        "receivedAt": rfc3339(received_at).replace("Z", "+00:00" if faults.on("received_at_offset") else "Z"),
        "complianceFlags": flags,
    }


def _stored_natural_key(new: NewDecision, candidate_hash: str) -> str:
    """The dedup faults salt the stored key with a nonce, so the UNIQUE constraint can never fire."""
    key = _natural_key(new, candidate_hash)
    salted = faults.on("no_dedup" if new.source == "api" else "no_webhook_dedup") or (
        new.source == "api" and faults.on("racy_dedup"))
    return f"{key}:{new_id('')}" if salted else key
