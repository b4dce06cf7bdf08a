"""EVT: validation and robustness (contract §§ 1-2 and § 3 EVT).

Each refused request carries one fault, so the expected status is exact (or, where contract § 1 leaves a
choice, one of the allowed ones). "Nothing was recorded" is proven by sending the corrected request
afterwards: a conforming deployment then answers 201 (or a recorded webhook acknowledgement), not 409 or
a duplicate. A request that gets no answer within the client timeout fails the check as a hang, never
as a harness error.

Who judges what, so one fault fails one requirement: the status and the problem media type of an answer
to a request that violates the request schema are EVT-001's; the body of every answer, and the media type
of every other answer, are EVT-002's, against the contract's schemas (schemas/contract/) and, when the
deployment serves one, its own OpenAPI document.
"""

from __future__ import annotations

import copy
import functools
import json
import re
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from nyc_hiring.harness import payloads
from nyc_hiring.harness.acks import expect_recorded, is_duplicate
from nyc_hiring.harness.client import json_dict
from nyc_hiring.harness.context import Conformance, expect_status, json_object
from nyc_hiring.harness.signing import greenhouse_headers, lever_sign_body, new_msg_id, standard_webhooks_headers
from nyc_hiring.harness.wire import WEBHOOK_SECRETS, WireRequest
from nyc_hiring.schemas import contract

requirement = pytest.mark.requirement

MAX_BODY = 262_144  # 256 KiB: one byte more is a 413
JSON_TYPE = "application/json"
PROBLEM_TYPE = "application/problem+json"
VALID_EVENT = "recording a valid decision event (EVT-004)"
# (clause of EVT-003, what it is, how it shows)
LEAK_PATTERNS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("stack-trace", "a stack trace", re.compile(r"Traceback \(most recent call last\)|\n\s+at [\w.$]+\(")),
    ("file-path", "a source file path", re.compile(r'File "[^"]*\.py", line \d+|\.py:\d+|\.(?:js|ts|java|rb|go):\d+')),
    ("file-path", "a system path", re.compile(r"/home/|/usr/(?:local/)?lib/|site-packages|node_modules/|[A-Z]:\\\\")),
    ("sql", "a database error", re.compile(r"\bsqlite3?\.|OperationalError|IntegrityError|psycopg|SQLSTATE", re.I)),
    ("sql", "SQL", re.compile(r"\bSELECT\s+[\w*,\s]+\s+FROM\s|\bINSERT\s+INTO\s|\bUPDATE\s+\w+\s+SET\s")),
    ("secret", "a private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    (
        "secret",
        "a password or secret setting",
        re.compile(r"\b(?:password|passwd|secret_key|client_secret|aws_secret_access_key)\s*[=:]\s*\S", re.I),
    ),
)


# -- helpers ---------------------------------------------------------------------------------------


def expect_media_type(response: httpx.Response, expected: str, doing: str) -> None:
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != expected:
        raise AssertionError(f"{doing}: expected Content-Type {expected}, got {media_type or 'none'}")


def raw(body: Any) -> bytes:
    return json.dumps(body).encode()


def padded(content: bytes) -> bytes:
    """The same JSON object, whitespace-padded to one byte over the limit."""
    grown = content[:-1] + b" " * (MAX_BODY + 1 - len(content)) + content[-1:]
    assert len(grown) == MAX_BODY + 1 and content.endswith(b"}")
    return grown


def unknown_id() -> str:
    """Never issued by anyone: IDs are opaque (contract § 1), so only its newness matters."""
    return "unknown-" + secrets.token_hex(12)


def post_without_json_type(conformance: Conformance, content: bytes, content_type: str | None) -> httpx.Response:
    """`post_decision` always sends application/json; the media-type checks need another type, or none."""
    headers = {"Content-Type": content_type} if content_type else {}
    return conformance.client.post("/decision-event", key=conformance.key, headers=headers, content=content)


def refused(
    conformance: Conformance,
    send: Callable[[], httpx.Response],
    statuses: int | tuple[int, ...],
    clause: str,
    doing: str,
) -> httpx.Response:
    """EVT-001 for one request that violates the request schema: answered (no hang, no 5xx), with the
    expected status (`clause`), as problem details."""
    with conformance.step("EVT-001", "no-server-error"):
        response = send()
        assert response.status_code < 500, f"{doing}: expected a 4xx, got {response.status_code} {_snippet(response)}"
    with conformance.step("EVT-001", clause):
        expect_status(response, statuses, doing)
    with conformance.step("EVT-001", "problem-details"):
        expect_media_type(response, PROBLEM_TYPE, doing)
    return response


def then_recorded(conformance: Conformance, body: dict[str, Any], clause: str, doing: str) -> None:
    """The corrected request must be new: a 409 means the refused one was recorded (so it was not refused)."""
    with conformance.step("EVT-001", "no-server-error"):
        response = conformance.post_decision(body)
        assert response.status_code < 500, (
            f"{doing}; then the corrected request: expected 201, got {response.status_code} {_snippet(response)}"
        )
    with conformance.step("EVT-001", clause):
        assert response.status_code != 409, (
            f"{doing}; then the corrected request got 409: the refused request was recorded"
        )
    with conformance.needs(VALID_EVENT):
        expect_status(response, 201, f"{doing}; then the corrected request")


def _snippet(response: httpx.Response) -> str:
    text = " ".join(response.text.split())
    return f"({text[:160]})" if text else ""


# -- EVT-001 ---------------------------------------------------------------------------------------


@requirement("EVT-001")
def test_malformed_json_is_400_and_records_nothing(conformance: Conformance) -> None:
    body = payloads.decision_event(requestExplanation=False)
    content = raw(body)
    candidate = body["candidateIdRaw"].encode()
    cases: list[tuple[str, bytes, tuple[int, ...]]] = [
        ("a truncated body", content[: len(content) // 2], (400,)),
        ("non-UTF-8 bytes", content.replace(candidate, candidate + b"\xff\xfe"), (400,)),
        ("an empty body", b"", (400,)),
        ("a trailing comma", content[:-1] + b",}", (400,)),
        ("single-quoted strings", content.replace(b'"', b"'"), (400,)),
        # JSON, but not an object: 400 or 422 is the deployment's choice (contract § 1)
        ("a JSON array", raw([body]), (400, 422)),
        ("a bare JSON string", b'"reject"', (400, 422)),
    ]
    for label, bad, statuses in cases:
        refused(
            conformance,
            functools.partial(conformance.post_decision, body, content=bad),
            statuses,
            "malformed-json",
            f"POST /decision-event with {label}",
        )
    then_recorded(conformance, body, "malformed-json", "malformed bodies were refused")


@requirement("EVT-001")
def test_wrong_media_type_is_415_and_charset_is_accepted(conformance: Conformance) -> None:
    body = payloads.decision_event(requestExplanation=False)
    for content_type in (None, "text/plain", "application/x-www-form-urlencoded"):
        shown = f"Content-Type: {content_type}" if content_type else "no Content-Type"
        send = functools.partial(post_without_json_type, conformance, raw(body), content_type)
        refused(conformance, send, 415, "media-type", f"POST /decision-event (valid JSON) with {shown}")
    doing = "POST /decision-event with Content-Type: application/json; charset=utf-8"
    with conformance.step("EVT-001", "no-server-error"):
        response = post_without_json_type(conformance, raw(body), "application/json; charset=utf-8")
    with conformance.step("EVT-001", "media-type"):
        expect_status(
            response,
            201,
            f"{doing}, after the same body was refused under other media types (a 409 means one of those was recorded)",
        )


@requirement("EVT-001")
def test_decision_event_over_256_kib_is_413_and_records_nothing(conformance: Conformance) -> None:
    body = payloads.decision_event(requestExplanation=False)
    refused(
        conformance,
        lambda: conformance.post_decision(body, content=padded(raw(body))),
        413,
        "too-large",
        f"POST /decision-event with a valid {MAX_BODY + 1}-byte body",
    )
    then_recorded(conformance, body, "too-large", f"a {MAX_BODY + 1}-byte body was refused")


def signed_pair(source: str, secret: str) -> tuple[WireRequest, WireRequest]:
    """(oversized, compact) deliveries of one event: a redelivery of the compact one is a duplicate if the
    oversized one was recorded (same Greenhouse-Event-ID, Lever token and triggeredAt, Workday webhook-id)."""
    path = f"/webhook/{source}"
    if source == "greenhouse":
        compact, event_id = payloads.greenhouse(), payloads.unique("gh-event")
        big = padded(compact)
        return (
            WireRequest(path, greenhouse_headers(secret, big, event_id), big),
            WireRequest(path, greenhouse_headers(secret, compact, event_id), compact),
        )
    if source == "lever":
        compact = raw(lever_sign_body(secret, payloads.lever()))
        headers = {"Content-Type": JSON_TYPE}
        return WireRequest(path, headers, padded(compact)), WireRequest(path, headers, compact)
    compact, msg_id = payloads.workday(), new_msg_id()
    big = padded(compact)
    return (
        WireRequest(path, standard_webhooks_headers(secret, big, msg_id=msg_id), big),
        WireRequest(path, standard_webhooks_headers(secret, compact, msg_id=msg_id), compact),
    )


def send(conformance: Conformance, delivery: WireRequest) -> httpx.Response:
    return conformance.client.post(delivery.path, headers=delivery.headers, content=delivery.body)


@requirement("EVT-001")
def test_webhook_deliveries_over_256_kib_are_413_and_record_nothing(conformance: Conformance) -> None:
    for source in ("greenhouse", "lever", "workday"):
        expect_oversized_delivery_refused(conformance, source)


def expect_oversized_delivery_refused(conformance: Conformance, source: str) -> None:
    secret = conformance.run.config.credential(WEBHOOK_SECRETS[source])
    doing = f"POST /webhook/{source} with a {MAX_BODY + 1}-byte body"
    if not secret:  # unsigned too: either fault may be reported
        big = padded(payloads.workday() if source == "workday" else payloads.greenhouse())
        refused(
            conformance,
            lambda: conformance.webhook(source, big, {"Content-Type": JSON_TYPE}),
            (401, 413),
            "too-large",
            doing,
        )
        return
    oversized, compact = signed_pair(source, secret)
    refused(conformance, lambda: send(conformance, oversized), 413, "too-large", f"{doing}, correctly signed")
    response = send(conformance, compact)
    with conformance.step("EVT-001", "too-large"):
        assert not is_duplicate(response), (
            f"after a refused {MAX_BODY + 1}-byte {source} delivery, the same event "
            "within the limit was answered as a duplicate: the refused one was "
            "recorded"
        )
    with conformance.needs(f"a correctly signed {source} delivery being recorded"):
        expect_recorded(response, f"the same {source} event within the limit")


def _set_factor(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(body: dict[str, Any]) -> None:
        body["decisionFactors"][0][field] = value

    return change


def _set(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(body: dict[str, Any]) -> None:
        body[field] = value

    return change


def _future_timestamp() -> str:
    return (datetime.now(UTC) + timedelta(minutes=10)).isoformat(timespec="seconds").replace("+00:00", "Z")


SCHEMA_VIOLATIONS: list[tuple[str, Callable[[dict[str, Any]], None]]] = [
    ("an unknown field (candidateName)", _set("candidateName", "Zoe Porter")),
    ("a factor weight of 1.5", _set_factor("weight", 1.5)),
    ("a factor name not in snake_case (YearsExperience)", _set_factor("factor", "YearsExperience")),
    (
        "101 decision factors",
        _set(
            "decisionFactors",
            [{"factor": f"skill_{i}", "value": i, "weight": 0.01, "contribution": "neutral"} for i in range(101)],
        ),
    ),
    ("no decisionFactors", lambda body: body.pop("decisionFactors")),
    ('decision "maybe"', _set("decision", "maybe")),
    ('decisionTimestamp "yesterday"', _set("decisionTimestamp", "yesterday")),
    ("a decisionTimestamp in month 13", _set("decisionTimestamp", "2026-13-02T10:00:00Z")),
    ('an empty candidateIdRaw ""', _set("candidateIdRaw", "")),
    ("a decisionTimestamp 10 minutes in the future", lambda body: body.update(decisionTimestamp=_future_timestamp())),
]


@requirement("EVT-001")
def test_schema_violations_are_422_and_record_nothing(conformance: Conformance) -> None:
    for label, change in SCHEMA_VIOLATIONS:
        body = payloads.decision_event(requestExplanation=False)
        bad = copy.deepcopy(body)
        change(bad)
        refused(
            conformance,
            functools.partial(conformance.post_decision, bad),
            422,
            "schema",
            f"POST /decision-event with {label}",
        )
        then_recorded(conformance, body, "schema", f"a request with {label} was refused")


# -- EVT-002 ---------------------------------------------------------------------------------------


def expect_contract_shape(
    conformance: Conformance, response: httpx.Response, schema: str, doing: str, *, media_type: bool = True
) -> None:
    """EVT-002 for one answer: JSON of the contract's schema (and media type), then the served document's."""
    with conformance.step("EVT-002", "contract-schemas"):
        if media_type:
            expect_media_type(response, PROBLEM_TYPE if response.status_code >= 400 else JSON_TYPE, doing)
        body = json_object(response, doing)
        error = contract.first_error(schema, body)
        if error is not None:
            where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
            raise AssertionError(
                f"{doing}: does not match the contract's {schema} schema at {where}: {error.message[:200]}"
            )
    served = conformance.served_document()
    if served is not None:
        request = response.request
        with conformance.step("EVT-002", "served-openapi"):
            problem = served.problem(request.method, str(request.url), response.status_code, response.content)
            assert problem is None, f"{doing}: {problem}"


@requirement("EVT-002")
def test_decision_event_responses_match_the_contract_schemas(conformance: Conformance) -> None:
    body = payloads.decision_event(requestExplanation=True)
    posted = conformance.post_decision(body)
    with conformance.needs(VALID_EVENT):
        expect_status(posted, 201, "POST /decision-event with requestExplanation true")
    expect_contract_shape(
        conformance, posted, "decision-event-created", "POST /decision-event with requestExplanation true"
    )
    created = json_dict(posted)
    plain = conformance.post_decision(payloads.decision_event(requestExplanation=False))
    with conformance.needs(VALID_EVENT):
        expect_status(plain, 201, "POST /decision-event with requestExplanation false")
    expect_contract_shape(
        conformance, plain, "decision-event-created", "POST /decision-event with requestExplanation false"
    )
    duplicate = conformance.post_decision(body)
    with conformance.needs("a duplicate refused with 409 (IDEM-001)"):
        expect_status(duplicate, 409, "the same decision event again")
    expect_contract_shape(conformance, duplicate, "problem", "the same decision event again (409)")
    with conformance.needs("reading the event back (EVT-004)"):
        record = conformance.read_event(str(created.get("decisionEventId")))
        expect_status(record, 200, "GET /decision-events/{id}")
    expect_contract_shape(conformance, record, "decision-event-record", "GET /decision-events/{id}")
    with conformance.needs("reading the explanation back (EXPL-001)"):
        explanation = conformance.read_explanation(str(created.get("explanationId")))
        expect_status(explanation, 200, "GET /explanations/{id}")
    expect_contract_shape(conformance, explanation, "explanation", "GET /explanations/{id}")


@requirement("EVT-002")
def test_error_responses_are_problem_details_matching_the_schema(conformance: Conformance) -> None:
    """The refusals other requirements decide on; those of requests that violate the request schema are
    EVT-001's, except for their bodies, which every answer shares with this check."""
    body = payloads.decision_event(requestExplanation=False)
    cases: list[tuple[str, Callable[[], httpx.Response], bool]] = [
        ("POST /decision-event without Authorization", lambda: conformance.post_decision(body, key=""), True),
        ("GET /decision-events/{an ID never issued}", lambda: conformance.read_event(unknown_id()), True),
        ("GET /explanations/{an ID never issued}", lambda: conformance.read_explanation(unknown_id()), True),
        (
            "POST /webhook/greenhouse with a wrong signature",
            lambda: conformance.webhook(
                "greenhouse", payloads.greenhouse(), {"Content-Type": JSON_TYPE, "Signature": "sha256 " + "0" * 64}
            ),
            True,
        ),
        ("POST /decision-event with malformed JSON", lambda: conformance.post_decision(body, content=b"{"), False),
        ("POST /decision-event with an unknown field", lambda: conformance.post_decision({**body, "extra": 1}), False),
    ]
    readonly = conformance.run.config.credential("NYC_HIRING_API_KEY_READONLY")
    if readonly:
        cases.append(
            ("POST /decision-event with a read-only key", lambda: conformance.post_decision(body, key=readonly), True)
        )
    for doing, send_request, owned in cases:
        response = send_request()
        with conformance.needs(f"a refusal of {doing}"):
            assert 400 <= response.status_code < 500, f"{doing}: expected a 4xx, got {response.status_code}"
        expect_contract_shape(conformance, response, "problem", doing, media_type=owned)


def acknowledged_deliveries(conformance: Conformance) -> list[tuple[str, str, bytes]]:
    """(source, what, body) for each configured ATS: recorded, duplicate and ignored acknowledgements."""
    config = conformance.run.config
    deliveries: list[tuple[str, str, bytes]] = []
    if config.credential("WEBHOOK_SECRET_GREENHOUSE"):
        rejection = payloads.greenhouse()
        ping = raw({"action": "ping", "payload": {"web_hook_id": payloads.unique_number()}})
        deliveries += [
            ("greenhouse", "a rejection", rejection),
            ("greenhouse", "the same rejection again", rejection),
            ("greenhouse", "a ping", ping),
        ]
    if config.credential("WEBHOOK_SECRET_LEVER"):
        deliveries.append(("lever", "an archived candidate", raw(payloads.lever())))
    if config.credential("WEBHOOK_SECRET_WORKDAY"):
        deliveries.append(("workday", "a disposition", payloads.workday()))
    return deliveries


@requirement("EVT-002")
def test_webhook_acknowledgements_match_the_schema(conformance: Conformance) -> None:
    deliveries = acknowledged_deliveries(conformance)
    if not deliveries:
        pytest.skip("set WEBHOOK_SECRET_GREENHOUSE, WEBHOOK_SECRET_LEVER or WEBHOOK_SECRET_WORKDAY to run this check")
    for source, what, body in deliveries:
        doing = f"POST /webhook/{source}, correctly signed: {what}"
        response = conformance.signed_webhook(source, body)
        with conformance.needs(f"a correctly signed {source} delivery answered 200"):
            expect_status(response, 200, doing)
        expect_contract_shape(conformance, response, "webhook-ack", doing)


@requirement("EVT-002")
def test_a_served_openapi_document_is_an_openapi_document(conformance: Conformance) -> None:
    """Serving one is optional; a deployment that serves one promises its answers match it."""
    with conformance.step("EVT-002", "served-openapi"):
        conformance.served_document(required=True)


# -- EVT-003 ---------------------------------------------------------------------------------------


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def hostile_requests(conformance: Conformance) -> list[tuple[str, Callable[[], httpx.Response]]]:
    """(label, send) for inputs that break careless parsers, validators and storage."""
    body = payloads.decision_event(requestExplanation=False)
    text = json.dumps(body)
    wrong_types = [{"factor": {"nested": [1, {"x": None}]}, "value": [1, 2], "weight": "heavy", "contribution": 7}]
    post = conformance.post_decision
    return [
        (
            "JSON nested 10,000 levels deep",
            lambda: post(body, content=(text[:-1] + ', "jobTitle": ' + _nested(10_000) + "}").encode()),
        ),
        ("a 100 KB string value", lambda: post(payloads.decision_event(jobTitle="x" * 100_000))),
        (
            "a 100 KB factor value",
            lambda: post(
                payloads.decision_event(
                    decisionFactors=[
                        {"factor": "cover_letter", "value": "y" * 100_000, "weight": 0.5, "contribution": "neutral"}
                    ]
                )
            ),
        ),
        (
            "NUL, bidi and emoji characters in IDs",
            lambda: post(
                payloads.decision_event(
                    candidateIdRaw=payloads.unique("c\u0000\u202e\U0001f600"), jobIdRaw="job\u0000\u2028"
                )
            ),
        ),
        ("a lone surrogate in an ID", lambda: post(payloads.decision_event(candidateIdRaw="cand\ud800idate"))),
        ("an invalid UTF-8 body", lambda: post(body, content=b'{"candidateIdRaw": "\xc3\x28\xa0\xa1"}')),
        ("a huge number 1e999", lambda: post(body, content=text.replace('"weight": 0.3', '"weight": 1e999').encode())),
        ("wrong-typed nested values", lambda: post(payloads.decision_event(decisionFactors=wrong_types))),
        ("decisionFactors as an object", lambda: post(payloads.decision_event(decisionFactors={"factor": "x"}))),
        ("a quote-laden event ID", lambda: conformance.read_event("de_' OR '1'='1")),
        ("an encoded NUL in an explanation ID", lambda: conformance.read_explanation("ex_%00%22")),
        ("a dot-dot explanation ID", lambda: conformance.read_explanation("..%2F..%2F..%2Fetc%2Fpasswd")),
        (
            "a Greenhouse body that is not JSON",
            lambda: conformance.webhook(
                "greenhouse", b"\xff{not json", {"Content-Type": JSON_TYPE, "Signature": "sha256 zz"}
            ),
        ),
        *signed_hostile_webhooks(conformance),
    ]


def signed_hostile_webhooks(conformance: Conformance) -> list[tuple[str, Callable[[], httpx.Response]]]:
    """Correctly signed, so the deployment gets past verification and has to parse what it got."""
    config = conformance.run.config
    cases: list[tuple[str, str, bytes]] = [
        (
            "greenhouse",
            "a signed Greenhouse event with a string application",
            raw({"action": "reject_candidate", "payload": {"application": "x"}}),
        ),
        (
            "greenhouse",
            "a signed Greenhouse body nested 10,000 levels",
            ('{"action": ' + _nested(10_000) + "}").encode(),
        ),
        ("lever", "a signed Lever event with data as a list", raw({"event": "candidateHired", "data": [1]})),
        (
            "workday",
            "a signed Workday event with wrong-typed fields",
            raw({"eventType": "JobApplication.Hired", "eventId": 5, "jobApplication": {"candidate": []}}),
        ),
    ]
    return [
        (label, _signed_sender(conformance, source, content))
        for source, label, content in cases
        if config.credential(WEBHOOK_SECRETS[source])
    ]


def _signed_sender(conformance: Conformance, source: str, content: bytes) -> Callable[[], httpx.Response]:
    return lambda: conformance.signed_webhook(source, content)


def _answer_text(response: httpx.Response) -> tuple[str, str]:
    return response.text, "\n".join(f"{name}: {value}" for name, value in response.headers.items())


def revealed(text: str) -> tuple[str, str] | None:
    """(clause, what) for the first internal detail the text reveals, or None."""
    for clause, label, pattern in LEAK_PATTERNS:
        match = pattern.search(text)
        if match:
            start = max(match.start() - 30, 0)
            return clause, f"{label}: {' '.join(text[start : match.end() + 30].split())!r}"
    return None


@requirement("EVT-003")
def test_no_response_reveals_internals_or_secrets(conformance: Conformance) -> None:
    credentials = conformance.run.config.secrets()
    for label, send_request in hostile_requests(conformance):
        with conformance.step("EVT-001", "no-server-error"):
            response = send_request()
            assert response.status_code < 500, (
                f"{label}: expected a 4xx (or success), got {response.status_code} {_snippet(response)}"
            )
        body, headers = _answer_text(response)
        leak = revealed(body + "\n" + headers)
        for clause in dict.fromkeys(clause for clause, _, _ in LEAK_PATTERNS):
            with conformance.step("EVT-003", clause):
                if leak is not None and leak[0] == clause:
                    raise AssertionError(f"{label}: the {response.status_code} answer reveals {leak[1]}")
        for name, value in credentials.items():
            with conformance.step("AUTH-005", "body"):
                assert value not in body, f"{label}: the {response.status_code} answer's body contains ${name}"
            with conformance.step("AUTH-005", "headers"):
                assert value not in headers, f"{label}: a header of the {response.status_code} answer contains ${name}"


# -- EVT-004 ---------------------------------------------------------------------------------------


def full_request() -> dict[str, Any]:
    """Every field of the request, optional ones at non-default values, factors of every value type."""
    offset = timezone(timedelta(hours=-5))
    return payloads.decision_event(
        decisionTimestamp=datetime.now(offset).isoformat(timespec="milliseconds"),
        decisionFactors=[
            {"factor": "years_experience", "value": 2, "weight": 0.3, "contribution": "negative"},
            {"factor": "assessment_band", "value": "B", "weight": 0.25, "contribution": "neutral"},
            {"factor": "portfolio_reviewed", "value": True, "weight": 0, "contribution": "positive"},
            {"factor": "typing_speed", "value": 61.5, "weight": 1, "contribution": "negative"},
        ],
        requestExplanation=True,
        jobTitle="Data Analyst",
        candidateLocale="en-GB",
        aedtRole="weighted_most",
    )


def expect_read_back(conformance: Conformance, body: dict[str, Any]) -> None:
    doing = "recording a valid decision event"
    with conformance.step("EVT-004", "fields"):
        posted = conformance.post_decision(body)
        expect_status(posted, 201, doing)
        created = json_object(posted, "POST /decision-event")
        event_id = created.get("decisionEventId")
        assert isinstance(event_id, str), f"POST /decision-event: expected a decisionEventId, got {posted.text[:160]}"
    with conformance.needs(f"reading the event back (GET /decision-events/{event_id})"):
        response = conformance.read_event(event_id)
        expect_status(response, 200, f"GET /decision-events/{event_id} right after recording it")
        record = json_object(response, f"GET /decision-events/{event_id}")
    doing = f"GET /decision-events/{event_id}"
    with conformance.step("EVT-004", "no-raw-id"):
        assert "candidateIdRaw" not in record and body["candidateIdRaw"] not in response.text, (
            f"{doing}: the raw candidate ID appears in the response"
        )
    with conformance.step("EVT-004", "fields"):
        for name, sent in body.items():
            if name == "candidateIdRaw":
                continue
            got = json.dumps(record[name], sort_keys=True) if name in record else "(absent)"
            expected = json.dumps(sent, sort_keys=True)
            assert got == expected, f"{doing}: {name} reads back as {got[:120]}, sent {expected[:120]}"
        assert record.get("candidateIdHash") == created.get("candidateIdHash"), (
            f"{doing}: candidateIdHash {record.get('candidateIdHash')!r}, the create response gave "
            f"{created.get('candidateIdHash')!r}"
        )


@requirement("EVT-004")
def test_recorded_event_reads_back_with_every_field_as_sent(conformance: Conformance) -> None:
    expect_read_back(conformance, full_request())


@requirement("EVT-004")
def test_guide_example_reads_back_as_sent(conformance: Conformance) -> None:
    expect_read_back(conformance, payloads.decision_event())
