"""`POST /webhook/{source}`: verify a delivery, recognise a redelivery, record the decision it carries.

What differs between ATSs (signature scheme, payload shape, what identifies a redelivery) is the
source's business (common.WebhookSource); the order of the steps is the same for all of them.
Greenhouse counts anything but 200 as a failed delivery, so every verified delivery gets 200.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..config import Settings
from ..keyring import Keyring
from ..problems import ProblemError
from ..profile import EmployerProfile
from ..recording import Clock, NewDecision, Recorder
from ..store import DuplicateEvent, RecordedDelivery, Store
from ..timestamps import DecisionInstant, parse_timestamp, rfc3339
from ..wire import json_response, read_json_body
from .common import Ignored, WebhookDecision, WebhookSource


class WebhookEndpoint:
    """One source's endpoint; `handle` is the route's request handler."""

    def __init__(
        self,
        source: WebhookSource,
        *,
        settings: Settings,
        store: Store,
        keyring: Keyring,
        profile: EmployerProfile,
        recorder: Recorder,
        clock: Clock,
    ) -> None:
        self.source = source
        self.settings = settings
        self.store = store
        self.keyring = keyring
        self.profile = profile
        self.recorder = recorder
        self.clock = clock

    async def handle(self, request: Request) -> Response:
        body = await read_json_body(request, self.settings.max_body_bytes)
        name = self.source.name
        secret = self.keyring.webhook_secret(name)
        if secret is None:
            raise ProblemError(401, "invalid_signature", f"No {name} webhook secret is configured.")
        delivery = self.source.verify(request.headers, body, secret, self.clock(), self.settings)
        event = event_name(delivery.payload)
        seen = self.store.delivery(name, delivery.dedup_keys)
        if seen is not None:
            return ack(
                "duplicate",
                event,
                seen.decision_event_id,
                seen.explanation_id,
                "Already received: nothing new was recorded.",
            )
        if delivery.stale_unless_seen:
            raise ProblemError(401, "stale_delivery", "The delivery is too old and was never received before.")
        outcome = self.source.interpret(delivery.payload)
        if isinstance(outcome, Ignored):
            return ack("ignored", outcome.event, None, None, f"Ignored: {outcome.reason}.")
        return self._record(outcome, delivery.dedup_keys)

    def _record(self, outcome: WebhookDecision, dedup_keys: list[str]) -> Response:
        """The decision and the keys that identify its delivery, in one transaction.

        A decision already recorded by another route (a different delivery of the same event) is a
        duplicate too: this delivery's keys then point at the original, so its retries are recognised.
        """
        name = self.source.name
        recorded = self.recorder.prepare(self._new_decision(outcome))
        try:
            with self.store.transaction() as db:
                self.recorder.write(db, recorded)
                self.store.insert_deliveries(
                    db, name, dedup_keys, RecordedDelivery(recorded.event_id, recorded.explanation_id)
                )
        except DuplicateEvent as duplicate:
            original = RecordedDelivery(duplicate.decision_event_id, duplicate.explanation_id)
            with self.store.transaction() as db:
                self.store.insert_deliveries(db, name, dedup_keys, original)
            return ack(
                "duplicate",
                outcome.event,
                original.decision_event_id,
                original.explanation_id,
                "The same decision is already recorded.",
            )
        return ack("recorded", outcome.event, recorded.event_id, recorded.explanation_id, "Decision recorded.")

    def _new_decision(self, outcome: WebhookDecision) -> NewDecision:
        """Contract § 3: a webhook decision uses the AEDT the deployment configured for its ATS."""
        aedt = self.profile.aedt[self.source.name]  # type: ignore[index]
        instant, timestamp = self._instant(outcome.timestamp)
        return NewDecision(
            environment=self.settings.webhook_environment,
            source=self.source.name,
            candidate_id_raw=outcome.candidate_id,
            job_id_raw=outcome.job_id,
            decision=outcome.decision,
            decision_timestamp=timestamp,
            instant=instant,
            factors=[outcome.factor],
            aedt_name=aedt.name,
            aedt_version=aedt.version,
            aedt_role=aedt.role,
            job_title=outcome.job_title,
            candidate_locale="en-US",
            request_explanation=self.settings.webhook_explanations,
        )

    def _instant(self, timestamp: str | None) -> tuple[DecisionInstant, str]:
        """The ATS's own timestamp when it has a usable one, else the time of receipt."""
        if timestamp is not None:
            try:
                return parse_timestamp(timestamp), timestamp
            except ValueError:
                pass
        now = self.clock()
        return DecisionInstant(now, assumed_utc=False), rfc3339(now)


def event_name(payload: dict[str, Any]) -> str:
    """The delivery's event as the ATS named it: Greenhouse `action`, Lever `event`, Workday `eventType`."""
    for field in ("action", "event", "eventType"):
        if isinstance(payload.get(field), str):
            return str(payload[field])
    return ""


def ack(status: str, event: str, event_id: str | None, explanation_id: str | None, detail: str) -> Response:
    """The 200 acknowledgement of a verified delivery (schemas/webhook-ack.schema.json)."""
    return json_response(
        {
            "status": status,
            "duplicate": status == "duplicate",
            "ignored": status == "ignored",
            "event": event,
            "decisionEventId": event_id,
            "explanationId": explanation_id,
            "detail": detail,
        }
    )
