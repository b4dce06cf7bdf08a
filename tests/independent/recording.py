"""One path that records a decision, from the API or from a webhook.

The event, its explanation, its webhook delivery keys and the Idempotency-Key result
are written in one transaction, so a restart never finds half a decision, and the
duplicate checks run under the same lock as the insert, so concurrent identical
requests record exactly one event.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import sqlite3
import time
import uuid
from dataclasses import dataclass, replace

from tests.independent import memo, messages
from tests.independent.employer_profile import Profile, WebhookTool
from tests.independent.responses import JSON, Response, duplicate, json_response
from tests.independent.store import EventRow, Store, StoredResult
from tests.independent.timestamps import Instant, now_text
from tests.independent.validation import DecisionRequest
from tests.independent.webhooks import Mapped

BASE_PATH = "/api/v1/nyc-hiring"
WEBHOOK_ENVIRONMENT = "test"  # the sandbox records ATS deliveries as test data
Document = dict[str, object]


@dataclass(frozen=True)
class Decision:
    """A decision to record, whatever its source.

    ``fields`` is what the record reads back with (the request less the raw candidate
    ID); the typed attributes are what recording and explaining need from it.
    """

    environment: str
    source: str
    candidate_id_raw: str
    instant: Instant
    job_id: str
    decision: str
    aedt_name: str
    aedt_version: str
    aedt_role: str
    factors: list[Document]
    explain: bool
    job_title: str | None
    locale: str | None
    fields: Document


@dataclass(frozen=True)
class Recorded:
    event_id: str
    explanation_id: str | None
    duplicate: bool


def api_decision(request: DecisionRequest, environment: str) -> Decision:
    """An API decision: what was sent, with the optional fields' defaults filled in."""
    fields = {name: value for name, value in request.document.items() if name != "candidateIdRaw"}
    for name in ("requestExplanation", "jobTitle", "candidateLocale", "aedtRole"):
        fields.setdefault(name, request.effective(name))
    return Decision(
        environment=environment,
        source="api",
        candidate_id_raw=str(request.document["candidateIdRaw"]),
        instant=request.instant,
        job_id=str(fields["jobIdRaw"]),
        decision=str(fields["decision"]),
        aedt_name=str(fields["aedtName"]),
        aedt_version=str(fields["aedtVersion"]),
        aedt_role=str(request.effective("aedtRole")),
        factors=request.factors(),
        explain=request.effective("requestExplanation") is True,
        job_title=_optional_text(fields.get("jobTitle")),
        locale=_optional_text(fields.get("candidateLocale")),
        fields=fields,
    )


def webhook_decision(source: str, mapped: Mapped, tool: WebhookTool, instant: Instant) -> Decision:
    """A webhook decision: the ATS's IDs, the tool configured for that ATS, always explained."""
    factor = mapped.factor()
    fields: Document = {
        "jobIdRaw": mapped.job_id,
        "decision": mapped.decision,
        "decisionTimestamp": instant.text,
        "decisionFactors": [factor],
        "aedtName": tool.name,
        "aedtVersion": tool.version,
        "requestExplanation": True,
        "jobTitle": mapped.job_title,
        "candidateLocale": "en-US",
        "aedtRole": "assisted",
    }
    return Decision(
        environment=WEBHOOK_ENVIRONMENT,
        source=source,
        candidate_id_raw=mapped.candidate_id,
        instant=instant,
        job_id=mapped.job_id,
        decision=mapped.decision,
        aedt_name=tool.name,
        aedt_version=tool.version,
        aedt_role="assisted",
        factors=[factor],
        explain=True,
        job_title=mapped.job_title,
        locale="en-US",
        fields=fields,
    )


def _optional_text(value: object) -> str | None:
    return value if isinstance(value, str) else None


class Recorder:
    def __init__(self, store: Store, profile: Profile) -> None:
        self._store = store
        self._profile = profile
        self._candidate_key = store.secret_setting("candidate-hash-key")

    def candidate_hash(self, environment: str, raw: str) -> str:
        """A keyed hash: the same candidate gives the same value here, and no one can reverse it."""
        digest = hmac.new(self._candidate_key, f"{environment}\x00{raw}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def record_api(self, decision: Decision, request_id: str, idempotency: tuple[str, str] | None) -> Response:
        """201 with the new event, or 409 ``duplicate_event``; kept under the Idempotency-Key if one came."""
        try:
            return self._record_api_once(decision, request_id, idempotency)
        except sqlite3.IntegrityError:  # a UNIQUE constraint caught a race: answer from the winner's record
            return self._record_api_once(decision, request_id, idempotency)

    def _record_api_once(self, decision: Decision, request_id: str, idempotency: tuple[str, str] | None) -> Response:
        row = self._row(decision)
        with self._store.transaction():
            found = self._store.find_natural_duplicate(row)
            if found:
                response = duplicate(*found).to_response(request_id)
            else:
                created = {**self._create(decision, row), "requestId": request_id}
                location = f"{BASE_PATH}/decision-events/{row.event_id}"
                response = json_response(201, created, {"Location": location})
            if idempotency is not None:
                self._keep(decision.environment, idempotency, response)
        return response

    def _keep(self, environment: str, idempotency: tuple[str, str], response: Response) -> None:
        key, fingerprint = idempotency
        result = StoredResult(
            fingerprint, response.status, response.content_type, response.body, response.headers.get("Location")
        )
        self._store.store_result(environment, key, result, time.time())

    def delivered_before(self, source: str, delivery_keys: list[str]) -> Recorded | None:
        with self._store.transaction():
            found = self._store.find_delivery(source, delivery_keys)
        return Recorded(found[0], found[1], True) if found else None

    def record_webhook(self, decision: Decision, delivery_keys: list[str]) -> Recorded:
        """Record a webhook decision once per delivery; a redelivery gets the original IDs."""
        with self._store.transaction():
            found = self._store.find_delivery(decision.source, delivery_keys)
            if found:
                return Recorded(found[0], found[1], True)
            row = self._row(decision)
            explanation_id = self._create(decision, row)["explanationId"]
            ids = (row.event_id, _optional_text(explanation_id))
            self._store.add_deliveries(decision.source, delivery_keys, ids, time.time())
        return Recorded(ids[0], ids[1], False)

    def _row(self, decision: Decision) -> EventRow:
        return EventRow(
            event_id=f"evt-{uuid.uuid4()}",
            environment=decision.environment,
            source=decision.source,
            candidate_hash=self.candidate_hash(decision.environment, decision.candidate_id_raw),
            job_id=decision.job_id,
            decision=decision.decision,
            instant_key=decision.instant.key,
            aedt_name=decision.aedt_name,
            explanation_id=None,
            received_at=now_text(),
            record={},
        )

    def _create(self, decision: Decision, row: EventRow) -> Document:
        """Insert the event, and its explanation when asked for; return the 201 body."""
        names = [str(factor["factor"]) for factor in decision.factors]
        flags = memo.compliance_flags(decision.instant.new_york_date(), names, self._profile)
        explanation = self._explain(decision, row, flags) if decision.explain else None
        explanation_id = _optional_text(explanation["explanationId"]) if explanation else None
        common = {
            "decisionEventId": row.event_id,
            "explanationId": explanation_id,
            "environment": decision.environment,
            "candidateIdHash": row.candidate_hash,
            "receivedAt": row.received_at,
        }
        record = {
            **decision.fields,
            **common,
            "source": decision.source,
            "complianceFlags": flags,
            "links": _links(row.event_id, explanation_id),
        }
        self._store.insert_event(replace(row, explanation_id=explanation_id, record=record))
        if explanation is not None and explanation_id is not None:
            self._store.insert_explanation(explanation_id, row.event_id, decision.environment, explanation)
        return {
            **common,
            "candidateMessage": explanation["candidateMessage"] if explanation else None,
            "internalMemo": explanation["internalMemo"] if explanation else None,
            "complianceFlags": flags,
            "links": _links(row.event_id, explanation_id),
        }

    def _explain(self, decision: Decision, row: EventRow, flags: list[str]) -> Document:
        factors = [messages.Factor.from_json(factor) for factor in decision.factors]
        message = messages.compose(
            decision.decision, decision.job_title, factors, decision.aedt_role, decision.locale, self._profile
        )
        explanation_id = f"expl-{uuid.uuid4()}"
        facts = memo.MemoFacts(
            explanation_id=explanation_id,
            decision_event_id=row.event_id,
            candidate_id_hash=row.candidate_hash,
            job_id_raw=decision.job_id,
            source=decision.source,
            aedt_name=decision.aedt_name,
            aedt_version=decision.aedt_version,
            aedt_role=decision.aedt_role,
            decision=decision.decision,
            decision_timestamp=decision.instant.text,
            timestamp_assumed_utc=decision.instant.assumed_utc,
            decision_factors=decision.factors,
            message_sha256=message.sha256(),
            flags=flags,
            generated_at=now_text(),
        )
        return {
            "explanationId": explanation_id,
            "decisionEventId": row.event_id,
            "candidateMessage": message.to_json(),
            "internalMemo": memo.internal_memo(facts, self._profile),
            "links": _links(row.event_id, explanation_id),
        }

    def replay(self, environment: str, key: str) -> StoredResult | None:
        return self._store.stored_result(environment, key)

    def read_event(self, environment: str, event_id: str) -> Document | None:
        return self._store.read_event(environment, event_id)

    def read_explanation(self, environment: str, explanation_id: str) -> Document | None:
        return self._store.read_explanation(environment, explanation_id)


def _links(event_id: str, explanation_id: str | None) -> dict[str, str | None]:
    return {
        "decisionEvent": f"{BASE_PATH}/decision-events/{event_id}",
        "explanation": f"{BASE_PATH}/explanations/{explanation_id}" if explanation_id else None,
    }


def replayed(result: StoredResult) -> Response:
    """A stored result, answered again as it was, marked as a replay."""
    headers = {"Idempotent-Replayed": "true"}
    if result.location:
        headers["Location"] = result.location
    return Response(result.status, result.body, result.content_type or JSON, headers)
