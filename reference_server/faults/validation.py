"""EVT faults: bad input, response shapes, leaks and read-back, handled the ways deployments get them wrong."""

from __future__ import annotations

import inspect
import sqlite3
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .. import problems
from ..models import DecisionEventRequest
from ..problems import PROBLEM_MEDIA_TYPE, problem_response
from ..store import Store
from ..wire import JSON_MEDIA_TYPE
from . import openapi
from .asgi import (
    DECISION_EVENT,
    READ_EVENT,
    READ_EXPLANATION,
    Forward,
    Incoming,
    Matcher,
    Reply,
    current_request,
    intercept,
    pass_on,
)
from .registry import Variant, fault, mix


def _any(*matchers: Matcher) -> Matcher:
    return lambda incoming: any(matcher(incoming) for matcher in matchers)


def _posts(incoming: Incoming) -> bool:
    return incoming.method == "POST"


def _everything(incoming: Incoming) -> bool:
    return True


def _problem(reply: Reply) -> dict[str, Any] | None:
    body = reply.json()
    return body if reply.status >= 400 and isinstance(body, dict) and "code" in body else None


# -- EVT-001 ---------------------------------------------------------------------------------------


async def _malformed_as_422(incoming: Incoming, forward: Forward) -> Reply:
    reply = await forward(incoming)
    problem = _problem(reply)
    if problem is None or problem["code"] != "malformed_json":
        return reply
    detail = problem["detail"]
    return Reply.of(problem_response(422, "validation_failed", detail, errors=[{"pointer": "", "detail": detail}]))


@fault("EVT-001", "malformed-json", "a body that is not JSON gets 422 validation_failed instead of 400")
def malformed_json_422(variant: Variant) -> None:
    variant.middleware.append(intercept(_posts, _malformed_as_422))


async def _any_media_type(incoming: Incoming, forward: Forward) -> Reply:
    return await forward(incoming.with_headers({"content-type": JSON_MEDIA_TYPE}))


@fault("EVT-001", "media-type", "a body is read as JSON whatever its Content-Type, or without one: never 415")
def media_type_unchecked(variant: Variant) -> None:
    variant.middleware.append(intercept(_posts, _any_media_type))


@fault("EVT-001", "too-large", "bodies of any size are read: nothing gets 413")
def no_body_limit(variant: Variant) -> None:
    variant.settings = variant.settings.model_copy(update={"max_body_bytes": 2**40})


_REQUEST_FIELDS = frozenset(DecisionEventRequest.model_fields)


async def _drop_unknown_fields(incoming: Incoming, forward: Forward) -> Reply:
    body = incoming.json()
    if isinstance(body, dict) and not set(body) <= _REQUEST_FIELDS:
        incoming = incoming.with_json({name: value for name, value in body.items() if name in _REQUEST_FIELDS})
    return await forward(incoming)


@fault("EVT-001", "schema", "unknown fields in a decision event are dropped instead of refused with 422")
def unknown_fields_dropped(variant: Variant) -> None:
    variant.middleware.append(intercept(DECISION_EVENT, _drop_unknown_fields))


_REFUSALS = (400, 413, 415, 422)


async def _plain_json_refusals(incoming: Incoming, forward: Forward) -> Reply:
    reply = await forward(incoming)
    if reply.status in _REFUSALS and reply.media_type == PROBLEM_MEDIA_TYPE:
        return reply.with_headers({"content-type": JSON_MEDIA_TYPE})
    return reply


@fault(
    "EVT-001",
    "problem-details",
    "refusals of bad input (400, 413, 415, 422) are served as application/json, not application/problem+json",
)
def problems_as_plain_json(variant: Variant) -> None:
    variant.middleware.append(intercept(_posts, _plain_json_refusals))
    responses = variant.openapi["components"]["responses"]
    for name in ("BadRequest", "PayloadTooLarge", "UnsupportedMediaType", "UnprocessableContent"):
        content = responses[name]["content"]
        content[JSON_MEDIA_TYPE] = content[PROBLEM_MEDIA_TYPE]


async def _unparsable_crashes(incoming: Incoming, forward: Forward) -> Reply:
    reply = await forward(incoming)
    problem = _problem(reply)
    if problem is not None and problem["code"] == "malformed_json" and problem["detail"].startswith("The body is not"):
        raise ValueError(f"cannot parse the body: {problem['detail']}")
    return reply


@fault("EVT-001", "no-server-error", "a decision event that is not valid JSON raises an unhandled error: 500")
def json_errors_500(variant: Variant) -> None:
    variant.middleware.append(intercept(DECISION_EVENT, _unparsable_crashes))


async def _wrong_types_crash(incoming: Incoming, forward: Forward) -> Reply:
    reply = await forward(incoming)
    problem = _problem(reply)
    if problem is None or problem["code"] != "validation_failed":
        return reply
    try:
        DecisionEventRequest.model_validate(incoming.json())
    except ValidationError as exc:
        if any(error["type"].endswith("_type") for error in exc.errors()):
            raise TypeError("a field of the wrong JSON type") from None
    return reply


@fault(
    "EVT-001", "no-server-error", "a decision event with a field of the wrong JSON type raises an unhandled error: 500"
)
def wrong_type_500(variant: Variant) -> None:
    variant.middleware.append(intercept(DECISION_EVENT, _wrong_types_crash))


# -- EVT-002 ---------------------------------------------------------------------------------------


def _rewrite_records(change: Any) -> Any:
    """A handler applying `change` to every decision event the API answers with (created, replayed, read)."""

    async def handler(incoming: Incoming, forward: Forward) -> Reply:
        reply = await forward(incoming)
        body = reply.json()
        if reply.status not in (200, 201) or not isinstance(body, dict) or "decisionEventId" not in body:
            return reply
        return reply.with_json(change(body))

    return handler


def _null_when_empty(body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "complianceFlags": body.get("complianceFlags") or None}


@fault(
    "EVT-002",
    "contract-schemas",
    "an empty complianceFlags is written null, not [] (the served OpenAPI document says it may be null)",
)
def null_compliance_flags(variant: Variant) -> None:
    variant.middleware.append(intercept(_any(DECISION_EVENT, READ_EVENT), _rewrite_records(_null_when_empty)))
    definitions = openapi.schema(variant.openapi, "Definitions")["$defs"]
    definitions["complianceFlags"] = {"anyOf": [definitions["complianceFlags"], {"type": "null"}]}


def _offset_not_z(body: dict[str, Any]) -> dict[str, Any]:
    received = body.get("receivedAt")
    return {**body, "receivedAt": received.replace("Z", "+00:00")} if isinstance(received, str) else body


@fault(
    "EVT-002",
    "served-openapi",
    "receivedAt is written with '+00:00', which the contract allows but the served OpenAPI document's pattern "
    "(a 'Z') does not",
)
def received_at_offset(variant: Variant) -> None:
    variant.middleware.append(intercept(_any(DECISION_EVENT, READ_EVENT), _rewrite_records(_offset_not_z)))


# -- EVT-003 ---------------------------------------------------------------------------------------


def _with_detail(change: Any, when: Any = None) -> Any:
    """A handler appending `change(incoming, problem)` to the detail of every problem answer `when` accepts."""

    async def handler(incoming: Incoming, forward: Forward) -> Reply:
        reply = await forward(incoming)
        problem = _problem(reply)
        if problem is None or (when is not None and not when(reply, problem)):
            return reply
        return reply.with_json({**problem, "detail": problem["detail"] + change(incoming, problem)})

    return handler


def _stack(incoming: Incoming, problem: dict[str, Any]) -> str:
    frames = [f"  in {frame.frame.f_globals.get('__name__')}.{frame.function}" for frame in inspect.stack()[1:9]]
    return "\nTraceback (most recent call last):\n" + "\n".join(reversed(frames))


@fault(
    "EVT-003",
    "stack-trace",
    "problem details carry the stack of the code that refused the request (module and function names)",
)
def verbose_errors(variant: Variant) -> None:
    variant.middleware.append(intercept(_everything, _with_detail(_stack)))


_LINE = problems.ProblemError.__init__.__code__.co_firstlineno
_RAISED_AT = f" (raised at {Path(problems.__file__).resolve()}:{_LINE})"


@fault("EVT-003", "file-path", "problem details name the source file and line that refused the request")
def error_source_location(variant: Variant) -> None:
    variant.middleware.append(intercept(_everything, _with_detail(lambda incoming, problem: _RAISED_AT)))


def _query(incoming: Incoming, problem: dict[str, Any]) -> str:
    table, column = ("decision_events", "record") if "/decision-events/" in incoming.path else ("explanations", "body")
    identifier = incoming.path.rsplit("/", 1)[-1]
    return f" (no row for: SELECT {column} FROM {table} WHERE id = '{identifier}' AND environment = ?)"  # noqa: S608


@fault("EVT-003", "sql", "a read of an unknown ID answers 404 with the SQL query that found nothing")
def sql_in_errors(variant: Variant) -> None:
    variant.middleware.append(
        intercept(_any(READ_EVENT, READ_EXPLANATION), _with_detail(_query, lambda reply, problem: reply.status == 404))
    )


def _settings_dump(incoming: Incoming, problem: dict[str, Any]) -> str:
    key = incoming.state.keyring.candidate_hash_key.hex()
    return f" (settings: environment=test, secret_key={key})"


@fault(
    "EVT-003",
    "secret",
    "problem details dump the server's settings, the key that hashes candidate IDs (secret_key=...) included",
)
def secret_in_errors(variant: Variant) -> None:
    variant.middleware.append(intercept(_everything, _with_detail(_settings_dump)))


# -- EVT-004 ---------------------------------------------------------------------------------------


class FloatValues(Store):
    def event_record(self, event_id: str, environment: str) -> dict[str, Any] | None:
        record = super().event_record(event_id, environment)
        for factor in record["decisionFactors"] if record else ():
            value = factor["value"]
            if isinstance(value, int) and not isinstance(value, bool):
                factor["value"] = float(value)
        return record


@fault("EVT-004", "fields", "factor values read back as floats: 2 becomes 2.0 (stored as REAL)")
def float_values(variant: Variant) -> None:
    variant.store = mix(variant.store, FloatValues)


class KeepsRawId(Store):
    def insert_event(self, db: sqlite3.Connection, *, record: dict[str, Any], **columns: Any) -> None:
        incoming = current_request.get()
        sent = incoming.json() if incoming is not None else None
        if isinstance(sent, dict) and record["source"] == "api":
            record = {**record, "candidateIdRaw": sent.get("candidateIdRaw")}
        super().insert_event(db, record=record, **columns)


@fault("EVT-004", "no-raw-id", "the recorded event keeps candidateIdRaw, and reads back with it")
def record_shows_raw_id(variant: Variant) -> None:
    variant.store = mix(variant.store, KeepsRawId)
    variant.middleware.append(intercept(DECISION_EVENT, pass_on))
    record = openapi.schema(variant.openapi, "DecisionEventRecord")
    record["properties"]["candidateIdRaw"] = {"type": "string"}
