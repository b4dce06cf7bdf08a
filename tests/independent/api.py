"""The operations of the API, independent of how HTTP reaches them.

Each operation takes a ``Request`` and returns a ``Response`` or raises a ``Problem``.
Checks run in the order that keeps a refused request free of side effects: route,
credentials, media type, size, JSON, Idempotency-Key, schema, then the write.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message

from tests.independent import idempotency, signatures, timestamps, webhooks
from tests.independent.config import Credentials
from tests.independent.employer_profile import Profile
from tests.independent.jsonbody import MalformedBody, parse_json
from tests.independent.keys import READ, WRITE, KeyRing
from tests.independent.openapi import DOCUMENT
from tests.independent.recording import BASE_PATH, Recorded, Recorder, api_decision, replayed, webhook_decision
from tests.independent.responses import (
    Response,
    in_flight,
    json_response,
    key_reused,
    malformed,
    method_not_allowed,
    not_an_object,
    not_found,
    unsupported_media_type,
)
from tests.independent.validation import validate


@dataclass
class Request:
    """One HTTP request as the operations see it; the body is read only when asked for."""

    method: str
    path: str
    headers: Message
    read_body: Callable[[], bytes]
    request_id: str

    def header_values(self, name: str) -> list[str]:
        return self.headers.get_all(name) or []


Operation = Callable[[Request], Response]


class Application:
    def __init__(self, keyring: KeyRing, recorder: Recorder, credentials: Credentials, profile: Profile) -> None:
        self._keys = keyring
        self._recorder = recorder
        self._credentials = credentials
        self._profile = profile
        self._in_flight = idempotency.InFlight()
        self._routes: dict[str, dict[str, Operation]] = {
            f"{BASE_PATH}/decision-event": {"POST": self.post_decision_event},
            f"{BASE_PATH}/webhook/greenhouse": {"POST": self.greenhouse},
            f"{BASE_PATH}/webhook/lever": {"POST": self.lever},
            f"{BASE_PATH}/webhook/workday": {"POST": self.workday},
        }
        for prefix in ("", BASE_PATH):
            self._routes[f"{prefix}/health"] = {"GET": self.health}
            self._routes[f"{prefix}/openapi.json"] = {"GET": self.openapi}

    def handle(self, request: Request) -> Response:
        operations = self._operations(request.path)
        if operations is None:
            raise not_found()
        method = "GET" if request.method == "HEAD" else request.method
        if method not in operations:
            allowed = ", ".join(sorted(operations) + (["HEAD"] if "GET" in operations else []))
            raise method_not_allowed(allowed)
        return operations[method](request)

    def _operations(self, path: str) -> dict[str, Operation] | None:
        if path in self._routes:
            return self._routes[path]
        for collection, operation in (
            ("decision-events", self.get_decision_event),
            ("explanations", self.get_explanation),
        ):
            identifier = path.removeprefix(f"{BASE_PATH}/{collection}/")
            if identifier != path and identifier and "/" not in identifier:
                return {"GET": functools.partial(operation, identifier=identifier)}
        return None

    def health(self, request: Request) -> Response:
        return json_response(200, {"status": "ok", "checkedAt": timestamps.now_text()})

    def openapi(self, request: Request) -> Response:
        return json_response(200, DOCUMENT)

    def get_decision_event(self, request: Request, *, identifier: str) -> Response:
        key = self._keys.authenticate(request.header_values("Authorization"), READ)
        record = self._recorder.read_event(key.environment, identifier)
        if record is None:
            raise not_found()
        return json_response(200, record)

    def get_explanation(self, request: Request, *, identifier: str) -> Response:
        key = self._keys.authenticate(request.header_values("Authorization"), READ)
        explanation = self._recorder.read_explanation(key.environment, identifier)
        if explanation is None:
            raise not_found()
        return json_response(200, explanation)

    def post_decision_event(self, request: Request) -> Response:
        environment = self._keys.authenticate(request.header_values("Authorization"), WRITE).environment
        idempotency_key = idempotency.parse_key(request.header_values("Idempotency-Key"))
        _require_json(request)
        if idempotency_key is None:
            return self._decide(request, environment, None)
        if not self._in_flight.claim(environment, idempotency_key):
            raise in_flight()
        try:
            return self._decide(request, environment, idempotency_key)
        finally:
            self._in_flight.release(environment, idempotency_key)

    def _decide(self, request: Request, environment: str, idempotency_key: str | None) -> Response:
        document = _json_object(request.read_body())
        claim = None
        if idempotency_key is not None:
            fingerprint = idempotency.fingerprint(document)
            stored = self._recorder.replay(environment, idempotency_key)
            if stored is not None:
                if stored.fingerprint != fingerprint:
                    raise key_reused()
                return replayed(stored)
            claim = (idempotency_key, fingerprint)
        decision = api_decision(validate(document), environment)
        return self._recorder.record_api(decision, request.request_id, claim)

    def greenhouse(self, request: Request) -> Response:
        _require_json(request)
        body = request.read_body()
        signatures.verify_greenhouse(self._credentials.greenhouse_secret, request.header_values("Signature"), body)
        document = _json_object(body)
        delivery_keys = ["body:" + hashlib.sha256(body).hexdigest()]
        delivery_keys += [f"event:{value.strip()}" for value in request.header_values("Greenhouse-Event-ID")[:1]]
        return self._webhook(request, "greenhouse", delivery_keys, lambda: webhooks.greenhouse(document))

    def lever(self, request: Request) -> Response:
        _require_json(request)
        document = _json_object(request.read_body())
        token, triggered_at = document.get("token"), document.get("triggeredAt")
        signatures.verify_lever(self._credentials.lever_secret, token, triggered_at, document.get("signature"))
        if not isinstance(triggered_at, int):  # verify_lever accepted it, so this cannot happen
            raise signatures.signature_rejected("triggeredAt must be a whole number of milliseconds.")
        signatures.require_lever_not_future(triggered_at)
        delivery_keys = [json.dumps([token, triggered_at])]
        if self._recorder.delivered_before("lever", delivery_keys) is None:
            signatures.require_lever_recent(triggered_at)
        occurred = timestamps.from_epoch_millis(triggered_at)
        return self._webhook(request, "lever", delivery_keys, lambda: webhooks.lever(document), occurred)

    def workday(self, request: Request) -> Response:
        _require_json(request)
        body = request.read_body()
        message_id = signatures.verify_standard_webhook(
            self._credentials.workday_key,
            request.header_values("webhook-id"),
            request.header_values("webhook-timestamp"),
            request.header_values("webhook-signature"),
            body,
        )
        document = _json_object(body)
        return self._webhook(request, "workday", [message_id], lambda: webhooks.workday(document))

    def _webhook(
        self,
        request: Request,
        source: str,
        delivery_keys: list[str],
        mapper: Callable[[], webhooks.Mapped | None],
        occurred: str | None = None,
    ) -> Response:
        """Acknowledge a verified delivery with 200: recorded, a redelivery, or not a decision."""
        earlier = self._recorder.delivered_before(source, delivery_keys)
        if earlier is not None:
            return _acknowledge(request, source, earlier, "redelivery")
        mapped = mapper()
        if mapped is None:
            return _acknowledge(request, source, None, "not_a_decision")
        tool = self._profile.webhook_tools[source]
        decision = webhook_decision(source, mapped, tool, _event_instant(mapped.occurred_at or occurred))
        outcome = self._recorder.record_webhook(decision, delivery_keys)
        return _acknowledge(request, source, outcome, "redelivery" if outcome.duplicate else "recorded")


def _event_instant(occurred: str | None) -> timestamps.Instant:
    """The event's own time when it states a usable one, else the time it arrived."""
    if occurred:
        try:
            return timestamps.parse(occurred)
        except timestamps.BadTimestamp:
            pass
    return timestamps.parse(timestamps.now_text())


def _acknowledge(request: Request, source: str, outcome: Recorded | None, status: str) -> Response:
    return json_response(
        200,
        {
            "decisionEventId": outcome.event_id if outcome else None,
            "explanationId": outcome.explanation_id if outcome else None,
            "duplicate": status == "redelivery",
            "ignored": status == "not_a_decision",
            "outcome": status,
            "source": source,
            "requestId": request.request_id,
        },
    )


def _require_json(request: Request) -> None:
    """``application/json``, parameters allowed; RFC 8259 defines no charset, so none is judged."""
    values = request.header_values("Content-Type")
    if len(values) != 1 or values[0].split(";")[0].strip().lower() != "application/json":
        raise unsupported_media_type()


def _json_object(body: bytes) -> dict[str, object]:
    try:
        document = parse_json(body)
    except MalformedBody as exc:
        raise malformed(str(exc)) from exc
    if not isinstance(document, dict):
        raise not_an_object()
    return document
