"""The direct API (contract § 2): record a decision, read it back, read its explanation.

Handlers do their database work synchronously on the event loop (see store.py), which is also what
makes the in-process duplicate checks race-free: nothing awaits between "seen before?" and "record".
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from .auth import READ_SCOPE, WRITE_SCOPE, Authenticator, Principal, authorization
from .config import BASE_PATH, Settings
from .idempotency import IdempotencyKeys, idempotency_key
from .models import DecisionEventRequest, field_problem, parse_json, validate_request
from .problems import ProblemError, problem_response
from .recording import Clock, NewDecision, Recorder
from .store import DuplicateEvent, Store
from .timestamps import DecisionInstant, check_not_future, parse_timestamp
from .wire import json_response, read_json_body


class DecisionApi:
    """The handlers of the direct API, bound to the parts of one deployment."""

    def __init__(
        self,
        *,
        settings: Settings,
        store: Store,
        recorder: Recorder,
        authenticator: Authenticator,
        keys: IdempotencyKeys,
        clock: Clock,
    ) -> None:
        self.settings = settings
        self.store = store
        self.recorder = recorder
        self.authenticate = authenticator
        self.keys = keys
        self.clock = clock

    async def post_decision_event(self, request: Request) -> Response:
        principal = self.authenticate(authorization(request.headers), WRITE_SCOPE)
        data = parse_json(await read_json_body(request, self.settings.max_body_bytes))
        new = self._new_decision(principal, validate_request(data), data)
        key = idempotency_key(request.headers.get("idempotency-key"))
        events = f"{request.scope.get('root_path', '')}{BASE_PATH}/decision-events"
        if key is None:
            return self._record(new, events)
        environment = principal.environment
        replay = self.keys.claim(environment, key, self.keys.fingerprint(data))
        if replay is not None:
            return replay
        try:
            return self._record(new, events, (environment, key))
        except BaseException:
            self.keys.release(environment, key)
            raise

    def _new_decision(self, principal: Principal, event: DecisionEventRequest, data: dict[str, Any]) -> NewDecision:
        return NewDecision(
            environment=principal.environment,
            source="api",
            candidate_id_raw=event.candidateIdRaw,
            job_id_raw=event.jobIdRaw,
            decision=event.decision,
            decision_timestamp=event.decisionTimestamp,
            instant=self._instant(event.decisionTimestamp),
            factors=data["decisionFactors"],  # as parsed, so values keep their JSON types
            aedt_name=event.aedtName,
            aedt_version=event.aedtVersion,
            aedt_role=event.aedtRole or "assisted",
            job_title=event.jobTitle,
            candidate_locale=event.candidateLocale or "en-US",
            request_explanation=bool(event.requestExplanation),
        )

    def _instant(self, timestamp: str) -> DecisionInstant:
        try:
            instant = parse_timestamp(timestamp)
            check_not_future(instant, self.clock())
        except ValueError as exc:
            raise field_problem("/decisionTimestamp", str(exc)) from None
        return instant

    def _record(self, new: NewDecision, events: str, key: tuple[str, str] | None = None) -> Response:
        """201 (its Location under `events`, the collection's path), or the 409 of a natural-key duplicate;
        under a key, that answer is what replays return."""
        recorded = self.recorder.prepare(new)
        try:
            with self.store.transaction() as db:
                self.recorder.write(db, recorded)
                location = f"{events}/{recorded.event_id}"
                response = json_response(recorded.response_body(), 201, {"Location": location})
                if key is not None:
                    self.keys.complete(db, *key, response)
        except DuplicateEvent as duplicate:
            response = duplicate_problem(duplicate)
            if key is not None:
                with self.store.transaction() as db:
                    self.keys.complete(db, *key, response)
        return response

    async def get_decision_event(self, request: Request) -> Response:
        principal = self.authenticate(authorization(request.headers), READ_SCOPE)
        record = self.store.event_record(request.path_params["event_id"], principal.environment)
        if record is None:
            raise not_found("decision event")
        return json_response(record)

    async def get_explanation(self, request: Request) -> Response:
        principal = self.authenticate(authorization(request.headers), READ_SCOPE)
        explanation = self.store.explanation(request.path_params["explanation_id"], principal.environment)
        if explanation is None:
            raise not_found("explanation")
        return json_response(explanation)


def duplicate_problem(duplicate: DuplicateEvent) -> Response:
    """IDEM-001: 409 `duplicate_event`, naming the decision already recorded."""
    return problem_response(
        409,
        "duplicate_event",
        "This decision event is already recorded.",
        decisionEventId=duplicate.decision_event_id,
        explanationId=duplicate.explanation_id,
    )


def not_found(what: str) -> ProblemError:
    return ProblemError(404, "not_found", f"No such {what} for this API key's environment.")
