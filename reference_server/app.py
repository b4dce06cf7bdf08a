"""The ASGI application: routes, request reading, and the mapping of every failure to a problem.

Handlers do their database work synchronously on the event loop (see store.py), which is also what
makes the in-process duplicate checks race-free: nothing awaits between "seen before?" and "record".
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import schemas

from . import __version__, faults
from .auth import READ_SCOPE, WRITE_SCOPE, Principal, authenticate
from .checkpoints import IdleCheckpoints
from .config import BASE_PATH, Settings
from .models import field_problem, parse_json, validate_request
from .problems import ProblemError, problem_response
from .profile import EmployerProfile, load_profile
from .recording import Clock, NewDecision, Recorded, Recorder, utc_now
from .store import Delivery, DuplicateEvent, Store
from .timestamps import DecisionInstant, check_not_future, parse_timestamp, rfc3339
from .webhooks import SOURCES, Ignored, WebhookDecision, WebhookSource

logger = logging.getLogger("reference_server")

JSON_MEDIA_TYPE = "application/json"
IDEMPOTENCY_KEY_MAX = 255
# A bare token of visible ASCII but '"', or an sf-string of printable ASCII but '"' (no escapes).
_IDEMPOTENCY_KEY = re.compile(rf'[\x21\x23-\x7e]{{1,{IDEMPOTENCY_KEY_MAX}}}'
                              rf'|"(?P<quoted>[\x20\x21\x23-\x7e]{{1,{IDEMPOTENCY_KEY_MAX}}})"')
ABANDONED_CLAIM_SECONDS = 60.0


def json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def json_response(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json_bytes(value), status_code=status, headers=headers, media_type=JSON_MEDIA_TYPE)


class Api:
    """The handlers, bound to one store, profile and clock."""

    def __init__(self, settings: Settings, store: Store, profile: EmployerProfile, clock: Clock) -> None:
        self.settings = settings
        self.store = store
        self.clock = clock
        self.profile = profile
        self.recorder = Recorder(store, profile, clock)
        self._openapi = json_bytes(schemas.openapi_document())

    # -- reading requests ------------------------------------------------------------------------

    async def read_json_body(self, request: Request) -> bytes:
        """Enforce EVT-001's media type (415) and size (413) before anything is parsed."""
        _require_json_media_type(request.headers.get("content-type"))
        limit = self.settings.max_body_bytes
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _too_large(limit)
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise _too_large(limit)
            chunks.append(chunk)
        return b"".join(chunks)

    # -- direct API ------------------------------------------------------------------------------

    async def post_decision_event(self, request: Request) -> Response:
        principal = authenticate(self.store, request.headers.get("authorization"), WRITE_SCOPE)
        data = parse_json(await self.read_json_body(request))
        event = validate_request(data)
        instant = _decision_instant(event.decisionTimestamp, self.clock)
        new = NewDecision(
            environment=principal.environment,
            source="api",
            candidate_id_raw=event.candidateIdRaw,
            job_id_raw=event.jobIdRaw,
            decision=event.decision,
            decision_timestamp=event.decisionTimestamp,
            instant=instant,
            factors=data["decisionFactors"],  # as parsed, so values keep their JSON types
            aedt_name=event.aedtName,
            aedt_version=event.aedtVersion,
            aedt_role=event.aedtRole or "assisted",
            job_title=event.jobTitle,
            candidate_locale=event.candidateLocale or "en-US",
            request_explanation=bool(event.requestExplanation) or faults.on("always_explain"),
        )
        key = _idempotency_key(request.headers.get("idempotency-key"))
        if faults.on("racy_dedup"):
            try:
                await self._racy_duplicate_check(new)
            except DuplicateEvent as duplicate:
                return _duplicate_problem(duplicate)
        if key is None or faults.on("ignore_idempotency_key"):
            return self._record(new, None)
        return self._record_idempotently(new, principal, key, _fingerprint(data))

    async def _racy_duplicate_check(self, new: NewDecision) -> None:
        """The racy_dedup fault: look, yield, then insert: the classic check-then-act race."""
        found = self.store.find_event(new.environment, self.recorder.natural_key(new))
        if found is not None:
            raise DuplicateEvent(*found)
        await asyncio.sleep(0.05)

    def _record_idempotently(self, new: NewDecision, principal: Principal, key: str, fingerprint: str) -> Response:
        """IDEM-002, after the IETF Idempotency-Key draft (reference/ats.md § 6.1)."""
        environment = principal.environment
        existing = self.store.claim_idempotency_key(environment, key, fingerprint)
        if existing is not None:
            if existing.fingerprint != fingerprint:
                raise ProblemError(422, "idempotency_key_reused",
                                   "This Idempotency-Key was used with a different request body.")
            if existing.state == "completed":
                headers = {**existing.headers, "Idempotent-Replayed": "true"}
                return Response(existing.body or b"", existing.status or 200, headers=headers)
            abandoned_before = self.clock().timestamp() - ABANDONED_CLAIM_SECONDS
            if not self.store.take_over_idempotency_key(environment, key, fingerprint, abandoned_before):
                raise ProblemError(409, "idempotency_key_in_flight",
                                   "A request with this Idempotency-Key is still being processed; retry later.")
        try:
            return self._record(new, (environment, key))
        except BaseException:
            self.store.release_idempotency_key(environment, key)
            raise

    def _record(self, new: NewDecision, idempotency: tuple[str, str] | None) -> Response:
        stored: list[Response] = []

        def attach(db: Any, recorded: Recorded) -> None:
            response = _created(recorded)
            if idempotency is not None:
                self.store.complete_idempotency_key(db, *idempotency, *_parts(response))
            stored.append(response)

        try:
            self.recorder.record(new, attach)
        except DuplicateEvent as duplicate:
            response = _duplicate_problem(duplicate)
            if idempotency is not None:
                with self.store.transaction() as db:
                    self.store.complete_idempotency_key(db, *idempotency, *_parts(response))
            return response
        return stored[0]

    async def get_decision_event(self, request: Request) -> Response:
        principal = authenticate(self.store, request.headers.get("authorization"), READ_SCOPE)
        record = self.store.event_record(request.path_params["event_id"], _environment(principal))
        if record is None:
            raise _not_found("decision event")
        if faults.on("float_values"):
            for factor in record["decisionFactors"]:
                if isinstance(factor["value"], int) and not isinstance(factor["value"], bool):
                    factor["value"] = float(factor["value"])
        return json_response(record)

    async def get_explanation(self, request: Request) -> Response:
        principal = authenticate(self.store, request.headers.get("authorization"), READ_SCOPE)
        explanation = self.store.explanation(request.path_params["explanation_id"], _environment(principal))
        if explanation is None:
            raise _not_found("explanation")
        return json_response(explanation)

    # -- webhooks --------------------------------------------------------------------------------

    def webhook_handler(self, source: WebhookSource) -> Callable[[Request], Any]:
        async def handle(request: Request) -> Response:
            body = await self.read_json_body(request)
            secret = self.store.webhook_secret(source.name)
            if secret is None:
                raise ProblemError(401, "invalid_signature", f"No {source.name} webhook secret is configured.")
            now = self.clock()
            delivery = source.verify(request.headers, body, secret, now, self.settings)
            seen = None if faults.on("no_webhook_dedup") else self.store.delivery(source.name, delivery.dedup_keys)
            event = _event_name(delivery.payload)
            if seen is not None:
                return _ack("duplicate", event, seen.decision_event_id, seen.explanation_id,
                            "Already received: nothing new was recorded.")
            if delivery.stale_unless_seen:
                raise ProblemError(401, "stale_delivery", "The delivery is too old and was never received before.")
            outcome = source.interpret(delivery.payload)
            if isinstance(outcome, Ignored):
                return _ack("ignored", outcome.event, None, None, f"Ignored: {outcome.reason}.")
            return self._record_webhook(source.name, outcome, delivery.dedup_keys)

        return handle

    def _record_webhook(self, source: str, outcome: WebhookDecision, dedup_keys: list[str]) -> Response:
        new = self._webhook_decision(source, outcome)

        def attach(db: Any, recorded: Recorded) -> None:
            self.store.insert_deliveries(db, source, dedup_keys, Delivery(recorded.event_id, recorded.explanation_id))

        try:
            recorded = self.recorder.record(new, attach)
        except DuplicateEvent as duplicate:
            original = Delivery(duplicate.decision_event_id, duplicate.explanation_id)
            with self.store.transaction() as db:
                self.store.insert_deliveries(db, source, dedup_keys, original)
            return _ack("duplicate", outcome.event, original.decision_event_id, original.explanation_id,
                        "The same decision is already recorded.")
        explanation_id = recorded.explanation_id
        if faults.on("webhook_explanations_unstored") and explanation_id is not None:
            explanation_id = "ex_" + explanation_id[3:][::-1]  # announced, never stored
        return _ack("recorded", outcome.event, recorded.event_id, explanation_id, "Decision recorded.")

    def _webhook_decision(self, source: str, outcome: WebhookDecision) -> NewDecision:
        aedt = self.profile.aedt[source]  # type: ignore[index]
        instant, timestamp = _webhook_instant(outcome.timestamp, self.clock)
        return NewDecision(
            environment=self.settings.webhook_environment,
            source=source,
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

    # -- the rest --------------------------------------------------------------------------------

    async def health(self, request: Request) -> Response:
        return json_response({"status": "ok", "version": __version__})

    async def openapi(self, request: Request) -> Response:
        return Response(self._openapi, media_type=JSON_MEDIA_TYPE)


def create_app(
    settings: Settings,
    *,
    store: Store | None = None,
    profile: EmployerProfile | None = None,
    clock: Clock = utc_now,
) -> Starlette:
    """Build the app. The store must already hold the credentials (see credentials.py)."""
    faults.activate(faults.parse(settings.faults))
    store = store or Store(settings.db)
    api = Api(settings, store, profile or load_profile(settings.profile), clock)
    routes = [
        Route("/health", api.health, methods=["GET"]),
        Route("/openapi.json", api.openapi, methods=["GET"]),
        Route(f"{BASE_PATH}/health", api.health, methods=["GET"]),
        Route(f"{BASE_PATH}/openapi.json", api.openapi, methods=["GET"]),
        Route(f"{BASE_PATH}/decision-event", api.post_decision_event, methods=["POST"]),
        Route(f"{BASE_PATH}/decision-events/{{event_id}}", api.get_decision_event, methods=["GET"]),
        Route(f"{BASE_PATH}/explanations/{{explanation_id}}", api.get_explanation, methods=["GET"]),
    ]
    routes += [
        Route(f"{BASE_PATH}/webhook/{name}", api.webhook_handler(source), methods=["POST"])
        for name, source in SOURCES.items()
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={ProblemError: _problem, HTTPException: _http_error, Exception: _internal_error},
        lifespan=_closing(store),
        middleware=[Middleware(IdleCheckpoints, store=store)],
    )
    app.state.api = api
    return app


# -- helpers -------------------------------------------------------------------------------------


def _closing(store: Store) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        store.close()

    return lifespan


def _require_json_media_type(content_type: str | None) -> None:
    media_type, _, parameters = (content_type or "").partition(";")
    charset = next(
        (value.strip().strip('"').lower() for name, _, value in
         (part.partition("=") for part in parameters.split(";")) if name.strip().lower() == "charset"),
        "utf-8",
    )
    if media_type.strip().lower() != JSON_MEDIA_TYPE or charset not in ("utf-8", "utf8"):
        raise ProblemError(415, "unsupported_media_type",
                           "Send the body as 'Content-Type: application/json' (UTF-8).")


def _too_large(limit: int) -> ProblemError:
    return ProblemError(413, "payload_too_large", f"The body exceeds {limit} bytes.")


def _not_found(what: str) -> ProblemError:
    return ProblemError(404, "not_found", f"No such {what} for this API key's environment.")


def _decision_instant(timestamp: str, clock: Clock) -> DecisionInstant:
    try:
        instant = parse_timestamp(timestamp)
        check_not_future(instant, clock())
    except ValueError as exc:
        raise field_problem("/decisionTimestamp", str(exc)) from None
    return instant


def _webhook_instant(timestamp: str | None, clock: Clock) -> tuple[DecisionInstant, str]:
    """An ATS's own timestamp when it has a usable one, else the time of receipt."""
    if timestamp is not None:
        try:
            return parse_timestamp(timestamp), timestamp
        except ValueError:
            pass
    now = clock()
    return DecisionInstant(now, assumed_utc=False), rfc3339(now)


def _idempotency_key(header: str | None) -> str | None:
    """An RFC 8941 sf-string ("...") as the draft says, or a bare token as most clients send; the same
    syntax as the header's pattern in schemas/openapi.yaml. `"abc"` and `abc` name the same key."""
    if header is None:
        return None
    match = _IDEMPOTENCY_KEY.fullmatch(header.strip(" \t"))
    if match is None:
        raise ProblemError(400, "invalid_idempotency_key",
                           f"Idempotency-Key must be 1 to {IDEMPOTENCY_KEY_MAX} visible ASCII characters other than "
                           '\'"\', or the same between double quotes, where spaces are allowed too.')
    return match.group("quoted") or match.group(0)


def _fingerprint(data: Any) -> str:
    """Bodies are compared as JSON values, not bytes: key order and whitespace do not matter."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _created(recorded: Recorded) -> Response:
    location = f"{BASE_PATH}/decision-events/{recorded.event_id}"
    return json_response(recorded.response_body(), 201, {"Location": location})


def _duplicate_problem(duplicate: DuplicateEvent) -> Response:
    return problem_response(
        409, "duplicate_event", "This decision event is already recorded.",
        decisionEventId=duplicate.decision_event_id, explanationId=duplicate.explanation_id,
    )


def _parts(response: Response) -> tuple[int, dict[str, str], bytes]:
    keep = ("content-type", "location")
    headers = {name: value for name, value in response.headers.items() if name in keep}
    return response.status_code, headers, bytes(response.body)


def _event_name(payload: dict[str, Any]) -> str:
    for field in ("action", "event", "eventType"):
        if isinstance(payload.get(field), str):
            return str(payload[field])
    return ""


def _environment(principal: Principal) -> str | None:
    return None if faults.on("auth_shared_environments") else principal.environment


def _ack(status: str, event: str, event_id: str | None, explanation_id: str | None, detail: str) -> Response:
    return json_response(status=202 if status == "ignored" and faults.on("ignored_202") else 200, value={
        "status": status,
        "duplicate": status == "duplicate",
        "ignored": status == "ignored",
        "event": event,
        "decisionEventId": event_id,
        "explanationId": explanation_id,
        "detail": detail,
    })


async def _problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    return exc.to_response()


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        return problem_response(405, "method_not_allowed", f"{request.method} is not allowed here.",
                                headers=dict(exc.headers or {}))
    return problem_response(404, "not_found", "No such resource.")


async def _internal_error(request: Request, exc: Exception) -> Response:
    """Never expected. The client gets a correlation ID only: no trace, path, SQL or secret (EVT-003)."""
    incident = str(uuid.uuid4())
    logger.error("internal error %s on %s %s", incident, request.method, request.url.path, exc_info=exc)
    return problem_response(500, "internal_error", "The server failed; quote the instance ID when reporting it.",
                            instance=f"urn:uuid:{incident}")
