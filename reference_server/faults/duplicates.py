"""IDEM faults: duplicates, Idempotency-Key and durability, handled the ways deployments get them wrong."""

from __future__ import annotations

import asyncio
import hashlib
import re
import secrets
import sqlite3
import time
from contextvars import ContextVar
from dataclasses import replace
from typing import Any

from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send

from ..api import duplicate_problem
from ..auth import ApiKeys
from ..idempotency import IdempotencyKeys, idempotency_key
from ..models import validate_request
from ..problems import ProblemError, problem_response
from ..recording import natural_key
from ..store import DuplicateEvent, Store
from ..timestamps import parse_timestamp, rfc3339
from ..webhooks import VerifiedDelivery, WebhookDecision, WebhookSource
from ..webhooks.common import Ignored
from . import openapi
from .asgi import DECISION_EVENT, WEBHOOK, Forward, Incoming, Reply, current_request, intercept, pass_on
from .registry import Variant, fault, mix
from .signatures import wrap_source

# How long the racy faults wait between looking and writing: long enough for concurrent requests to overlap.
RACE_WINDOW_SECONDS = 0.05


def _salted(key: str) -> str:
    return f"{key}:{secrets.token_hex(8)}"


# -- IDEM-001 --------------------------------------------------------------------------------------


class ApiDuplicatesRecorded(Store):
    def insert_event(self, db: sqlite3.Connection, *, natural_key: str, source: str, **columns: Any) -> None:
        key = _salted(natural_key) if source == "api" else natural_key
        super().insert_event(db, natural_key=key, source=source, **columns)


@fault("IDEM-001", "conflict", "the same decision posted twice is recorded twice: there is no natural-key check")
def no_dedup(variant: Variant) -> None:
    variant.store = mix(variant.store, ApiDuplicatesRecorded)


def _rewrite_duplicates(change: dict[str, Any]) -> Any:
    async def handler(incoming: Incoming, forward: Forward) -> Reply:
        reply = await forward(incoming)
        problem = reply.json()
        if reply.status != 409 or not isinstance(problem, dict) or problem.get("code") != "duplicate_event":
            return reply
        rewritten = {name: value for name, value in {**problem, **change}.items() if value is not None}
        return reply.with_json(rewritten)

    return handler


@fault("IDEM-001", "code", "the 409 for a duplicate decision carries code 'conflict', not 'duplicate_event'")
def duplicate_code_conflict(variant: Variant) -> None:
    variant.middleware.append(
        intercept(DECISION_EVENT, _rewrite_duplicates({"code": "conflict", "type": "urn:nyc-hiring:problem:conflict"}))
    )
    openapi.add_code(variant.openapi, "conflict")


@fault("IDEM-001", "original-id", "the 409 for a duplicate decision does not name the original decisionEventId")
def duplicate_without_id(variant: Variant) -> None:
    variant.middleware.append(
        intercept(DECISION_EVENT, _rewrite_duplicates({"decisionEventId": None, "explanationId": None}))
    )


class TimestampAsWritten(Store):
    def insert_event(self, db: sqlite3.Connection, *, natural_key: str, record: dict[str, Any], **columns: Any) -> None:
        written = hashlib.sha256(f"{natural_key}\x00{record['decisionTimestamp']}".encode()).hexdigest()
        super().insert_event(db, natural_key=written, record=record, **columns)


@fault(
    "IDEM-001",
    "instant",
    "decisionTimestamp is compared as written, not as an instant: 'Z' and '+00:00' make two decisions",
)
def timestamp_compared_as_text(variant: Variant) -> None:
    variant.store = mix(variant.store, TimestampAsWritten)


# -- IDEM-002 --------------------------------------------------------------------------------------


async def _rerender_replays(incoming: Incoming, forward: Forward) -> Reply:
    reply = await forward(incoming)
    body = reply.json()
    if reply.headers.get("idempotent-replayed") != "true" or not isinstance(body, dict) or "receivedAt" not in body:
        return reply
    return reply.with_json({**body, "receivedAt": rfc3339(incoming.state.recorder.clock())})


@fault(
    "IDEM-002",
    "replay",
    "a replay is rendered anew instead of replaying the stored answer: its receivedAt is the time of the replay",
)
def replay_rerendered(variant: Variant) -> None:
    variant.middleware.append(intercept(DECISION_EVENT, _rerender_replays))


class BytesFingerprint(IdempotencyKeys):
    def fingerprint(self, data: Any) -> str:
        incoming = current_request.get()
        return hashlib.sha256(incoming.body if incoming else b"").hexdigest()


@fault(
    "IDEM-002",
    "json-values",
    "bodies under one Idempotency-Key are compared as bytes: reordered keys or whitespace get 422",
)
def fingerprint_raw_bytes(variant: Variant) -> None:
    variant.idempotency = mix(variant.idempotency, BytesFingerprint)
    variant.middleware.append(intercept(DECISION_EVENT, pass_on))


class BodyNotCompared(IdempotencyKeys):
    def claim(self, environment: str, key: str, fingerprint: str) -> Any:
        try:
            return super().claim(environment, key, fingerprint)
        except ProblemError as problem:
            if problem.code != "idempotency_key_reused":
                raise
        existing = self.store.claim_idempotency_key(environment, key, fingerprint)  # there: nothing is inserted
        return super().claim(environment, key, existing.fingerprint if existing else fingerprint)


@fault(
    "IDEM-002",
    "different-body",
    "the same Idempotency-Key with a different body replays the first answer instead of getting 422",
)
def reused_key_replays(variant: Variant) -> None:
    variant.idempotency = mix(variant.idempotency, BodyNotCompared)


class InFlightIs422:
    """Claims a key when its request arrives, before the body is read, with no body to compare yet; a
    request with that key meanwhile is compared with the missing body, and refused as a different one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.in_flight: set[tuple[str, str]] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        incoming = Incoming(scope, b"")
        key = incoming.headers.get("idempotency-key") if scope["type"] == "http" else None
        if key is None or not DECISION_EVENT(incoming):
            await self.app(scope, receive, send)
            return
        claim = (incoming.headers.get("authorization", ""), key)
        if claim in self.in_flight:
            refusal = problem_response(
                422, "idempotency_key_reused", "This Idempotency-Key was used with a different request body."
            )
            await Reply.of(refusal).send(send)
            return
        self.in_flight.add(claim)
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight.discard(claim)


@fault(
    "IDEM-002",
    "in-flight",
    "a request arriving while another with its Idempotency-Key is in flight (still being received) gets 422, not 409",
)
def in_flight_422(variant: Variant) -> None:
    variant.middleware.append(Middleware(InFlightIs422))


class KeysShared(IdempotencyKeys):
    def claim(self, environment: str, key: str, fingerprint: str) -> Any:
        return super().claim("shared", key, fingerprint)

    def complete(self, db: sqlite3.Connection, environment: str, key: str, response: Any) -> None:
        super().complete(db, "shared", key, response)

    def release(self, environment: str, key: str) -> None:
        super().release("shared", key)


@fault(
    "IDEM-002",
    "environment",
    "Idempotency-Keys are shared between environments: a live request replays the test request's answer",
)
def idempotency_keys_shared(variant: Variant) -> None:
    variant.idempotency = mix(variant.idempotency, KeysShared)


# -- IDEM-003 --------------------------------------------------------------------------------------


class UnconstrainedApiEvents(Store):
    """Decisions sent without an Idempotency-Key are written with no UNIQUE natural key (a nonce makes
    each one different); duplicates are to be found by `find_event` beforehand."""

    def insert_event(self, db: sqlite3.Connection, *, natural_key: str, source: str, **columns: Any) -> None:
        incoming = current_request.get()
        keyed = incoming is not None and "idempotency-key" in incoming.headers
        key = _salted(natural_key) if source == "api" and not keyed else natural_key
        super().insert_event(db, natural_key=key, source=source, **columns)

    def find_event(self, environment: str, natural_key: str) -> tuple[str, str | None] | None:
        row = self._db.execute(
            "SELECT id, explanation_id FROM decision_events WHERE environment = ? AND natural_key LIKE ?",
            (environment, natural_key + "%"),
        ).fetchone()
        return (row[0], row[1]) if row else None


def _natural_key_of(incoming: Incoming) -> tuple[str, str] | None:
    """(environment, natural key) of a valid decision-event request, as the reference would compute them."""
    try:
        event = validate_request(incoming.json())
        principal = ApiKeys(incoming.state.store).identify(incoming.headers.get("authorization"))
        instant = parse_timestamp(event.decisionTimestamp).instant
    except (ProblemError, ValueError):
        return None
    candidate = incoming.state.recorder.candidate_id_hash(principal.environment, event.candidateIdRaw)
    return principal.environment, natural_key(candidate, event.jobIdRaw, event.decision, instant, event.aedtName)


async def _check_then_insert(incoming: Incoming, forward: Forward) -> Reply:
    if "idempotency-key" not in incoming.headers and (found := _natural_key_of(incoming)) is not None:
        original = incoming.state.store.find_event(*found)
        if original is not None:
            return Reply.of(duplicate_problem(DuplicateEvent(*original)))
        await asyncio.sleep(RACE_WINDOW_SECONDS)
    return await forward(incoming)


@fault(
    "IDEM-003",
    "natural-key",
    "duplicates are looked up ahead of the handler, which writes after an await with no UNIQUE constraint: "
    "concurrent identical requests are all recorded",
)
def racy_dedup(variant: Variant) -> None:
    variant.store = mix(variant.store, UnconstrainedApiEvents)
    variant.middleware.append(intercept(DECISION_EVENT, _check_then_insert))


# Set for a keyed request whose key was not found when it arrived: it then claims the key blindly.
_unclaimed: ContextVar[bool] = ContextVar("unclaimed", default=False)


class KeyLookedUpEarly(Store):
    def idempotency_key_exists(self, environment: str, key: str) -> bool:
        row = self._db.execute("SELECT 1 FROM idempotency_keys WHERE environment = ? AND key = ?", (environment, key))
        return row.fetchone() is not None

    def insert_event(self, db: sqlite3.Connection, *, natural_key: str, **columns: Any) -> None:
        """A keyed request skips the natural-key check: a decision already there is written again."""
        try:
            super().insert_event(db, natural_key=natural_key, **columns)
        except DuplicateEvent:
            if not _unclaimed.get():
                raise
            super().insert_event(db, natural_key=_salted(natural_key), **columns)


class BlindClaim(IdempotencyKeys):
    def claim(self, environment: str, key: str, fingerprint: str) -> Any:
        if not _unclaimed.get():
            return super().claim(environment, key, fingerprint)
        with self.store.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO idempotency_keys (environment, key, fingerprint, state, created_at, owner)"
                " VALUES (?, ?, ?, 'processing', ?, ?)",
                (environment, key, fingerprint, time.time(), str(self.claimant)),
            )
        return None


async def _key_then_claim(incoming: Incoming, forward: Forward) -> Reply:
    try:
        key = idempotency_key(incoming.headers.get("idempotency-key"))
        principal = ApiKeys(incoming.state.store).identify(incoming.headers.get("authorization"))
    except ProblemError:
        key = None
    if key is None or incoming.state.store.idempotency_key_exists(principal.environment, key):
        return await forward(incoming)
    token = _unclaimed.set(True)
    try:
        await asyncio.sleep(RACE_WINDOW_SECONDS)
        return await forward(incoming)
    finally:
        _unclaimed.reset(token)


@fault(
    "IDEM-003",
    "idempotency-key",
    "an Idempotency-Key is looked up when its request arrives and claimed after an await, and keyed requests "
    "skip the natural-key check: concurrent requests under one key are all recorded",
)
def racy_idempotency_key(variant: Variant) -> None:
    variant.store = mix(variant.store, KeyLookedUpEarly)
    variant.idempotency = mix(variant.idempotency, BlindClaim)
    variant.middleware.append(intercept(DECISION_EVENT, _key_then_claim))


# -- IDEM-004 --------------------------------------------------------------------------------------


def _keys_without(prefix: str) -> Any:
    def verify(inner: WebhookSource, *args: Any) -> VerifiedDelivery:
        delivery = inner.verify(*args)
        return replace(delivery, dedup_keys=[key for key in delivery.dedup_keys if not key.startswith(prefix)])

    return verify


def _stamped_on_receipt(inner: WebhookSource, payload: dict[str, Any]) -> WebhookDecision | Ignored:
    outcome = inner.interpret(payload)
    return replace(outcome, timestamp=None) if isinstance(outcome, WebhookDecision) else outcome


@fault(
    "IDEM-004",
    "greenhouse-body",
    "a Greenhouse redelivery is recognised only by its Greenhouse-Event-ID (the body is not kept), and decisions "
    "are stamped on receipt, so a retry without the header is recorded again",
)
def greenhouse_body_not_deduplicated(variant: Variant) -> None:
    wrap_source(variant, "greenhouse", verify_with=_keys_without("body:"), interpret_with=_stamped_on_receipt)


@fault("IDEM-004", "greenhouse-event-id", "a repeated Greenhouse-Event-ID is not recognised: only the body is kept")
def greenhouse_event_id_ignored(variant: Variant) -> None:
    wrap_source(variant, "greenhouse", verify_with=_keys_without("event-id:"))


def _lever_body_key(inner: WebhookSource, headers: Any, body: bytes, *rest: Any) -> VerifiedDelivery:
    delivery = inner.verify(headers, body, *rest)
    return replace(delivery, dedup_keys=["body:" + hashlib.sha256(body).hexdigest()])


@fault(
    "IDEM-004",
    "lever-token",
    "Lever redeliveries are recognised by the hash of the body, not token + triggeredAt: one with altered data "
    "is recorded again",
)
def lever_dedup_on_body(variant: Variant) -> None:
    wrap_source(variant, "lever", verify_with=_lever_body_key)


def _workday_id_and_timestamp(inner: WebhookSource, headers: Any, *rest: Any) -> VerifiedDelivery:
    delivery = inner.verify(headers, *rest)
    key = f"webhook-id:{headers.get('webhook-id', '')[:200]}:{headers.get('webhook-timestamp', '')}"
    return replace(delivery, dedup_keys=[key])


@fault(
    "IDEM-004",
    "workday-id",
    "a Workday redelivery is recognised only when webhook-id and webhook-timestamp both repeat (a re-signed retry "
    "never does), and decisions are stamped on receipt, so it is recorded again",
)
def workday_id_with_timestamp(variant: Variant) -> None:
    wrap_source(variant, "workday", verify_with=_workday_id_and_timestamp, interpret_with=_stamped_on_receipt)


async def _duplicates_without_ids(incoming: Incoming, forward: Forward) -> Reply:
    reply = await forward(incoming)
    ack = reply.json()
    if reply.status != 200 or not isinstance(ack, dict) or not ack.get("duplicate"):
        return reply
    return reply.with_json({**ack, "decisionEventId": None, "explanationId": None})


@fault("IDEM-004", "original-ids", "a webhook redelivery is acknowledged as a duplicate without the original IDs")
def duplicate_ack_without_ids(variant: Variant) -> None:
    variant.middleware.append(intercept(WEBHOOK, _duplicates_without_ids))
    duplicate = openapi.schema(variant.openapi, "WebhookAck")["oneOf"][1]
    duplicate["properties"]["decisionEventId"] = {"type": ["string", "null"]}


# -- IDEM-005 --------------------------------------------------------------------------------------


def _in_memory(*tables: str) -> type[Store]:
    """A store whose `tables` live in memory (TEMP copies shadow the file's), lost when it closes."""

    class InMemory(Store):
        def __init__(self, path: Any) -> None:
            super().__init__(path)
            for table in tables:
                sql = self._db.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
                ).fetchone()[0]
                self._db.execute(re.sub(r"^CREATE TABLE (IF NOT EXISTS )?", "CREATE TEMP TABLE ", sql))

    return InMemory


@fault(
    "IDEM-005", "events", "recorded events, explanations and webhook deliveries are kept in memory and lost on restart"
)
def events_in_memory(variant: Variant) -> None:
    variant.store = mix(variant.store, _in_memory("decision_events", "explanations", "webhook_deliveries"))


@fault("IDEM-005", "idempotency-keys", "Idempotency-Keys are kept in memory and lost on restart")
def idempotency_keys_in_memory(variant: Variant) -> None:
    variant.store = mix(variant.store, _in_memory("idempotency_keys"))
